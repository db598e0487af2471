import { beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import { AUTH_LEVEL } from "../../../lib/protocol.ts";
import { SIGN_IN_RECORD_LIFETIME_MS, type SignInRecord, createDynamoSignInRecordStore } from "../../../lib/store/sign-in-records.ts";

const TABLE = "passwordless-table";
const VERIFIED_AT = Date.UTC(2025, 0, 1, 10, 0, 0);

function signInRecord(overrides: Partial<SignInRecord> = {}): SignInRecord {
  return { userName: "user-1", clientId: "client-a", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: VERIFIED_AT, ...overrides };
}

function storedItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { pk: "SIGNIN#user-1", sk: "LATEST", clientId: "client-a", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: VERIFIED_AT, ...overrides };
}

describe("DynamoDB sign-in record store", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = () => createDynamoSignInRecordStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: TABLE });

  beforeEach(() => dynamo.reset());

  test("a verified factor is saved as the user's latest record, expiring with its lifetime", async () => {
    dynamo.on(PutCommand).resolves({});

    await store().save(signInRecord({ methods: ["swk"], level: AUTH_LEVEL.passkey }));

    assert.deepEqual(dynamo.commandCalls(PutCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Item: {
        pk: "SIGNIN#user-1",
        sk: "LATEST",
        clientId: "client-a",
        methods: ["swk"],
        level: AUTH_LEVEL.passkey,
        verifiedAt: VERIFIED_AT,
        ttl: (VERIFIED_AT + SIGN_IN_RECORD_LIFETIME_MS) / 1000,
      },
    });
  });

  test("a recent record for the same client is found with a strongly consistent read", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    const found = await store().findRecent("user-1", "client-a", VERIFIED_AT + 60_000);

    assert.deepEqual(found, signInRecord());
    assert.deepEqual(dynamo.commandCalls(GetCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "SIGNIN#user-1", sk: "LATEST" },
      ConsistentRead: true,
    });
  });

  test("a record made through another app client never becomes claims", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().findRecent("user-1", "client-b", VERIFIED_AT + 60_000), undefined);
  });

  test("a record as old as its lifetime is ignored even if TTL has not removed it yet", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT + SIGN_IN_RECORD_LIFETIME_MS), undefined);
    assert.ok(await store().findRecent("user-1", "client-a", VERIFIED_AT + SIGN_IN_RECORD_LIFETIME_MS - 1));
  });

  test("a record dated more than a minute ahead of the reader's clock is ignored (a corrupt item or a clock far off)", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT - 60_001), undefined);
    assert.ok(await store().findRecent("user-1", "client-a", VERIFIED_AT - 60_000), "clocks a minute apart still agree");
  });

  test("no record means nothing to claim", async () => {
    dynamo.on(GetCommand).resolves({});

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT), undefined);
  });

  for (const [what, item] of [
    ["an unknown method", storedItem({ methods: ["password"] })],
    ["no methods", storedItem({ methods: [] })],
    ["an unknown level", storedItem({ level: "urn:cognito:loa:9" })],
    ["a verifiedAt that is not a number", storedItem({ verifiedAt: "yesterday" })],
    ["no clientId", storedItem({ clientId: undefined })],
  ] as const) {
    test(`a stored record with ${what} is not trusted`, async () => {
      dynamo.on(GetCommand).resolves({ Item: item });

      assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT + 1000), undefined);
    });
  }

  test("a failed save becomes StoreUnavailableError with the cause", async () => {
    const cause = new Error("socket hang up");
    dynamo.on(PutCommand).rejects(cause);

    await assert.rejects(store().save(signInRecord()), (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause);
  });

  test("a failed read becomes StoreUnavailableError with the cause", async () => {
    const cause = new Error("socket hang up");
    dynamo.on(GetCommand).rejects(cause);

    await assert.rejects(
      store().findRecent("user-1", "client-a", VERIFIED_AT),
      (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause,
    );
  });
});
