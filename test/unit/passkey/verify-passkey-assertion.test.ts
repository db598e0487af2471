import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { passkeyAuthenticationOptions } from "../../../lib/passkey/authentication-options.ts";
import { passkeyRegistrationOptions } from "../../../lib/passkey/registration-options.ts";
import { PUBLIC_KEY_ATTRIBUTE, withCachedPublicKey } from "../../../lib/passkey/public-key-cache.ts";
import { passkeyUserHandle } from "../../../lib/passkey/user-handle.ts";
import { verifyPasskeyAssertion } from "../../../lib/passkey/verify-passkey-assertion.ts";
import { verifyPasskeyRegistration } from "../../../lib/passkey/verify-passkey-registration.ts";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import type { PasskeyConfig } from "../../../lib/config.ts";
import { FLAG, type SoftAuthenticatorOptions, type Tampering, createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { ANDROID_ORIGIN, NOW, type MemoryPasskeyStore, USER_POOL_ID, challenge, memoryPasskeyStore, passkeyConfig, passkeyDeps } from "./passkey-test-kit.ts";

const USER = "user-1";
const SUB = "0d8f3a2e-1111-4b5c-9c1e-2f6a7b8c9d0e";

const CLIENT = "client-1";

/** The user's attributes as the next trigger event carries them. */
function attributesOf(store: MemoryPasskeyStore, userName: string, sub: string): Record<string, string> {
  if (!store.attributes.has(userName)) store.attributes.set(userName, { sub });
  return { ...store.attributes.get(userName) };
}

/** Enrols a soft authenticator for a user through the real registration path. */
async function enrol(store: MemoryPasskeyStore, options: SoftAuthenticatorOptions = {}, userName = USER, sub = SUB) {
  const authenticator = createSoftAuthenticator(options);
  const config = passkeyConfig();
  const userAttributes = attributesOf(store, userName, sub);
  const userHandle = passkeyUserHandle(userAttributes, userName);
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
    userPoolId: USER_POOL_ID,
    userAttributes,
    userHandle,
  });
  assert.ok(enrolled.ok, "the soft authenticator enrols");
  return authenticator;
}

/** Writes an authenticator's key into the user's custom:passkeys the way no enrolment did. */
function cacheKeyOutsideEnrolment(store: MemoryPasskeyStore, authenticator: ReturnType<typeof createSoftAuthenticator>) {
  const cached = store.attributes.get(USER)?.[PUBLIC_KEY_ATTRIBUTE];
  const value = withCachedPublicKey(cached, authenticator.credentialId, { publicKey: authenticator.publicKeyCose, method: "swk" });
  store.attributes.set(USER, { sub: SUB, [PUBLIC_KEY_ATTRIBUTE]: value! });
}

/** Signs in: SELECT_METHOD options for a fresh challenge, answered by the authenticator. */
async function signIn(
  store: MemoryPasskeyStore,
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  {
    tamper = {},
    userName = USER,
    config = passkeyConfig(),
    round = "sign-in",
    answer,
  }: { tamper?: Tampering; userName?: string; config?: PasskeyConfig; round?: string; answer?: unknown } = {},
) {
  const expectedChallenge = challenge(round);
  const request = passkeyAuthenticationOptions(config, expectedChallenge);
  const { deps, logs } = passkeyDeps(store, config);
  const result = await verifyPasskeyAssertion(deps, {
    answer: answer ?? JSON.stringify(authenticator.authenticate(request, tamper)),
    expectedChallenge,
    userName,
    clientId: CLIENT,
    userAttributes: attributesOf(store, userName, SUB),
  });
  return { result, logs };
}

describe("verifying the assertion of a sign-in without a username", () => {
  /** Signed over the stored challenge of POST /passkeys/challenge, not the round's own. */
  async function usernamelessSignIn(store: MemoryPasskeyStore, authenticator: ReturnType<typeof createSoftAuthenticator>, tamper: Tampering = {}) {
    const config = passkeyConfig();
    const stored = challenge("stored-by-the-api");
    const { deps } = passkeyDeps(store, config);
    return verifyPasskeyAssertion(deps, {
      answer: JSON.stringify(authenticator.authenticate(passkeyAuthenticationOptions(config, stored), tamper)),
      expectedChallenge: stored,
      sessionChallenge: challenge("the-round's-own"),
      requireUserHandle: true,
      userName: USER,
      clientId: CLIENT,
      userAttributes: attributesOf(store, USER, SUB),
    });
  }

  test("is recorded under the session's own challenge, which the session's enrolment round and a repeated Verify present", async () => {
    const store = memoryPasskeyStore();
    const authenticator = await enrol(store);
    const result = await usernamelessSignIn(store, authenticator);
    assert.ok(result.ok);
    assert.equal(store.uses[0]?.challenge, challenge("the-round's-own"));
  });

  test("an assertion without a user handle is refused before any read: it names nobody", async () => {
    const store = memoryPasskeyStore();
    const authenticator = await enrol(store);
    let reads = 0;
    store.get = async () => {
      reads += 1;
      return undefined;
    };
    const result = await usernamelessSignIn(store, authenticator, { userHandle: null });
    assert.deepEqual(result, { ok: false, reason: "user_handle_missing" });
    assert.deepEqual([reads, store.uses.length], [0, 0]);
  });

  test("an assertion over the round's own challenge instead of the stored one fails verification", async () => {
    const store = memoryPasskeyStore();
    const authenticator = await enrol(store);
    const config = passkeyConfig();
    const { deps } = passkeyDeps(store, config);
    const result = await verifyPasskeyAssertion(deps, {
      answer: JSON.stringify(authenticator.authenticate(passkeyAuthenticationOptions(config, challenge("the-round's-own")))),
      expectedChallenge: challenge("stored-by-the-api"),
      sessionChallenge: challenge("the-round's-own"),
      requireUserHandle: true,
      userName: USER,
      clientId: CLIENT,
      userAttributes: attributesOf(store, USER, SUB),
    });
    assert.deepEqual(result, { ok: false, reason: "verification_failed" });
    assert.equal(store.uses.length, 0);
  });
});

describe("verifying a passkey assertion (SELECT_METHOD, PASSKEY answer)", () => {
  describe("accepted", () => {
    test("a synced passkey of the user signs in as swk, its key read from the event, its use and sign-in recorded in one write", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, { attachment: "platform", synced: true });
      let reads = 0;
      store.get = async () => {
        reads += 1;
        return undefined;
      };

      const { result } = await signIn(store, authenticator);

      assert.ok(result.ok);
      assert.equal(result.method, "swk");
      assert.equal(reads, 0, "the key came from the user's attribute, not the table");
      assert.equal(store.passkeyState(USER, authenticator.credentialId)?.counter, 1);
      assert.deepEqual(store.uses, [
        {
          credentialId: authenticator.credentialId,
          keyFingerprint: store.passkeyState(USER, authenticator.credentialId)?.fingerprint,
          newCounter: 1,
          challenge: challenge("sign-in"),
          adoptWithCounter: undefined,
        },
      ]);
      assert.deepEqual(store.records, [{ userName: USER, clientId: CLIENT, methods: ["swk"], level: "urn:cognito:loa:3", verifiedAt: NOW }]);
    });

    test("a passkey whose key is not in the user's attribute is read from the table and adopted", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      // As when enrolment's fingerprint write failed after the passkey's own item was created (and
      // so the key was never cached): no attribute, no state on the user's item.
      store.attributes.set(USER, { sub: SUB });
      store.state.clear();

      const first = await signIn(store, authenticator, { round: "one" });
      const second = await signIn(store, authenticator, { round: "two" });

      assert.ok(first.result.ok && second.result.ok);
      assert.equal(store.uses[0]?.adoptWithCounter, 0, "the credential's own counter is the one to beat");
      assert.equal(store.passkeyState(USER, authenticator.credentialId)?.counter, 2);
    });

    test("a security key signs in as hwk", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, { attachment: "cross-platform", transports: ["usb", "nfc"] });

      const { result } = await signIn(store, authenticator);

      assert.ok(result.ok);
      assert.equal(result.method, "hwk");
    });

    test("the method follows the backup-eligibility flag the credential signed, never the attachment or transports the client reports", async () => {
      const store = memoryPasskeyStore();
      // A device-bound key that calls itself a platform passkey, and a synced one that calls itself roaming.
      const deviceBound = await enrol(store, { attachment: "platform", transports: ["internal", "hybrid"] });
      const synced = await enrol(store, { attachment: "cross-platform", transports: ["usb"], synced: true });

      const fromDeviceBound = await signIn(store, deviceBound);
      const fromSynced = await signIn(store, synced);

      assert.ok(fromDeviceBound.result.ok && fromSynced.result.ok);
      assert.equal(fromDeviceBound.result.method, "hwk", "BE clear: the key cannot leave the authenticator");
      assert.equal(fromSynced.result.method, "swk", "BE set: a passkey that may be backed up and synced");
    });

    test("a synced passkey whose counter is always 0 signs in again and again", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store, { counter: "zero", synced: true });

      const first = await signIn(store, authenticator, { round: "first" });
      const second = await signIn(store, authenticator, { round: "second" });

      assert.ok(first.result.ok && second.result.ok);
      assert.equal(store.passkeyState(USER, authenticator.credentialId)?.counter, 0);
      assert.equal(store.passkeyState(USER, authenticator.credentialId)?.lastChallenge, challenge("second"));
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
      assert.equal(store.passkeyState(USER, authenticator.credentialId)?.counter, 1);
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
      assert.deepEqual(warning?.fields, { credentialId: authenticator.credentialId, receivedCounter: 2 });
      assert.equal(store.passkeyState(USER, authenticator.credentialId)?.counter, 3, "the stored counter never goes back");
      assert.equal(store.records.length, 3, "no sign-in record for the refused assertion");
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
      const save = store.signIns.savePasskeySignIn;
      // The other invocation records its use between this one's verification and its write.
      store.signIns.savePasskeySignIn = async (record, use) => {
        const state = store.passkeyState(USER, use.credentialId)!;
        store.state.get(USER)!.set(use.credentialId, { ...state, counter: 5, lastChallenge: challenge("other") });
        return save(record, use);
      };

      const { result } = await signIn(store, authenticator, { round: "raced" });

      assert.deepEqual(result, { ok: false, reason: "counter_regression" });
    });

    test("a cached key whose fingerprint is not on the user's item is refused and logged, though its own item holds that key", async () => {
      const store = memoryPasskeyStore();
      const authenticator = await enrol(store);
      assert.ok((await signIn(store, authenticator, { round: "before" })).result.ok);
      // Enrolment writes the fingerprint before it caches the key: a cached key without one is
      // not the state enrolment leaves, and the attribute alone vouches for nothing.
      store.state.clear();
      let reads = 0;
      const get = store.get.bind(store);
      store.get = async (credentialId) => {
        reads += 1;
        return get(credentialId);
      };

      const { result, logs } = await signIn(store, authenticator, { round: "after" });

      assert.deepEqual(result, { ok: false, reason: "unknown_credential" });
      assert.equal(reads, 0, "the passkey's own item is not read to adopt the cached key");
      assert.equal(store.uses.at(-1)?.adoptWithCounter, undefined, "the use was judged by the user's item alone");
      assert.equal(store.passkeyState(USER, authenticator.credentialId), undefined, "nothing was adopted");
      assert.equal(store.records.length, 1, "no sign-in record beyond the first sign-in's");
      assert.ok(
        logs.some(
          (line) => line.level === "warn" && /not one enrolment recorded/.test(line.message) && line.fields["credentialId"] === authenticator.credentialId,
        ),
      );
    });

    test("a key put into the user's attribute by other means than enrolment signs nobody in", async () => {
      const store = memoryPasskeyStore();
      await enrol(store);
      const planted = createSoftAuthenticator();
      // Someone able to write custom:passkeys adds their own key; the table never vouched for it.
      cacheKeyOutsideEnrolment(store, planted);

      const { result, logs } = await signIn(store, planted);

      assert.deepEqual(result, { ok: false, reason: "unknown_credential" });
      assert.equal(store.records.length, 0, "no sign-in record");
      assert.ok(logs.some((line) => line.level === "warn" && /not one enrolment recorded/.test(line.message)));
    });

    test("a key swapped in the user's attribute for an enrolled credential signs nobody in", async () => {
      const store = memoryPasskeyStore();
      const enrolled = await enrol(store);
      const impostor = createSoftAuthenticator({ credentialId: enrolled.credentialId });
      cacheKeyOutsideEnrolment(store, impostor);

      const { result } = await signIn(store, impostor);

      assert.deepEqual(result, { ok: false, reason: "unknown_credential" });
      assert.equal(store.passkeyState(USER, enrolled.credentialId)?.counter, 0, "the enrolled passkey's state is untouched");
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
      [
        "a signature that is not base64url",
        JSON.stringify({ id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "not base64!" } }),
      ],
      [
        "an unknown attachment",
        JSON.stringify({
          id: "abc",
          rawId: "abc",
          type: "public-key",
          authenticatorAttachment: "pocket",
          response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
        }),
      ],
      ["the method name instead of an assertion", "PASSKEY"],
      ["no answer at all", undefined],
    ] as const) {
      test(`${what} is a malformed answer`, async () => {
        const store = memoryPasskeyStore();
        const { deps } = passkeyDeps(store);

        const result = await verifyPasskeyAssertion(deps, {
          answer,
          expectedChallenge: challenge("x"),
          userName: USER,
          clientId: CLIENT,
          userAttributes: { sub: SUB },
        });

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

      const result = await verifyPasskeyAssertion(deps, {
        answer: `{"id":"${"A".repeat(16 * 1024)}"}`,
        expectedChallenge: challenge("x"),
        userName: USER,
        clientId: CLIENT,
        userAttributes: { sub: SUB },
      });

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

  test("a store outage is an exception, not a rejection, whether the key is cached or read", async () => {
    const store = memoryPasskeyStore();
    const authenticator = await enrol(store);
    store.signIns.savePasskeySignIn = async () => {
      throw new StoreUnavailableError("DynamoDB did not record the passkey sign-in.");
    };
    await assert.rejects(signIn(store, authenticator, { round: "cached" }), StoreUnavailableError);

    store.attributes.set(USER, { sub: SUB });
    store.get = async () => {
      throw new StoreUnavailableError("DynamoDB did not return the passkey.");
    };
    await assert.rejects(signIn(store, authenticator, { round: "read" }), StoreUnavailableError);
  });
});
