import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import { publicKeyFingerprint } from "../../../lib/passkey/public-key-cache.ts";
import { AUTH_LEVEL } from "@cognito-passwordless/protocol";
import { hashForKey } from "../../../lib/store/keys.ts";
import {
  type EnrolledPasskeyKey,
  type PasskeyUse,
  SIGN_IN_RECORD_LIFETIME_MS,
  type SignInRecord,
  type SignInRecordStore,
  createDynamoSignInRecordStore,
} from "../../../lib/store/sign-in-records.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";

const VERIFIED_AT = Date.UTC(2025, 0, 1, 10, 0, 0);
const ENROLLED_KEY = publicKeyFingerprint("pQECAyYgASFYIAenrolled");
const ANOTHER_KEY = publicKeyFingerprint("pQECAyYgASFYIAanother");
const JANES_EMAIL = hashForKey("jane@example.com");
const SQUATTERS_PHONE = hashForKey("+14155550123");

function signInRecord(overrides: Partial<SignInRecord> = {}): SignInRecord {
  return { userName: "user-1", clientId: "client-a", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: VERIFIED_AT, ...overrides };
}

function passkeySignIn(userName: string, overrides: Partial<SignInRecord> = {}): SignInRecord {
  return signInRecord({ userName, methods: ["swk"], level: AUTH_LEVEL.passkey, ...overrides });
}

function passkeyUse(overrides: Partial<PasskeyUse> = {}): PasskeyUse {
  return { credentialId: "cred-1", keyFingerprint: ENROLLED_KEY, newCounter: 1, challenge: "challenge-1", ...overrides };
}

function enrolledKey(overrides: Partial<EnrolledPasskeyKey> = {}): EnrolledPasskeyKey {
  return { credentialId: "cred-1", keyFingerprint: ENROLLED_KEY, counter: 0, ...overrides };
}

describe("sign-in records kept in DynamoDB (dynalite)", () => {
  let dynamo: LocalDynamo;
  let store: SignInRecordStore;

  before(async () => {
    dynamo = await startDynamo();
    store = createDynamoSignInRecordStore({ client: dynamo.documentClient, tableName: dynamo.tableName });
  });
  after(() => dynamo.stop());

  /** The user's whole item as the table holds it, passkey attributes included. */
  async function storedItem(userName: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: dynamo.tableName, Key: { pk: `SIGNIN#${userName}`, sk: "LATEST" }, ConsistentRead: true }),
    );
    return Item;
  }

  describe("the record of a verified factor", () => {
    test("a saved record is found again for the same user and client", async () => {
      const record = signInRecord({ userName: "round-trip", methods: ["swk"], level: AUTH_LEVEL.passkey });
      await store.save(record);

      assert.deepEqual(await store.findRecent("round-trip", "client-a", VERIFIED_AT + 5_000), record);
    });

    test("a later factor replaces the earlier record", async () => {
      await store.save(signInRecord({ userName: "twice" }));
      const later = signInRecord({ userName: "twice", methods: ["sms"], verifiedAt: VERIFIED_AT + 60_000 });
      await store.save(later);

      assert.deepEqual(await store.findRecent("twice", "client-a", VERIFIED_AT + 61_000), later);
    });

    test("another app client finds nothing", async () => {
      await store.save(signInRecord({ userName: "other-client" }));

      assert.equal(await store.findRecent("other-client", "client-b", VERIFIED_AT + 5_000), undefined);
    });

    test("a record older than its lifetime is not found", async () => {
      await store.save(signInRecord({ userName: "stale" }));

      assert.equal(await store.findRecent("stale", "client-a", VERIFIED_AT + SIGN_IN_RECORD_LIFETIME_MS + 1), undefined);
    });

    test("a user who never signed in has no record", async () => {
      assert.equal(await store.findRecent("nobody", "client-a", VERIFIED_AT), undefined);
    });

    test("a user who enrolled a passkey but has no sign-in on record has nothing to claim", async () => {
      await store.addPasskeyKey("enrolled-only", enrolledKey());

      assert.equal(await store.findRecent("enrolled-only", "client-a", VERIFIED_AT), undefined);
    });

    test("a code sign-in after a passkey was enrolled and used keeps the passkey's fingerprint and counter", async () => {
      await store.addPasskeyKey("code-after-passkey", enrolledKey());
      assert.equal(await store.savePasskeySignIn(passkeySignIn("code-after-passkey"), passkeyUse({ newCounter: 7 })), "saved");

      await store.save(signInRecord({ userName: "code-after-passkey", verifiedAt: VERIFIED_AT + 60_000 }));

      assert.deepEqual((await storedItem("code-after-passkey"))?.["passkey#cred-1"], {
        fingerprint: ENROLLED_KEY,
        counter: 7,
        lastChallenge: "challenge-1",
        usedAt: VERIFIED_AT,
      });
      assert.equal(
        await store.savePasskeySignIn(passkeySignIn("code-after-passkey"), passkeyUse({ newCounter: 7, challenge: "challenge-2" })),
        "counter_regression",
        "the counter kept by the code sign-in still guards the passkey",
      );
    });

    test("the record found carries exactly the record's fields, not the passkeys beside it on the item", async () => {
      await store.addPasskeyKey("fields-only", enrolledKey());
      const record = passkeySignIn("fields-only");
      assert.equal(await store.savePasskeySignIn(record, passkeyUse()), "saved");

      const found = await store.findRecent("fields-only", "client-a", VERIFIED_AT + 5_000);

      assert.deepEqual(Object.keys(found ?? {}).sort(), ["clientId", "level", "methods", "userName", "verifiedAt"]);
      assert.deepEqual(found, record);
    });
  });

  describe("the user's item never gets a ttl: it keeps passkey counters, which must outlive any sign-in", () => {
    test("whatever the store writes to it, and in whatever order", async () => {
      const userName = "never-expires";
      const writes: [string, () => Promise<unknown>][] = [
        ["a code's proof, first", () => store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: true })],
        [
          "a code's proof with its sign-in",
          () => store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: false, record: signInRecord({ userName }) }),
        ],
        ["a passkey enrolment", () => store.addPasskeyKey(userName, enrolledKey())],
        ["a passkey sign-in", () => store.savePasskeySignIn(passkeySignIn(userName), passkeyUse({ newCounter: 1 }))],
        [
          "an adopted passkey's sign-in",
          () => store.savePasskeySignIn(passkeySignIn(userName), passkeyUse({ credentialId: "cred-adopted", adoptWithCounter: 0 })),
        ],
        [
          "a pending passkey sign-in",
          () => store.savePasskeySignIn(passkeySignIn(userName), passkeyUse({ newCounter: 2, challenge: "challenge-2" }), { pendingUntilEnrolment: true }),
        ],
        ["its completion", () => store.completePendingPasskeySignIn(userName, "client-a", "challenge-2")],
        ["a sign-in carried by an enrolment round", () => store.save(signInRecord({ userName, verifiedAt: VERIFIED_AT + 60_000 }))],
      ];
      for (const [write, act] of writes) {
        await act();
        const item = await storedItem(userName);
        assert.ok(item !== undefined, write);
        assert.equal("ttl" in item, false, `no ttl after ${write}`);
      }
      assert.deepEqual(
        Object.keys((await storedItem(userName)) ?? {})
          .filter((name) => name.startsWith("passkey#"))
          .sort(),
        ["passkey#cred-1", "passkey#cred-adopted"],
      );
    });
  });

  describe("a passkey sign-in", () => {
    test("with the enrolled key and a counter moving from 0 to 1 is saved, and the record is found", async () => {
      await store.addPasskeyKey("first-use", enrolledKey({ counter: 0 }));
      const record = passkeySignIn("first-use");

      const outcome = await store.savePasskeySignIn(record, passkeyUse({ newCounter: 1, challenge: "challenge-1" }));

      assert.equal(outcome, "saved");
      assert.deepEqual(await store.findRecent("first-use", "client-a", VERIFIED_AT + 5_000), record);
      assert.deepEqual((await storedItem("first-use"))?.["passkey#cred-1"], {
        fingerprint: ENROLLED_KEY,
        counter: 1,
        lastChallenge: "challenge-1",
        usedAt: VERIFIED_AT,
      });
    });

    test("the same assertion again (Cognito invoked Verify twice) is a replay and changes nothing", async () => {
      await store.addPasskeyKey("replayed", enrolledKey());
      const use = passkeyUse({ newCounter: 1, challenge: "challenge-1" });
      assert.equal(await store.savePasskeySignIn(passkeySignIn("replayed"), use), "saved");
      const before = await storedItem("replayed");

      const outcome = await store.savePasskeySignIn(passkeySignIn("replayed", { verifiedAt: VERIFIED_AT + 1_000 }), use);

      assert.equal(outcome, "replayed");
      assert.deepEqual(await storedItem("replayed"), before);
    });

    test("another assertion whose counter does not move forward is a regression, and the first sign-in stays on record", async () => {
      await store.addPasskeyKey("cloned", enrolledKey());
      const first = passkeySignIn("cloned");
      assert.equal(await store.savePasskeySignIn(first, passkeyUse({ newCounter: 1, challenge: "challenge-1" })), "saved");

      const outcome = await store.savePasskeySignIn(
        passkeySignIn("cloned", { verifiedAt: VERIFIED_AT + 1_000 }),
        passkeyUse({ newCounter: 1, challenge: "challenge-2" }),
      );

      assert.equal(outcome, "counter_regression");
      assert.deepEqual(await store.findRecent("cloned", "client-a", VERIFIED_AT + 5_000), first);
      assert.deepEqual((await storedItem("cloned"))?.["passkey#cred-1"], {
        fingerprint: ENROLLED_KEY,
        counter: 1,
        lastChallenge: "challenge-1",
        usedAt: VERIFIED_AT,
      });
    });

    test("an authenticator that never counts (0 then 0) is saved at every sign-in", async () => {
      await store.addPasskeyKey("never-counts", enrolledKey({ counter: 0 }));

      for (const [index, challenge] of ["challenge-1", "challenge-2", "challenge-3"].entries()) {
        const record = passkeySignIn("never-counts", { verifiedAt: VERIFIED_AT + index * 1_000 });
        assert.equal(await store.savePasskeySignIn(record, passkeyUse({ newCounter: 0, challenge })), "saved", `sign-in ${index + 1}`);
        assert.deepEqual(await store.findRecent("never-counts", "client-a", VERIFIED_AT + 5_000), record);
      }
    });

    test("a key other than the enrolled one is not on record, and the earlier sign-in and counter stay", async () => {
      await store.addPasskeyKey("other-key", enrolledKey());
      const earlier = signInRecord({ userName: "other-key" });
      await store.save(earlier);

      const outcome = await store.savePasskeySignIn(
        passkeySignIn("other-key", { verifiedAt: VERIFIED_AT + 1_000 }),
        passkeyUse({ keyFingerprint: ANOTHER_KEY, newCounter: 1 }),
      );

      assert.equal(outcome, "key_not_on_record");
      assert.deepEqual(await store.findRecent("other-key", "client-a", VERIFIED_AT + 5_000), earlier);
      assert.deepEqual((await storedItem("other-key"))?.["passkey#cred-1"], { fingerprint: ENROLLED_KEY, counter: 0 });
    });

    test("a key other than the enrolled one signs in no one who had no record yet", async () => {
      await store.addPasskeyKey("other-key-first", enrolledKey());

      const outcome = await store.savePasskeySignIn(passkeySignIn("other-key-first"), passkeyUse({ keyFingerprint: ANOTHER_KEY }));

      assert.equal(outcome, "key_not_on_record");
      assert.equal(await store.findRecent("other-key-first", "client-a", VERIFIED_AT + 5_000), undefined);
    });

    test("a passkey enrolment never recorded (and not read from the table) is not on record, and nothing is written", async () => {
      const outcome = await store.savePasskeySignIn(passkeySignIn("never-enrolled"), passkeyUse());

      assert.equal(outcome, "key_not_on_record");
      assert.equal(await storedItem("never-enrolled"), undefined);
    });

    test("using one passkey leaves the user's other passkeys as they were", async () => {
      await store.addPasskeyKey("two-passkeys", enrolledKey({ credentialId: "cred-phone" }));
      await store.addPasskeyKey("two-passkeys", enrolledKey({ credentialId: "cred-laptop", keyFingerprint: ANOTHER_KEY, counter: 3 }));

      assert.equal(await store.savePasskeySignIn(passkeySignIn("two-passkeys"), passkeyUse({ credentialId: "cred-phone", newCounter: 1 })), "saved");

      assert.deepEqual((await storedItem("two-passkeys"))?.["passkey#cred-laptop"], { fingerprint: ANOTHER_KEY, counter: 3 });
    });
  });

  describe("a passkey whose fingerprint enrolment could not write to the user's item (adopted, its key read from its own item)", () => {
    test("is saved when its counter moves past its own item's, and its fingerprint is on record from then on", async () => {
      const record = passkeySignIn("adopted");

      const outcome = await store.savePasskeySignIn(record, passkeyUse({ adoptWithCounter: 5, newCounter: 6 }));

      assert.equal(outcome, "saved");
      assert.deepEqual(await store.findRecent("adopted", "client-a", VERIFIED_AT + 5_000), record);
      assert.deepEqual((await storedItem("adopted"))?.["passkey#cred-1"], {
        fingerprint: ENROLLED_KEY,
        counter: 6,
        lastChallenge: "challenge-1",
        usedAt: VERIFIED_AT,
      });
    });

    test("once adopted, another key for the same credential is not on record, even read from the table", async () => {
      assert.equal(await store.savePasskeySignIn(passkeySignIn("adopted-then-other"), passkeyUse({ adoptWithCounter: 5, newCounter: 6 })), "saved");

      const outcome = await store.savePasskeySignIn(
        passkeySignIn("adopted-then-other", { verifiedAt: VERIFIED_AT + 1_000 }),
        passkeyUse({ keyFingerprint: ANOTHER_KEY, adoptWithCounter: 5, newCounter: 7, challenge: "challenge-2" }),
      );

      assert.equal(outcome, "key_not_on_record");
      assert.equal((await store.findRecent("adopted-then-other", "client-a", VERIFIED_AT + 5_000))?.verifiedAt, VERIFIED_AT);
    });

    test("once adopted, a later use is judged by the counter on the user's item", async () => {
      assert.equal(await store.savePasskeySignIn(passkeySignIn("adopted-later"), passkeyUse({ adoptWithCounter: 5, newCounter: 9 })), "saved");

      const behind = passkeyUse({ adoptWithCounter: 5, newCounter: 7, challenge: "challenge-2" });
      assert.equal(await store.savePasskeySignIn(passkeySignIn("adopted-later"), behind), "counter_regression");
      const ahead = passkeyUse({ adoptWithCounter: 5, newCounter: 10, challenge: "challenge-3" });
      assert.equal(await store.savePasskeySignIn(passkeySignIn("adopted-later"), ahead), "saved");
    });

    test("whose counter is behind its own item's is a regression, and nothing is written", async () => {
      const outcome = await store.savePasskeySignIn(passkeySignIn("adopted-behind"), passkeyUse({ adoptWithCounter: 5, newCounter: 3 }));

      assert.equal(outcome, "counter_regression");
      assert.equal(await storedItem("adopted-behind"), undefined);
    });
  });

  describe("a verified code's proof", () => {
    test("on a fresh account, the first address proven wins: another address is then refused, and the same one saved again", async () => {
      const userName = "first-proof-race";

      assert.equal(await store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: true }), "saved");
      assert.equal(await store.saveCodeProof({ userName, addressHash: SQUATTERS_PHONE, mustBeFirst: true }), "owned_by_another");
      assert.equal(await store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: true }), "saved", "Cognito may invoke Verify again");

      assert.equal(await store.findFirstProof(userName), JANES_EMAIL);
    });

    test("a first proof refused because another address came first records no sign-in", async () => {
      const userName = "first-proof-refused";
      assert.equal(await store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: true }), "saved");

      const outcome = await store.saveCodeProof({
        userName,
        addressHash: SQUATTERS_PHONE,
        mustBeFirst: true,
        record: signInRecord({ userName, methods: ["sms"] }),
      });

      assert.equal(outcome, "owned_by_another");
      assert.equal(await store.findRecent(userName, "client-a", VERIFIED_AT + 5_000), undefined);
      assert.equal(await store.findFirstProof(userName), JANES_EMAIL);
    });

    test("a code on a verified address sets the first proof only when there is none, and never overwrites it", async () => {
      const userName = "first-proof-if-absent";

      assert.equal(await store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: false }), "saved");
      assert.equal(await store.findFirstProof(userName), JANES_EMAIL, "set when absent");

      assert.equal(await store.saveCodeProof({ userName, addressHash: SQUATTERS_PHONE, mustBeFirst: false }), "saved");
      assert.equal(await store.findFirstProof(userName), JANES_EMAIL, "not overwritten by a later address");
    });

    test("a code on a verified address is saved, with its sign-in, even when another address proved the account first", async () => {
      const userName = "verified-after-first-proof";
      assert.equal(await store.saveCodeProof({ userName, addressHash: JANES_EMAIL, mustBeFirst: true }), "saved");
      const record = signInRecord({ userName, methods: ["sms"] });

      assert.equal(await store.saveCodeProof({ userName, addressHash: SQUATTERS_PHONE, mustBeFirst: false, record }), "saved");

      assert.deepEqual(await store.findRecent(userName, "client-a", VERIFIED_AT + 5_000), record);
      assert.equal(await store.findFirstProof(userName), JANES_EMAIL);
    });

    test("the sign-in is recorded when the proof carries one, and is found again", async () => {
      const record = signInRecord({ userName: "proof-with-record" });

      assert.equal(await store.saveCodeProof({ userName: "proof-with-record", addressHash: JANES_EMAIL, mustBeFirst: true, record }), "saved");

      assert.deepEqual(await store.findRecent("proof-with-record", "client-a", VERIFIED_AT + 5_000), record);
    });

    test("a proof without a sign-in (an enrolment round follows) records no sign-in and leaves an earlier one as it was", async () => {
      assert.equal(await store.saveCodeProof({ userName: "proof-only", addressHash: JANES_EMAIL, mustBeFirst: true }), "saved");
      assert.equal(await store.findRecent("proof-only", "client-a", VERIFIED_AT + 5_000), undefined);

      const earlier = signInRecord({ userName: "proof-after-sign-in" });
      await store.save(earlier);
      assert.equal(await store.saveCodeProof({ userName: "proof-after-sign-in", addressHash: JANES_EMAIL, mustBeFirst: false }), "saved");
      assert.deepEqual(await store.findRecent("proof-after-sign-in", "client-a", VERIFIED_AT + 5_000), earlier);
    });

    test("a proof leaves the passkeys' fingerprints and counters on the item as they were", async () => {
      await store.addPasskeyKey("proof-beside-passkey", enrolledKey({ counter: 4 }));

      await store.saveCodeProof({
        userName: "proof-beside-passkey",
        addressHash: JANES_EMAIL,
        mustBeFirst: false,
        record: signInRecord({ userName: "proof-beside-passkey" }),
      });

      assert.deepEqual((await storedItem("proof-beside-passkey"))?.["passkey#cred-1"], { fingerprint: ENROLLED_KEY, counter: 4 });
    });

    test("an account with no proof on record has no first proof, even with a sign-in on record", async () => {
      await store.save(signInRecord({ userName: "record-without-proof" }));

      assert.equal(await store.findFirstProof("record-without-proof"), undefined);
      assert.equal(await store.findFirstProof("never-seen"), undefined);
    });
  });

  describe("a passkey sign-in left pending until its enrolment round", () => {
    const pendingOptions = { pendingUntilEnrolment: true };

    test("is no sign-in record yet, though the passkey's counter moved forward", async () => {
      await store.addPasskeyKey("pending", enrolledKey());

      const outcome = await store.savePasskeySignIn(passkeySignIn("pending"), passkeyUse({ newCounter: 1 }), pendingOptions);

      assert.equal(outcome, "saved");
      assert.equal(await store.findRecent("pending", "client-a", VERIFIED_AT + 5_000), undefined);
      assert.deepEqual((await storedItem("pending"))?.["passkey#cred-1"], {
        fingerprint: ENROLLED_KEY,
        counter: 1,
        lastChallenge: "challenge-1",
        usedAt: VERIFIED_AT,
      });
    });

    test("leaves the earlier sign-in record as it was", async () => {
      await store.addPasskeyKey("pending-after-code", enrolledKey());
      const earlier = signInRecord({ userName: "pending-after-code" });
      await store.save(earlier);

      await store.savePasskeySignIn(passkeySignIn("pending-after-code", { verifiedAt: VERIFIED_AT + 1_000 }), passkeyUse(), pendingOptions);

      assert.deepEqual(await store.findRecent("pending-after-code", "client-a", VERIFIED_AT + 5_000), earlier);
    });

    test("completed by its enrolment round, becomes the record as it was verified", async () => {
      await store.addPasskeyKey("completed", enrolledKey());
      const record = passkeySignIn("completed", { methods: ["hwk"] });
      await store.savePasskeySignIn(record, passkeyUse(), pendingOptions);

      const outcome = await store.completePendingPasskeySignIn("completed", "client-a", "challenge-1");

      assert.equal(outcome, "saved");
      const found = await store.findRecent("completed", "client-a", VERIFIED_AT + 60_000);
      assert.deepEqual(found, record);
      assert.deepEqual(found?.methods, ["hwk"]);
      assert.equal(found?.level, AUTH_LEVEL.passkey);
      assert.equal(found?.verifiedAt, VERIFIED_AT, "dated when the assertion was verified, not when the enrolment answered");
      assert.equal(
        ((await storedItem("completed"))?.["pendingPasskeySignIn"] as Record<string, unknown> | undefined)?.["challenge"],
        "challenge-1",
        "it stays pending, so a repeated Verify completes it to the same record",
      );
    });

    for (const [what, clientId, challenge] of [
      ["over another challenge", "client-a", "challenge-other"],
      ["for another app client", "client-b", "challenge-1"],
    ] as const) {
      test(`completed ${what} is missing, and nothing changes`, async () => {
        const userName = `complete-${clientId}-${challenge}`;
        await store.addPasskeyKey(userName, enrolledKey());
        const earlier = signInRecord({ userName });
        await store.save(earlier);
        await store.savePasskeySignIn(passkeySignIn(userName, { verifiedAt: VERIFIED_AT + 1_000 }), passkeyUse(), pendingOptions);
        const before = await storedItem(userName);

        const outcome = await store.completePendingPasskeySignIn(userName, clientId, challenge);

        assert.equal(outcome, "missing");
        assert.deepEqual(await storedItem(userName), before);
        assert.deepEqual(await store.findRecent(userName, "client-a", VERIFIED_AT + 5_000), earlier);
        assert.equal(await store.findRecent(userName, "client-b", VERIFIED_AT + 5_000), undefined);
      });
    }

    test("with nothing pending, completing is missing and writes nothing", async () => {
      assert.equal(await store.completePendingPasskeySignIn("nothing-pending", "client-a", "challenge-1"), "missing");
      assert.equal(await storedItem("nothing-pending"), undefined);
    });

    test("replaced by another session's pending sign-in, it can no longer be completed; the other one can", async () => {
      await store.addPasskeyKey("two-sessions", enrolledKey());
      await store.savePasskeySignIn(passkeySignIn("two-sessions"), passkeyUse({ newCounter: 1, challenge: "challenge-1" }), pendingOptions);
      const second = passkeySignIn("two-sessions", { verifiedAt: VERIFIED_AT + 2_000 });
      await store.savePasskeySignIn(second, passkeyUse({ newCounter: 2, challenge: "challenge-2" }), pendingOptions);

      assert.equal(await store.completePendingPasskeySignIn("two-sessions", "client-a", "challenge-1"), "missing");
      assert.equal(await store.findRecent("two-sessions", "client-a", VERIFIED_AT + 5_000), undefined);
      assert.equal(await store.completePendingPasskeySignIn("two-sessions", "client-a", "challenge-2"), "saved");
      assert.deepEqual(await store.findRecent("two-sessions", "client-a", VERIFIED_AT + 5_000), second);
    });

    test("completed twice (Cognito invoked Verify again), the record is the same and the second call says so", async () => {
      await store.addPasskeyKey("completed-twice", enrolledKey());
      const record = passkeySignIn("completed-twice");
      await store.savePasskeySignIn(record, passkeyUse(), pendingOptions);
      assert.equal(await store.completePendingPasskeySignIn("completed-twice", "client-a", "challenge-1"), "saved");
      const afterFirst = await storedItem("completed-twice");

      const again = await store.completePendingPasskeySignIn("completed-twice", "client-a", "challenge-1");

      assert.equal(again, "saved");
      assert.deepEqual(await storedItem("completed-twice"), afterFirst);
      assert.deepEqual(await store.findRecent("completed-twice", "client-a", VERIFIED_AT + 5_000), record);
    });
  });

  describe("a passkey's key left by enrolment", () => {
    test("written twice with the same fingerprint (a retried enrolment) is kept once", async () => {
      await store.addPasskeyKey("retried", enrolledKey());

      await store.addPasskeyKey("retried", enrolledKey());

      assert.deepEqual((await storedItem("retried"))?.["passkey#cred-1"], { fingerprint: ENROLLED_KEY, counter: 0 });
    });

    test("is never replaced by another key for the same credential id", async () => {
      await store.addPasskeyKey("replaced", enrolledKey());

      await assert.rejects(store.addPasskeyKey("replaced", enrolledKey({ keyFingerprint: ANOTHER_KEY })), StoreUnavailableError);
      assert.deepEqual((await storedItem("replaced"))?.["passkey#cred-1"], { fingerprint: ENROLLED_KEY, counter: 0 });
    });
  });
});
