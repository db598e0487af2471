import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AddressVerifier } from "../../../lib/cognito/address-verifier.ts";
import { CognitoCallFailedError } from "../../../lib/errors.ts";
import type { CodeRound } from "../../../lib/flow/challenge-metadata.ts";
import type { AddressAttribute } from "../../../lib/ownership/account-facts.ts";
import { type AcceptCodeInput, acceptCode } from "../../../lib/ownership/accept-code.ts";
import type { CodeRoundPurpose } from "../../../lib/ownership/address-use.ts";
import { PUBLIC_KEY_ATTRIBUTE, withCachedPublicKey } from "../../../lib/passkey/public-key-cache.ts";
import { AUTH_LEVEL, type CodeMethod } from "@cognito-passwordless/protocol";
import { hashForKey } from "../../../lib/store/keys.ts";
import type { CodeProof, CodeProofOutcome } from "../../../lib/store/sign-in-records.ts";
import { recordingLogger } from "../passkey/passkey-test-kit.ts";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const POOL = "us-east-1_Example";
const USER = "user-1";
const CLIENT = "client-a";
const EMAIL = "jane@example.com";
const PHONE = "+14155550123";
const ONE_PASSKEY = withCachedPublicKey(undefined, "credential-1", { publicKey: "pQECAyYgASFYIAkey", method: "swk" }) ?? "";

/** The table's conditional first-proof write in memory: records every proof asked for, answers as told. */
function fakeSignInRecords(answer: CodeProofOutcome = "saved") {
  const proofs: CodeProof[] = [];
  return {
    proofs,
    async saveCodeProof(proof: CodeProof): Promise<CodeProofOutcome> {
      proofs.push(proof);
      return answer;
    },
  };
}

/** Cognito's two address writes in memory, each failing on request as Cognito would under its quota. */
function fakeAddressVerifier({ failMark = false, failRelease = false } = {}) {
  const marked: { userPoolId: string; userName: string; attribute: AddressAttribute; address: string }[] = [];
  const released: { userPoolId: string; userName: string; attribute: AddressAttribute }[] = [];
  const verifier: AddressVerifier = {
    async markVerified(userPoolId, userName, attribute, address) {
      if (failMark) throw new CognitoCallFailedError("AdminUpdateUserAttributes failed.");
      marked.push({ userPoolId, userName, attribute, address });
    },
    async release(userPoolId, userName, attribute) {
      if (failRelease) throw new CognitoCallFailedError(`AdminDeleteUserAttributes (${attribute}) failed.`);
      released.push({ userPoolId, userName, attribute });
    },
  };
  return { verifier, marked, released };
}

function codeRound(purpose: CodeRoundPurpose, { method = "EMAIL_OTP", sentTo }: { method?: CodeMethod; sentTo?: string } = {}): CodeRound {
  return {
    round: method,
    nonce: "nonce-1",
    codeId: "code-1",
    codeHash: "hash",
    salt: "salt",
    expiresAt: NOW + 60_000,
    destination: method === "EMAIL_OTP" ? "j***@e***.com" : "+*******0123",
    codeLength: 6,
    sentTo: sentTo ?? hashForKey(method === "EMAIL_OTP" ? EMAIL : PHONE),
    purpose,
  };
}

function world({ answer, failMark, failRelease }: { answer?: CodeProofOutcome; failMark?: boolean; failRelease?: boolean } = {}) {
  const signInRecords = fakeSignInRecords(answer);
  const cognito = fakeAddressVerifier({ failMark, failRelease });
  const { logger, lines } = recordingLogger();
  const accept = (input: Pick<AcceptCodeInput, "round" | "userAttributes"> & Partial<AcceptCodeInput>) =>
    acceptCode(
      { signInRecords, addressVerifier: cognito.verifier, logger },
      { userPoolId: POOL, userName: USER, clientId: CLIENT, completesSignIn: true, now: NOW, ...input },
    );
  return { accept, proofs: signInRecords.proofs, marked: cognito.marked, released: cognito.released, logs: lines };
}

describe("a correct code on a verified address (sign-in)", () => {
  test("records the sign-in with the code's method and level, and leaves the account in Cognito as it is", async () => {
    const { accept, proofs, marked, released } = world();

    const acceptance = await accept({ round: codeRound("sign-in"), userAttributes: { email: EMAIL, email_verified: "true" } });

    assert.deepEqual(acceptance, { ok: true, released: false });
    assert.deepEqual(proofs, [
      {
        userName: USER,
        addressHash: hashForKey(EMAIL),
        mustBeFirst: false,
        record: { userName: USER, clientId: CLIENT, methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: NOW },
      },
    ]);
    assert.deepEqual(marked, []);
    assert.deepEqual(released, []);
  });

  test("an SMS code is recorded as an SMS sign-in", async () => {
    const { accept, proofs } = world();

    await accept({ round: codeRound("sign-in", { method: "SMS_OTP" }), userAttributes: { phone_number: PHONE, phone_number_verified: "true" } });

    assert.deepEqual(proofs[0]?.record?.methods, ["sms"]);
    assert.equal(proofs[0]?.addressHash, hashForKey(PHONE));
  });

  test("when a passkey enrolment follows, the proof is kept but no sign-in is recorded: the enrolment's answer records it", async () => {
    const { accept, proofs, marked, released } = world();

    const acceptance = await accept({ round: codeRound("sign-in"), userAttributes: { email: EMAIL, email_verified: "true" }, completesSignIn: false });

    assert.deepEqual(acceptance, { ok: true, released: false });
    assert.equal(proofs.length, 1);
    assert.equal(proofs[0]?.record, undefined);
    assert.equal(proofs[0]?.mustBeFirst, false);
    assert.deepEqual(marked, []);
    assert.deepEqual(released, []);
  });
});

describe("a correct code on a fresh account (first proof)", () => {
  test("is held as the account's first proof, then the address the code went to is marked verified", async () => {
    const { accept, proofs, marked, logs } = world();

    const acceptance = await accept({ round: codeRound("first-proof"), userAttributes: { email: EMAIL, email_verified: "false" } });

    assert.deepEqual(acceptance, { ok: true, released: false });
    assert.equal(proofs.length, 1);
    assert.equal(proofs[0]?.mustBeFirst, true);
    assert.equal(proofs[0]?.addressHash, hashForKey(EMAIL));
    assert.deepEqual(proofs[0]?.record?.methods, ["email_otp"]);
    assert.deepEqual(marked, [{ userPoolId: POOL, userName: USER, attribute: "email", address: EMAIL }]);
    assert.ok(logs.some((line) => line.level === "info" && line.message === "Address verified by code"));
  });

  test("of an SMS code marks the phone number verified, with the number the code went to", async () => {
    const { accept, marked } = world();

    const acceptance = await accept({ round: codeRound("first-proof", { method: "SMS_OTP" }), userAttributes: { email: EMAIL, phone_number: PHONE } });

    assert.deepEqual(acceptance, { ok: true, released: false });
    assert.deepEqual(marked, [{ userPoolId: POOL, userName: USER, attribute: "phone_number", address: PHONE }]);
  });

  test("before an enrolment round is still held as the first proof, without a sign-in record", async () => {
    const { accept, proofs, marked } = world();

    await accept({ round: codeRound("first-proof"), userAttributes: { email: EMAIL }, completesSignIn: false });

    assert.equal(proofs[0]?.mustBeFirst, true);
    assert.equal(proofs[0]?.record, undefined);
    assert.equal(marked.length, 1);
  });

  test("answered again after its flag was written (Cognito invoked Verify twice) is accepted again", async () => {
    const { accept, marked } = world();

    const acceptance = await accept({ round: codeRound("first-proof"), userAttributes: { email: EMAIL, email_verified: "true" } });

    assert.deepEqual(acceptance, { ok: true, released: false });
    assert.deepEqual(marked, [{ userPoolId: POOL, userName: USER, attribute: "email", address: EMAIL }]);
  });

  describe("is refused, and nothing is marked verified", () => {
    for (const [situation, attributes, reason] of [
      ["when the account's email was changed after the code was sent", { email: "someone@else.example", email_verified: "false" }, "address_changed"],
      ["when the account's email was removed after the code was sent", { phone_number: PHONE }, "address_changed"],
      [
        "when the account meanwhile has another verified address",
        { email: EMAIL, email_verified: "false", phone_number: PHONE, phone_number_verified: "true" },
        "account_owned_meanwhile",
      ],
      ["when the account meanwhile has a passkey", { email: EMAIL, email_verified: "false", [PUBLIC_KEY_ATTRIBUTE]: ONE_PASSKEY }, "account_owned_meanwhile"],
    ] as const) {
      test(situation, async () => {
        const { accept, proofs, marked, released } = world();

        const acceptance = await accept({ round: codeRound("first-proof"), userAttributes: attributes });

        assert.deepEqual(acceptance, { ok: false, reason });
        assert.deepEqual(proofs, [], "no proof is written for a code that proves nothing");
        assert.deepEqual(marked, []);
        assert.deepEqual(released, []);
      });
    }

    test("when the table says another address proved the account first", async () => {
      const { accept, proofs, marked } = world({ answer: "owned_by_another" });

      const acceptance = await accept({ round: codeRound("first-proof"), userAttributes: { email: EMAIL, email_verified: "false" } });

      assert.deepEqual(acceptance, { ok: false, reason: "account_owned_meanwhile" });
      assert.equal(proofs.length, 1, "the conditional write is what decided");
      assert.equal(proofs[0]?.mustBeFirst, true);
      assert.deepEqual(marked, []);
    });
  });

  test("when Cognito cannot mark the address verified, the code is still accepted and the failure logged as an error", async () => {
    const { accept, proofs, logs } = world({ failMark: true });

    const acceptance = await accept({ round: codeRound("first-proof"), userAttributes: { email: EMAIL, email_verified: "false" } });

    assert.deepEqual(acceptance, { ok: true, released: false }, "the proof on record in the table is what the ownership rule falls back on");
    assert.equal(proofs.length, 1);
    const error = logs.find((line) => line.level === "error");
    assert.equal(error?.message, "Could not mark the address verified");
    assert.deepEqual({ user: error?.fields["user"], attribute: error?.fields["attribute"] }, { user: USER, attribute: "email" });
    assert.ok(error?.fields["error"] instanceof CognitoCallFailedError);
  });
});

describe("a correct code in a claim round", () => {
  test("takes the address off the account that never proved it, signs nobody in and writes no record", async () => {
    const { accept, proofs, marked, released, logs } = world();

    const acceptance = await accept({
      round: codeRound("claim"),
      userAttributes: { email: EMAIL, email_verified: "false", phone_number: PHONE, phone_number_verified: "true" },
    });

    assert.deepEqual(acceptance, { ok: true, released: true });
    assert.deepEqual(released, [{ userPoolId: POOL, userName: USER, attribute: "email" }]);
    assert.deepEqual(proofs, []);
    assert.deepEqual(marked, []);
    assert.ok(logs.some((line) => line.level === "warn" && /released/.test(line.message)));
  });

  test("of an SMS code releases the phone number", async () => {
    const { accept, released } = world();

    const acceptance = await accept({
      round: codeRound("claim", { method: "SMS_OTP" }),
      userAttributes: { email: EMAIL, email_verified: "true", phone_number: PHONE },
    });

    assert.deepEqual(acceptance, { ok: true, released: true });
    assert.deepEqual(released, [{ userPoolId: POOL, userName: USER, attribute: "phone_number" }]);
  });

  for (const [situation, attributes, reason] of [
    [
      "is refused when the account's owner verified the address meanwhile: it is theirs now",
      { email: EMAIL, email_verified: "true" },
      "address_verified_meanwhile",
    ],
    [
      "is refused when the address on the account changed since the code was sent",
      { email: "someone@else.example", email_verified: "false" },
      "address_changed",
    ],
    [
      "is refused when the address was removed from the account since the code was sent",
      { phone_number: PHONE, phone_number_verified: "true" },
      "address_changed",
    ],
  ] as const) {
    test(situation, async () => {
      const { accept, proofs, released } = world();

      const acceptance = await accept({ round: codeRound("claim"), userAttributes: attributes });

      assert.deepEqual(acceptance, { ok: false, reason });
      assert.deepEqual(released, []);
      assert.deepEqual(proofs, []);
    });
  }

  test("is refused when Cognito does not release the address, so the person may answer again, with an error logged", async () => {
    const { accept, proofs, logs } = world({ failRelease: true });

    const acceptance = await accept({ round: codeRound("claim"), userAttributes: { email: EMAIL, email_verified: "false" } });

    assert.deepEqual(acceptance, { ok: false, reason: "address_release_failed" });
    assert.deepEqual(proofs, []);
    const error = logs.find((line) => line.level === "error");
    assert.equal(error?.message, "Could not release the claimed address from the account");
    assert.ok(error?.fields["error"] instanceof CognitoCallFailedError);
  });
});

test("the log lines of accepted and refused codes name the user and the attribute, never the address", async () => {
  const { accept, logs } = world({ failMark: true });
  await accept({ round: codeRound("first-proof"), userAttributes: { email: EMAIL } });
  const claim = world({ failRelease: true });
  await claim.accept({ round: codeRound("claim", { method: "SMS_OTP" }), userAttributes: { phone_number: PHONE } });

  const lines = [...logs, ...claim.logs];
  assert.ok(lines.length >= 2);
  for (const line of lines) {
    const { error: _error, ...fields } = line.fields;
    const written = JSON.stringify({ message: line.message, fields });
    assert.doesNotMatch(written, /jane@example\.com|4155550123/);
  }
});
