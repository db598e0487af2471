/**
 * Passkey answers, each wrong in one way, with real signatures from a software authenticator.
 * Every rejection is a value with a named reason, never an exception.
 */
import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import type { PasskeyConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/logger.ts";
import { newPasskeyChallenge } from "../../lib/passkey/passkey-rounds.ts";
import { type PasskeyDeps, verifyPasskeyAssertion } from "../../lib/passkey/verify-passkey-assertion.ts";
import { verifyPasskeyRegistration } from "../../lib/passkey/verify-passkey-registration.ts";
import type { PasskeyCredentialStore, PasskeyUse, StoredPasskey } from "../../lib/store/passkey-credentials.ts";
import { type LogCapture, captureLogs } from "../support/log-capture.ts";
import { SoftAuthenticator } from "../support/webauthn-test-authenticator.ts";

const RP_ID = "example.com";
const ORIGIN = "https://example.com";
const ALICE = { userName: "alice-uuid", userHandle: Buffer.from("alice-sub").toString("base64url") };
const BOB = { userName: "bob-uuid", userHandle: Buffer.from("bob-sub").toString("base64url") };

/** The store as a map, with recordUse's conditional update. */
class MemoryPasskeys implements PasskeyCredentialStore {
  readonly items = new Map<string, StoredPasskey & { lastChallenge?: string }>();
  async get(id: string) {
    return this.items.get(id);
  }
  async listForUser(userName: string) {
    return [...this.items.values()].filter((item) => item.userName === userName);
  }
  async create(passkey: StoredPasskey) {
    if (this.items.has(passkey.credentialId)) return "exists" as const;
    this.items.set(passkey.credentialId, passkey);
    return "created" as const;
  }
  async recordUse(use: PasskeyUse) {
    const item = this.items.get(use.credentialId);
    if (item === undefined) return "conflict" as const;
    if (item.counter !== use.previousCounter) return item.lastChallenge === use.challenge ? ("replayed" as const) : ("conflict" as const);
    this.items.set(use.credentialId, { ...item, counter: use.newCounter, lastUsedAt: use.usedAt, lastChallenge: use.challenge });
    return "updated" as const;
  }
}

const config = (overrides: Partial<PasskeyConfig> = {}): PasskeyConfig => ({
  rpId: RP_ID,
  rpName: "Example",
  allowedOrigins: [ORIGIN, `android:apk-key-hash:${"A".repeat(43)}`],
  userVerification: "required",
  maxPerUser: 3,
  timeoutMs: 60_000,
  ...overrides,
});

let store: MemoryPasskeys;
let deps: PasskeyDeps;
let logs: LogCapture;

before(() => {
  logs = captureLogs();
});
beforeEach(() => {
  store = new MemoryPasskeys();
  deps = { config: config(), credentials: store, logger: createLogger("passkey-test"), clock: () => 1_800_000_000_000 };
  logs.clear();
});

async function enrol(authenticator: SoftAuthenticator, user = ALICE): Promise<string> {
  const challenge = newPasskeyChallenge();
  const response = authenticator.register({ challenge, rpId: RP_ID, origin: ORIGIN, userHandle: user.userHandle });
  const result = await verifyPasskeyRegistration(deps, { answer: JSON.stringify(response), expectedChallenge: challenge, ...user });
  assert.ok(result.ok, `enrolment works: ${JSON.stringify(result)}`);
  return response.id;
}

async function signIn(answer: unknown, expectedChallenge: string, userName = ALICE.userName) {
  return verifyPasskeyAssertion(deps, { answer, expectedChallenge, userName });
}

describe("enrolling a passkey", () => {
  it("stores the credential with its public key, flags, times and a friendly name", async () => {
    const id = await enrol(new SoftAuthenticator());
    const stored = store.items.get(id);
    assert.equal(stored?.userName, ALICE.userName);
    assert.equal(stored?.userHandle, ALICE.userHandle);
    assert.deepEqual(stored?.transports, ["internal"]);
    assert.equal(stored?.backedUp, true);
    assert.equal(stored?.deviceType, "multiDevice");
    assert.equal(stored?.createdAt, 1_800_000_000_000);
    assert.equal(stored?.friendlyName, "Passkey");
    assert.ok((stored?.publicKey.length ?? 0) > 60);
  });

  it("refuses a credential id that is already registered", async () => {
    const authenticator = new SoftAuthenticator();
    const challenge = newPasskeyChallenge();
    const response = authenticator.register({ challenge, rpId: RP_ID, origin: ORIGIN, userHandle: BOB.userHandle });
    assert.ok((await verifyPasskeyRegistration(deps, { answer: JSON.stringify(response), expectedChallenge: challenge, ...BOB })).ok);
    const again = await verifyPasskeyRegistration(deps, { answer: JSON.stringify(response), expectedChallenge: challenge, ...ALICE });
    assert.deepEqual(again, { ok: false, reason: "credential_already_registered" });
    assert.equal(store.items.size, 1, "the first owner keeps it");
  });

  it("refuses more passkeys than a user may have", async () => {
    const authenticator = new SoftAuthenticator();
    for (let i = 0; i < 3; i++) await enrol(authenticator);
    const challenge = newPasskeyChallenge();
    const response = authenticator.register({ challenge, rpId: RP_ID, origin: ORIGIN, userHandle: ALICE.userHandle });
    assert.deepEqual(await verifyPasskeyRegistration(deps, { answer: JSON.stringify(response), expectedChallenge: challenge, ...ALICE }), {
      ok: false,
      reason: "passkey_limit_reached",
    });
  });

  for (const [name, make, reason] of [
    ["from another origin", (c: string, a: SoftAuthenticator) => a.register({ challenge: c, rpId: RP_ID, origin: "https://evil.example", userHandle: "x" }), "verification_failed"],
    ["for another relying party", (c: string, a: SoftAuthenticator) => a.register({ challenge: c, rpId: "evil.example", origin: ORIGIN, userHandle: "x" }), "verification_failed"],
    ["over another challenge", (_c: string, a: SoftAuthenticator) => a.register({ challenge: newPasskeyChallenge(), rpId: RP_ID, origin: ORIGIN, userHandle: "x" }), "verification_failed"],
    ["without user verification", (c: string, a: SoftAuthenticator) => a.register({ challenge: c, rpId: RP_ID, origin: ORIGIN, userHandle: "x", userVerified: false }), "user_verification_missing"],
  ] as const) {
    it(`refuses an enrolment ${name}`, async () => {
      const challenge = newPasskeyChallenge();
      const response = make(challenge, new SoftAuthenticator());
      assert.deepEqual(await verifyPasskeyRegistration(deps, { answer: JSON.stringify(response), expectedChallenge: challenge, ...ALICE }), { ok: false, reason });
      assert.equal(store.items.size, 0, "nothing is stored");
    });
  }

  it("refuses a sign-in assertion sent where an enrolment is due", async () => {
    const authenticator = new SoftAuthenticator();
    const id = await enrol(authenticator);
    const challenge = newPasskeyChallenge();
    const assertion = authenticator.assert(id, { challenge, rpId: RP_ID, origin: ORIGIN });
    assert.deepEqual(await verifyPasskeyRegistration(deps, { answer: JSON.stringify(assertion), expectedChallenge: challenge, ...ALICE }), {
      ok: false,
      reason: "malformed_answer",
    });
  });
});

describe("signing in with a passkey", () => {
  it("accepts the user's own passkey and says it is a platform passkey (swk)", async () => {
    const authenticator = new SoftAuthenticator();
    const id = await enrol(authenticator);
    const challenge = newPasskeyChallenge();
    const result = await signIn(JSON.stringify(authenticator.assert(id, { challenge, rpId: RP_ID, origin: ORIGIN })), challenge);
    assert.ok(result.ok);
    assert.equal(result.method, "swk");
    assert.equal(store.items.get(id)?.lastUsedAt, 1_800_000_000_000, "the last use is recorded");
  });

  it("accepts a synced passkey whose counter stays 0, again and again", async () => {
    const authenticator = new SoftAuthenticator();
    const id = await enrol(authenticator);
    for (let i = 0; i < 3; i++) {
      const challenge = newPasskeyChallenge();
      assert.ok((await signIn(JSON.stringify(authenticator.assert(id, { challenge, rpId: RP_ID, origin: ORIGIN })), challenge)).ok);
    }
  });

  it("records a moving counter and refuses it going backwards, warning of a possible clone", async () => {
    const authenticator = new SoftAuthenticator({ countersMove: true });
    const id = await enrol(authenticator);
    let challenge = newPasskeyChallenge();
    assert.ok((await signIn(JSON.stringify(authenticator.assert(id, { challenge, rpId: RP_ID, origin: ORIGIN, counter: 5 })), challenge)).ok);
    assert.equal(store.items.get(id)?.counter, 5);
    challenge = newPasskeyChallenge();
    const cloned = authenticator.assert(id, { challenge, rpId: RP_ID, origin: ORIGIN, counter: 3 });
    assert.deepEqual(await signIn(JSON.stringify(cloned), challenge), { ok: false, reason: "counter_regression" });
    assert.ok(logs.lines.some((line) => line.level === "WARN" && /clone/.test(line.message)));
    assert.equal(store.items.get(id)?.counter, 5, "the stored counter is untouched");
  });

  it("refuses another user's passkey", async () => {
    const authenticator = new SoftAuthenticator();
    const bobs = await enrol(authenticator, BOB);
    const challenge = newPasskeyChallenge();
    const result = await signIn(JSON.stringify(authenticator.assert(bobs, { challenge, rpId: RP_ID, origin: ORIGIN })), challenge, ALICE.userName);
    assert.deepEqual(result, { ok: false, reason: "credential_of_another_user" });
  });

  it("refuses a replayed assertion: it was signed over another session's challenge", async () => {
    const authenticator = new SoftAuthenticator();
    const id = await enrol(authenticator);
    const first = newPasskeyChallenge();
    const answer = JSON.stringify(authenticator.assert(id, { challenge: first, rpId: RP_ID, origin: ORIGIN }));
    assert.ok((await signIn(answer, first)).ok);
    assert.deepEqual(await signIn(answer, newPasskeyChallenge()), { ok: false, reason: "verification_failed" });
  });

  const wrong: Array<[string, (a: SoftAuthenticator, id: string, challenge: string) => unknown, string]> = [
    ["from an origin that is not allowed", (a, id, c) => JSON.stringify(a.assert(id, { challenge: c, rpId: RP_ID, origin: "https://evil.example" })), "verification_failed"],
    ["for another relying party id", (a, id, c) => JSON.stringify(a.assert(id, { challenge: c, rpId: "evil.example", origin: ORIGIN })), "verification_failed"],
    ["over the wrong challenge", (a, id) => JSON.stringify(a.assert(id, { challenge: newPasskeyChallenge(), rpId: RP_ID, origin: ORIGIN })), "verification_failed"],
    ["without user verification where it is required", (a, id, c) => JSON.stringify(a.assert(id, { challenge: c, rpId: RP_ID, origin: ORIGIN, userVerified: false })), "user_verification_missing"],
    ["with a tampered signature", (a, id, c) => JSON.stringify(a.assert(id, { challenge: c, rpId: RP_ID, origin: ORIGIN, tamper: "signature" })), "verification_failed"],
    ["with tampered authenticator data", (a, id, c) => JSON.stringify(a.assert(id, { challenge: c, rpId: RP_ID, origin: ORIGIN, tamper: "authenticatorData" })), "verification_failed"],
    ["that is not JSON", () => "{not json", "malformed_answer"],
    ["that is JSON of the wrong shape", () => JSON.stringify({ id: 42, response: "no" }), "malformed_answer"],
    ["that is a method name", () => "PASSKEY", "malformed_answer"],
    ["that is not a string at all", () => ({ id: "x" }), "malformed_answer"],
    ["far too large", () => `{"id":"${"A".repeat(100_000)}"}`, "answer_too_large"],
    ["by a credential nobody has", (a, _id, c) => {
      const other = new SoftAuthenticator();
      const unknown = other.register({ challenge: c, rpId: RP_ID, origin: ORIGIN, userHandle: "x" });
      return JSON.stringify(other.assert(unknown.id, { challenge: c, rpId: RP_ID, origin: ORIGIN }));
    }, "unknown_credential"],
    ["that is an enrolment, sent where a sign-in is due", (a, _id, c) => JSON.stringify(a.register({ challenge: c, rpId: RP_ID, origin: ORIGIN, userHandle: "x" })), "malformed_answer"],
  ];
  for (const [name, make, reason] of wrong) {
    it(`refuses an assertion ${name}`, async () => {
      const authenticator = new SoftAuthenticator();
      const id = await enrol(authenticator);
      const challenge = newPasskeyChallenge();
      assert.deepEqual(await signIn(make(authenticator, id, challenge), challenge), { ok: false, reason });
      assert.equal(store.items.get(id)?.lastUsedAt, undefined, "a refused assertion records no use");
    });
  }

  it("accepts a missing user verification where the deployment only prefers it", async () => {
    deps = { ...deps, config: config({ userVerification: "preferred" }) };
    const authenticator = new SoftAuthenticator();
    const id = await enrol(authenticator);
    const challenge = newPasskeyChallenge();
    assert.ok((await signIn(JSON.stringify(authenticator.assert(id, { challenge, rpId: RP_ID, origin: ORIGIN, userVerified: false })), challenge)).ok);
  });

  it("never logs key material or the signature", async () => {
    const authenticator = new SoftAuthenticator();
    const id = await enrol(authenticator);
    const challenge = newPasskeyChallenge();
    const assertion = authenticator.assert(id, { challenge, rpId: RP_ID, origin: "https://evil.example" });
    await signIn(JSON.stringify(assertion), challenge);
    const text = logs.raw.join("\n");
    assert.ok(!text.includes(assertion.response.signature));
    assert.ok(!text.includes(store.items.get(id)?.publicKey ?? "—"));
  });
});
