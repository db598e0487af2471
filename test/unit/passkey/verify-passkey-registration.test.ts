import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { passkeyRegistrationOptions } from "../../../lib/passkey/registration-options.ts";
import { passkeyUserHandle } from "../../../lib/passkey/user-handle.ts";
import { verifyPasskeyRegistration } from "../../../lib/passkey/verify-passkey-registration.ts";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import type { PasskeyConfig } from "../../../lib/config.ts";
import { FLAG, type SoftAuthenticator, type Tampering, createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { NOW, type MemoryPasskeyStore, USER_POOL_ID, challenge, memoryPasskeyStore, passkeyConfig, passkeyDeps } from "./passkey-test-kit.ts";
import { PUBLIC_KEY_ATTRIBUTE, findCachedPublicKey, publicKeyFingerprint } from "../../../lib/passkey/public-key-cache.ts";
import { hashForKey } from "../../../lib/store/keys.ts";

const USER = "user-1";
const SUB = "0d8f3a2e-1111-4b5c-9c1e-2f6a7b8c9d0e";
const USER_HANDLE = passkeyUserHandle({ sub: SUB }, USER);
const ICLOUD = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const CHROME_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const EMAIL = "jane@example.com";
const PHONE = "+14155550123";
/** The user's addresses as Cognito shows them: an account that proved its email. */
const VERIFIED_EMAIL = { email: EMAIL, email_verified: "true" };

async function enrol(
  store: MemoryPasskeyStore,
  authenticator: SoftAuthenticator,
  {
    tamper = {},
    userName = USER,
    config = passkeyConfig(),
    userAgent,
    answer,
    addresses = VERIFIED_EMAIL,
    provenAddress,
    friendlyName,
  }: {
    tamper?: Tampering;
    userName?: string;
    config?: PasskeyConfig;
    userAgent?: string;
    answer?: unknown;
    addresses?: Record<string, string>;
    provenAddress?: string;
    friendlyName?: string;
  } = {},
) {
  const options = await passkeyRegistrationOptions(config, {
    challenge: challenge(`enrol-${userName}`),
    userHandle: USER_HANDLE,
    userName: "jane@example.com",
    displayName: "jane@example.com",
    existing: await store.listForUser(userName),
  });
  const { deps, logs } = passkeyDeps(store, config);
  const result = await verifyPasskeyRegistration(deps, {
    answer: answer ?? JSON.stringify(authenticator.register(options, tamper)),
    expectedChallenge: options.challenge,
    userName,
    userPoolId: USER_POOL_ID,
    userAttributes: { sub: SUB, ...addresses, ...store.attributes.get(userName) },
    userHandle: USER_HANDLE,
    userAgent,
    provenAddress,
    friendlyName,
  });
  return { result, logs };
}

describe("verifying a passkey enrolment (PASSKEY_REGISTRATION)", () => {
  test("a passkey is stored with its key, counter, transports, AAGUID, backup flags, time and provider name", async () => {
    const store = memoryPasskeyStore();
    const authenticator = createSoftAuthenticator({ aaguid: ICLOUD, synced: true, transports: ["internal", "hybrid"] });

    const { result } = await enrol(store, authenticator);

    assert.ok(result.ok);
    const stored = store.items.get(authenticator.credentialId);
    assert.deepEqual(stored, result.credential);
    assert.equal(stored?.userName, USER);
    assert.equal(stored?.userHandle, USER_HANDLE);
    assert.equal(stored?.counter, 0);
    assert.deepEqual(stored?.transports, ["internal", "hybrid"]);
    assert.equal(stored?.aaguid, ICLOUD);
    assert.equal(stored?.backedUp, true);
    assert.equal(stored?.deviceType, "multiDevice");
    assert.equal(stored?.createdAt, NOW);
    assert.equal(stored?.lastUsedAt, undefined);
    assert.equal(stored?.friendlyName, "iCloud Keychain");
    assert.ok((stored?.publicKey.length ?? 0) > 60, "the COSE public key is kept");
  });

  test("the new passkey's key is vouched for on the user's item and cached in the user's attribute", async () => {
    const store = memoryPasskeyStore();
    // A synced phone passkey (backup eligible: swk) and a device-bound security key (hwk).
    const phone = createSoftAuthenticator({ transports: ["internal", "hybrid"], synced: true });
    const key = createSoftAuthenticator({ attachment: "cross-platform", transports: ["usb"] });

    assert.ok((await enrol(store, phone)).result.ok);
    assert.ok((await enrol(store, key)).result.ok);

    assert.deepEqual(store.passkeyState(USER, phone.credentialId), { fingerprint: publicKeyFingerprint(phone.publicKeyCose), counter: 0 });
    const attribute = store.attributes.get(USER)?.[PUBLIC_KEY_ATTRIBUTE];
    assert.deepEqual(findCachedPublicKey(attribute, phone.credentialId), { publicKey: phone.publicKeyCose, method: "swk" });
    assert.deepEqual(
      findCachedPublicKey(attribute, key.credentialId),
      { publicKey: key.publicKeyCose, method: "hwk" },
      "the first key stays beside the second",
    );
    assert.deepEqual(
      store.attributeWrites.map((write) => write.userName),
      [USER, USER],
    );
  });

  test("when the attribute cannot be written the passkey is still enrolled, with a warning", async () => {
    const store = memoryPasskeyStore();
    store.publicKeyAttribute.write = async () => {
      throw new Error("TooManyRequestsException");
    };
    const authenticator = createSoftAuthenticator();

    const { result, logs } = await enrol(store, authenticator);

    assert.ok(result.ok, "sign-ins read this passkey from the table instead");
    assert.ok(store.items.has(authenticator.credentialId));
    assert.ok(store.passkeyState(USER, authenticator.credentialId) !== undefined);
    assert.ok(logs.some((line) => line.level === "warn" && /not cached/.test(line.message)));
  });

  test("when the attribute is full the passkey is enrolled and the attribute left as it was", async () => {
    const store = memoryPasskeyStore();
    const full = `v1;${Array.from({ length: 15 }, (_, index) => `${String(index).padStart(22, "A")}.s.${"B".repeat(110)}`).join(",")}`;
    store.attributes.set(USER, { sub: SUB, [PUBLIC_KEY_ATTRIBUTE]: full });

    const { result } = await enrol(store, createSoftAuthenticator(), { config: passkeyConfig({ maxPerUser: 20 }) });

    assert.ok(result.ok);
    assert.equal(store.attributeWrites.length, 0);
    assert.equal(store.attributes.get(USER)?.[PUBLIC_KEY_ATTRIBUTE], full);
  });

  test("a single-device key of an unknown provider is named after the browser that enrolled it", async () => {
    const store = memoryPasskeyStore();
    const authenticator = createSoftAuthenticator({ attachment: "cross-platform", transports: ["usb"] });

    const { result } = await enrol(store, authenticator, { userAgent: CHROME_ON_WINDOWS });

    assert.ok(result.ok);
    assert.equal(result.credential.friendlyName, "Chrome on Windows");
    assert.equal(result.credential.deviceType, "singleDevice");
    assert.equal(result.credential.backedUp, false);
  });

  test("a name the user gave (the passkey API's) is the passkey's name and the notice's, whatever its provider", async () => {
    const store = memoryPasskeyStore();

    const { result } = await enrol(store, createSoftAuthenticator({ aaguid: ICLOUD }), { userAgent: CHROME_ON_WINDOWS, friendlyName: "My phone" });

    assert.ok(result.ok);
    assert.equal(result.credential.friendlyName, "My phone");
    assert.equal(store.items.get(result.credential.credentialId)?.friendlyName, "My phone");
    assert.equal(store.notices.sent.at(-1)?.change.passkeyName, "My phone");
  });

  test("without a known AAGUID or a user agent the passkey is called Passkey", async () => {
    const store = memoryPasskeyStore();

    const { result } = await enrol(store, createSoftAuthenticator());

    assert.ok(result.ok);
    assert.equal(result.credential.friendlyName, "Passkey");
  });

  test("an enrolment without user verification is accepted when the deployment only prefers it", async () => {
    const store = memoryPasskeyStore();

    const { result } = await enrol(store, createSoftAuthenticator({ userVerifying: false }), { config: passkeyConfig({ userVerification: "preferred" }) });

    assert.ok(result.ok);
  });

  describe("the notice of a new passkey", () => {
    test("a successful enrolment sends exactly one notice, to the verified email, naming the passkey and when it was added", async () => {
      const store = memoryPasskeyStore();

      const { result, logs } = await enrol(store, createSoftAuthenticator({ aaguid: ICLOUD, synced: true }));

      assert.ok(result.ok);
      assert.deepEqual(store.notices.sent, [
        { recipient: { channel: "email", to: EMAIL }, change: { kind: "added", passkeyName: "iCloud Keychain", at: NOW, appName: "Example App" } },
      ]);
      const sent = logs.find((line) => line.message === "Passkey notice sent");
      assert.equal(sent?.level, "info");
      assert.equal(sent?.fields["channel"], "email");
      assert.doesNotMatch(JSON.stringify(sent?.fields), /jane@example\.com/, "the log shows the address masked");
    });

    test("the notice names the passkey after the browser when its provider is not well known", async () => {
      const store = memoryPasskeyStore();

      await enrol(store, createSoftAuthenticator({ attachment: "cross-platform", transports: ["usb"] }), { userAgent: CHROME_ON_WINDOWS });

      assert.equal(store.notices.sent.length, 1);
      assert.equal(store.notices.sent[0]?.change.passkeyName, "Chrome on Windows");
    });

    test("after a code proved the email in this session, the notice goes to that email although its flag is not written yet", async () => {
      const store = memoryPasskeyStore();

      const { result } = await enrol(store, createSoftAuthenticator(), {
        addresses: { email: EMAIL, email_verified: "false" },
        provenAddress: hashForKey(EMAIL),
      });

      assert.ok(result.ok);
      assert.deepEqual(
        store.notices.sent.map((notice) => notice.recipient),
        [{ channel: "email", to: EMAIL }],
      );
    });

    test("after a code proved the phone number in this session, the notice goes to it by SMS", async () => {
      const store = memoryPasskeyStore();

      const { result } = await enrol(store, createSoftAuthenticator(), {
        addresses: { email: EMAIL, email_verified: "false", phone_number: PHONE },
        provenAddress: hashForKey(PHONE),
      });

      assert.ok(result.ok);
      assert.deepEqual(
        store.notices.sent.map((notice) => notice.recipient),
        [{ channel: "sms", to: PHONE }],
      );
    });

    test("an account with no verified address is enrolled all the same, and the missing notice is logged as an error", async () => {
      const store = memoryPasskeyStore();
      const authenticator = createSoftAuthenticator();

      const { result, logs } = await enrol(store, authenticator, { addresses: { email: EMAIL, email_verified: "false" } });

      assert.ok(result.ok);
      assert.ok(store.items.has(authenticator.credentialId));
      assert.deepEqual(store.notices.sent, []);
      assert.ok(logs.some((line) => line.level === "error" && line.message === "Passkey added, but the account has no verified address to tell"));
    });

    test("when the notice cannot be sent the passkey is enrolled all the same, and the failure is logged as an error", async () => {
      const store = memoryPasskeyStore();
      store.notices.failNotices = true;
      const authenticator = createSoftAuthenticator();

      const { result, logs } = await enrol(store, authenticator);

      assert.ok(result.ok);
      assert.ok(store.items.has(authenticator.credentialId), "the credential is stored");
      assert.deepEqual(store.passkeyState(USER, authenticator.credentialId), {
        fingerprint: publicKeyFingerprint(authenticator.publicKeyCose),
        counter: 0,
      });
      assert.ok(findCachedPublicKey(store.attributes.get(USER)?.[PUBLIC_KEY_ATTRIBUTE], authenticator.credentialId) !== undefined);
      assert.deepEqual(store.notices.sent, []);
      const error = logs.find((line) => line.level === "error");
      assert.match(error?.message ?? "", /^Passkey notice not sent/);
      assert.equal(error?.fields["credentialId"], authenticator.credentialId);
    });

    test("an enrolment refused for a bad answer sends no notice", async () => {
      const store = memoryPasskeyStore();

      const { result } = await enrol(store, createSoftAuthenticator(), { tamper: { origin: "https://evil.example" } });

      assert.deepEqual(result, { ok: false, reason: "verification_failed" });
      assert.deepEqual(store.notices.sent, []);
    });

    test("a malformed answer sends no notice", async () => {
      const store = memoryPasskeyStore();

      const { result } = await enrol(store, createSoftAuthenticator(), { answer: "{not json" });

      assert.deepEqual(result, { ok: false, reason: "malformed_answer" });
      assert.deepEqual(store.notices.sent, []);
    });

    test("a credential id already registered sends no notice to the one who tried it", async () => {
      const store = memoryPasskeyStore();
      const authenticator = createSoftAuthenticator();
      assert.ok((await enrol(store, authenticator, { userName: "someone-else", addresses: { email: "owner@example.com", email_verified: "true" } })).result.ok);

      const { result } = await enrol(store, authenticator);

      assert.deepEqual(result, { ok: false, reason: "credential_already_registered" });
      assert.deepEqual(
        store.notices.sent.map((notice) => notice.recipient.to),
        ["owner@example.com"],
        "only the first owner's enrolment was announced",
      );
    });

    test("the same answer verified twice (Cognito invoked Verify again) is announced once", async () => {
      const store = memoryPasskeyStore();
      const authenticator = createSoftAuthenticator();
      const options = await passkeyRegistrationOptions(passkeyConfig(), {
        challenge: challenge(`enrol-${USER}`),
        userHandle: USER_HANDLE,
        userName: EMAIL,
        displayName: EMAIL,
        existing: [],
      });
      const answer = JSON.stringify(authenticator.register(options));
      assert.ok((await enrol(store, authenticator, { answer })).result.ok);

      const { result } = await enrol(store, authenticator, { answer });

      assert.deepEqual(result, { ok: false, reason: "credential_already_registered" });
      assert.equal(store.notices.sent.length, 1);
    });

    test("a passkey beyond the number a user may have sends no notice", async () => {
      const store = memoryPasskeyStore();
      for (let index = 0; index < 3; index++) assert.ok((await enrol(store, createSoftAuthenticator())).result.ok);

      const { result } = await enrol(store, createSoftAuthenticator());

      assert.deepEqual(result, { ok: false, reason: "passkey_limit_reached" });
      assert.equal(store.notices.sent.length, 3, "one notice for each passkey enrolled, none for the refused one");
    });
  });

  describe("rejected, as a value, and nothing stored", () => {
    for (const [what, tamper, reason] of [
      ["from an origin that is not allowed", { origin: "https://evil.example" }, "verification_failed"],
      ["for another relying party id", { rpId: "evil.example" }, "verification_failed"],
      ["over another challenge", { challenge: challenge("another round") }, "verification_failed"],
      ["of a sign-in type", { type: "webauthn.get" }, "verification_failed"],
      ["without user presence", { flags: FLAG.UV | FLAG.AT }, "verification_failed"],
      ["without user verification when the deployment requires it", { flags: FLAG.UP | FLAG.AT }, "user_verification_missing"],
    ] as const) {
      test(`an enrolment ${what}`, async () => {
        const store = memoryPasskeyStore();

        const { result } = await enrol(store, createSoftAuthenticator(), { tamper });

        assert.deepEqual(result, { ok: false, reason });
        assert.equal(store.items.size, 0);
      });
    }

    test("a credential id another user already registered", async () => {
      const store = memoryPasskeyStore();
      const authenticator = createSoftAuthenticator();
      assert.ok((await enrol(store, authenticator, { userName: "someone-else" })).result.ok);

      const { result, logs } = await enrol(store, authenticator);

      assert.deepEqual(result, { ok: false, reason: "credential_already_registered" });
      assert.equal(store.items.get(authenticator.credentialId)?.userName, "someone-else", "the first owner keeps it");
      assert.ok(logs.some((line) => line.fields["reason"] === "credential_already_registered"));
    });

    test("a passkey beyond the number a user may have", async () => {
      const store = memoryPasskeyStore();
      for (let index = 0; index < 3; index++) assert.ok((await enrol(store, createSoftAuthenticator())).result.ok);

      const { result } = await enrol(store, createSoftAuthenticator());

      assert.deepEqual(result, { ok: false, reason: "passkey_limit_reached" });
      assert.equal(store.items.size, 3);
    });

    for (const [what, answer] of [
      ["an answer that is not JSON", "{not json"],
      ["JSON without an attestation object", JSON.stringify({ id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "e30" } })],
      [
        "transports that are not strings",
        JSON.stringify({ id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "AA", transports: [1] } }),
      ],
      ["SKIP in the wrong place", "SKIPPED"],
    ] as const) {
      test(`${what} is a malformed answer`, async () => {
        const store = memoryPasskeyStore();

        const { result } = await enrol(store, createSoftAuthenticator(), { answer });

        assert.deepEqual(result, { ok: false, reason: "malformed_answer" });
      });
    }

    test("an answer over 16 KiB", async () => {
      const store = memoryPasskeyStore();

      const { result } = await enrol(store, createSoftAuthenticator(), { answer: " ".repeat(16 * 1024 + 1) });

      assert.deepEqual(result, { ok: false, reason: "answer_too_large" });
    });
  });

  test("a store outage while storing is an exception, not a rejection", async () => {
    const store = memoryPasskeyStore();
    store.create = async () => {
      throw new StoreUnavailableError("DynamoDB did not store the passkey.");
    };

    await assert.rejects(enrol(store, createSoftAuthenticator()), StoreUnavailableError);
  });
});
