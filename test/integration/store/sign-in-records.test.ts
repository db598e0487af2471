import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AUTH_LEVEL } from "../../../lib/protocol.ts";
import {
  SIGN_IN_RECORD_LIFETIME_MS,
  type SignInRecord,
  type SignInRecordStore,
  createDynamoSignInRecordStore,
} from "../../../lib/store/sign-in-records.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";

const VERIFIED_AT = Date.UTC(2025, 0, 1, 10, 0, 0);

function signInRecord(overrides: Partial<SignInRecord> = {}): SignInRecord {
  return { userName: "user-1", clientId: "client-a", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: VERIFIED_AT, ...overrides };
}

describe("sign-in records kept in DynamoDB (dynalite)", () => {
  let dynamo: LocalDynamo;
  let store: SignInRecordStore;

  before(async () => {
    dynamo = await startDynamo();
    store = createDynamoSignInRecordStore({ client: dynamo.documentClient, tableName: dynamo.tableName });
  });
  after(() => dynamo.stop());

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
});
