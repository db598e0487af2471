import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { passkeyAuthenticationOptions } from "../../../lib/passkey/authentication-options.ts";
import { passkeyRegistrationOptions } from "../../../lib/passkey/registration-options.ts";
import { passkeyUserHandle } from "../../../lib/passkey/user-handle.ts";
import { verifyPasskeyAssertion } from "../../../lib/passkey/verify-passkey-assertion.ts";
import { verifyPasskeyRegistration } from "../../../lib/passkey/verify-passkey-registration.ts";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import type { PasskeyConfig } from "../../../lib/config.ts";
import { FLAG, type SoftAuthenticatorOptions, type Tampering, createSoftAuthenticator } from "../../support/soft-authenticator.ts";
import { ANDROID_ORIGIN, NOW, type MemoryPasskeyStore, challenge, memoryPasskeyStore, passkeyConfig, passkeyDeps } from "./passkey-test-kit.ts";

const USER = "user-1";
const SUB = "0d8f3a2e-1111-4b5c-9c1e-2f6a7b8c9d0e";

/** Enrols a soft authenticator for a user through the real registration path. */
async function enrol(store: MemoryPasskeyStore, options: SoftAuthenticatorOptions = {}, userName = USER, sub = SUB) {
  const authenticator = createSoftAuthenticator(options);
  const config = passkeyConfig();
  const userHandle = passkeyUserHandle({ sub }, userName);
  const creation = await passkeyRegistrationOptions(config, {
    challenge: challenge(`enrol-${userName}`),
    userHandle,
    userName: `${userName}@example.com`,
    displayName: `${userName}@example.com`,
    existing: await store.listForUser(userName),
  });
  const { deps } = passkeyDeps(store, config);
  const enrolled = await verifyPasskeyRegistration(deps, {
    answer: JSON.stringify(authenticator.register(creation)),
    expectedChallenge: creation.challenge,
    userName,
    userHandle,
  });
  assert.ok(enrolled.ok, "the soft authenticator enrols");
  return authenticator;
}

/** Signs in: SELECT_METHOD options for a fresh challenge, answered by the authenticator. */
async function signIn(
  store: MemoryPasskeyStore,
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  { tamper = {}, userName = USER, config = passkeyConfig(), round = "sign-in", answer }: { tamper?: Tampering; userName?: string; config?: PasskeyConfig; round?: string; answer?: unknown } = {},
) {
  const expectedChallenge = challenge(round);
  const request = passkeyAuthenticationOptions(config, expectedChallenge);
  const { deps, logs } = passkeyDeps(store, config);
  const result = await verifyPasskeyAssertion(deps, {
    answer: answer ?? JSON.stringify(authenticator.authenticate(request, tamper)),
    expectedChallenge,
    userName,
  });
  return { result, logs };
}

describe("verifying a passkey assertion (SELECT_METHOD, PASSKEY answer)", () => {
  describe("accepted", () => {
    test("a platform passkey of the user signs in as swk and records the new counter and time", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, { attachment: "platform" });

      const { result } = await signIn(store, authenticator);

      assert.ok(result.ok);
      assert.equal(result.method, "swk");
      assert.equal(result.credential.counter, 1);
      assert.equal(result.credential.lastUsedAt, NOW);
      const stored = store.items.get(authenticator.credentialId);
      assert.equal(stored?.counter, 1);
      assert.equal(stored?.lastUsedAt, NOW);
      assert.deepEqual(store.uses, [
        { credentialId: authenticator.credentialId, previousCounter: 0, newCounter: 1, usedAt: NOW, challenge: challenge("sign-in") },
      ]);
    });

    test("a security key signs in as hwk", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, { attachment: "cross-platform", transports: ["usb", "nfc"] });

      const { result } = await signIn(store, authenticator);

      assert.ok(result.ok);
      assert.equal(result.method, "hwk");
    });

    test("without a reported attachment, a passkey enrolled with internal or hybrid transport counts as swk", async () => {
      const store = memoryPasskeyStore();
      const phone = await enrol(store, { attachment: undefined, transports: ["hybrid", "internal"] });
      const key = await enrol(store, { attachment: undefined, transports: ["usb"] });

      const fromPhone = await signIn(store, phone);
      const fromKey = await signIn(store, key);

      assert.ok(fromPhone.result.ok && fromKey.result.ok);
      assert.equal(fromPhone.result.method, "swk");
      assert.equal(fromKey.result.method, "hwk");
    });

    test("a synced passkey whose counter is always 0 signs in again and again", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, { counter: "zero", synced: true });

      const first = await signIn(store, authenticator, { round: "first" });
      const second = await signIn(store, authenticator, { round: "second" });

      assert.ok(first.result.ok && second.result.ok);
      assert.equal(store.items.get(authenticator.credentialId)?.counter, 0);
      assert.equal(store.items.get(authenticator.credentialId)?.lastChallenge, challenge("second"));
    });

    test("Cognito invoking Verify again with the assertion already recorded is accepted", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      const request = passkeyAuthenticationOptions(passkeyConfig(), challenge("retried"));
      const answer = JSON.stringify(authenticator.authenticate(request));

      const first = await signIn(store, authenticator, { round: "retried", answer });
      const again = await signIn(store, authenticator, { round: "retried", answer });

      assert.ok(first.result.ok);
      assert.ok(again.result.ok, "the repeated Verify is the same sign-in, not a clone");
      assert.equal(store.items.get(authenticator.credentialId)?.counter, 1);
    });

    test("an assertion from the Android app's origin is accepted", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { origin: ANDROID_ORIGIN } });

      assert.ok(result.ok);
    });

    test("without user verification, a passkey signs in when the deployment only prefers it", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { flags: FLAG.UP }, config: passkeyConfig({ userVerification: "preferred" }) });

      assert.ok(result.ok);
    });
  });

  describe("rejected, as a value", () => {
    test("an assertion from an origin that is not allowed", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result, logs } = await signIn(store, authenticator, { tamper: { origin: "https://evil.example" } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
      assert.match(String(logs.find((line) => line.message === "Passkey assertion refused")?.fields["check"]), /origin/);
      assert.equal(store.uses.length, 0, "nothing recorded");
    });

    test("an assertion for another relying party id", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { rpId: "evil.example" } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
    });

    test("an assertion over another challenge", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { challenge: challenge("another session") } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
    });

    test("an assertion replayed into a later session", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      const earlier = JSON.stringify(authenticator.authenticate(passkeyAuthenticationOptions(passkeyConfig(), challenge("earlier"))));
      assert.ok((await signIn(store, authenticator, { round: "earlier", answer: earlier })).result.ok);

      const { result } = await signIn(store, authenticator, { round: "later", answer: earlier });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
    });

    test("a counter lower than the stored one, with a warning about a possible clone", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      for (const round of ["one", "two", "three"]) assert.ok((await signIn(store, authenticator, { round })).result.ok);

      const { result, logs } = await signIn(store, authenticator, { round: "clone", tamper: { counter: 2 } });

      assert.deepEqual(result, { ok: false, reason: "counter_regression" });
      const warning = logs.find((line) => line.level === "warn");
      assert.match(warning?.message ?? "", /cloned/);
      assert.deepEqual(warning?.fields, { credentialId: authenticator.credentialId, storedCounter: 3, receivedCounter: 2 });
      assert.equal(store.items.get(authenticator.credentialId)?.counter, 3, "the stored counter never goes back");
    });

    test("a counter equal to the stored one in another session", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      assert.ok((await signIn(store, authenticator, { round: "one" })).result.ok);

      const { result, logs } = await signIn(store, authenticator, { round: "two", tamper: { counter: 1 } });

      assert.deepEqual(result, { ok: false, reason: "counter_regression" });
      assert.ok(logs.some((line) => line.level === "warn"));
    });

    test("a counter of 0 once the stored counter has moved", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      assert.ok((await signIn(store, authenticator, { round: "one" })).result.ok);

      const { result } = await signIn(store, authenticator, { round: "two", tamper: { counter: 0 } });

      assert.deepEqual(result, { ok: false, reason: "counter_regression" });
    });

    test("a concurrent use that moved the counter first", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      const stale = store.get.bind(store);
      // The other invocation records its use between this one's read and its write.
      const racing: MemoryPasskeyStore = {
        ...store,
        async get(id) {
          const passkey = await stale(id);
          const item = store.items.get(id);
          if (item !== undefined) store.items.set(id, { ...item, counter: 5, lastChallenge: challenge("other") });
          return passkey;
        },
      };

      const { result } = await signIn(racing, authenticator, { round: "raced" });

      assert.deepEqual(result, { ok: false, reason: "counter_regression" });
    });

    test("a passkey that belongs to another user", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, {}, "someone-else", "5a1e0000-0000-4000-8000-000000000000");

      const { result } = await signIn(store, authenticator);

      assert.deepEqual(result, { ok: false, reason: "credential_of_another_user" });
      assert.equal(store.uses.length, 0);
    });

    test("a user handle that is not the one the passkey was enrolled with", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { userHandle: Buffer.from("someone-else").toString("base64url") } });

      assert.deepEqual(result, { ok: false, reason: "credential_of_another_user" });
    });

    test("a passkey nobody enrolled", async () => {
      const store = memoryPasskeyStore();
      const stranger = createSoftAuthenticator();

      const { result } = await signIn(store, stranger);

      assert.deepEqual(result, { ok: false, reason: "unknown_credential" });
    });

    test("no user verification when the deployment requires it", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { flags: FLAG.UP } });

      assert.deepEqual(result, { ok: false, reason: "user_verification_missing" });
      assert.equal(store.uses.length, 0);
    });

    test("no user presence", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { flags: FLAG.UV } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
    });

    test("authenticator data changed after signing", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { corruptAuthenticatorData: true } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
      assert.equal(store.uses.length, 0);
    });

    test("a signature that does not match", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { corruptSignature: true } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
      assert.equal(store.uses.length, 0);
    });

    test("a registration response offered as an assertion", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);

      const { result } = await signIn(store, authenticator, { tamper: { type: "webauthn.create" } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
    });

    for (const [what, answer] of [
      ["an answer that is not JSON", "{not json"],
      ["a JSON array", "[]"],
      ["JSON without a response", JSON.stringify({ id: "abc", rawId: "abc", type: "public-key" })],
      ["a credential type other than public-key", JSON.stringify({ id: "abc", rawId: "abc", type: "password", response: {} })],
      ["a signature that is not base64url", JSON.stringify({ id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "not base64!" } })],
      ["an unknown attachment", JSON.stringify({ id: "abc", rawId: "abc", type: "public-key", authenticatorAttachment: "pocket", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" } })],
      ["the method name instead of an assertion", "PASSKEY"],
      ["no answer at all", undefined],
    ] as const) {
      test(`${what} is a malformed answer`, async () => {
        const store = memoryPasskeyStore();
        const { deps } = passkeyDeps(store);

        const result = await verifyPasskeyAssertion(deps, { answer, expectedChallenge: challenge("x"), userName: USER });

        assert.deepEqual(result, { ok: false, reason: "malformed_answer" });
      });
    }

    test("an answer over 16 KiB is refused before it is parsed", async () => {
      const store = memoryPasskeyStore();
      const { deps } = passkeyDeps(store);
      let read = false;
      store.get = async () => {
        read = true;
        return undefined;
      };

      const result = await verifyPasskeyAssertion(deps, { answer: `{"id":"${"A".repeat(16 * 1024)}"}`, expectedChallenge: challenge("x"), userName: USER });

      assert.deepEqual(result, { ok: false, reason: "answer_too_large" });
      assert.equal(read, false);
    });
  });

  test("a refused assertion leaves neither its signature nor the stored public key in the logs", async () => {
    const store = memoryPasskeyStore();
    const authenticator = await enrol(store);
    const response = authenticator.authenticate(passkeyAuthenticationOptions(passkeyConfig(), challenge("sign-in")), {
      origin: "https://evil.example",
    });
    const { result, logs } = await signIn(store, authenticator, { answer: JSON.stringify(response) });
    assert.equal(result.ok, false);
    const logged = JSON.stringify(logs);
    assert.ok(logs.length > 0, "the refusal is logged");
    assert.ok(!logged.includes(response.response.signature), "no signature in the logs");
    const [stored] = await store.listForUser(USER);
    assert.ok(stored !== undefined && !logged.includes(stored.publicKey), "no public key in the logs");
  });

  test("a store outage is an exception, not a rejection", async () => {
    const store = memoryPasskeyStore();
    const authenticator = await enrol(store);
    store.get = async () => {
      throw new StoreUnavailableError("DynamoDB did not return the passkey.");
    };

    await assert.rejects(signIn(store, authenticator), StoreUnavailableError);
  });
});
