import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import { MAX_LISTED_PASSKEYS, createDynamoPasskeyStore } from "../../../lib/store/passkey-credentials.ts";
import { PASSKEY_CREATED_AT, storedPasskey } from "../../support/stored-passkey.ts";

const TABLE = "passwordless-table";
const CREATED_AT = PASSKEY_CREATED_AT;
const passkey = storedPasskey;

function storedItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pk: "PASSKEY#cred-1",
    sk: "PASSKEY",
    gsi1pk: "USER#user-1",
    gsi1sk: "PASSKEY#2025-01-01T10:00:00.000Z",
    ...passkey(),
    transports: ["internal", "hybrid"],
    ...overrides,
  };
}

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
}

describe("DynamoDB passkey store", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = () => createDynamoPasskeyStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: TABLE });

  beforeEach(() => dynamo.reset());

  test("a new passkey is put under its credential id, reachable by user through gsi1, only if the id is free", async () => {
    dynamo.on(PutCommand).resolves({});

    assert.equal(await store().create(passkey()), "created");

    assert.deepEqual(dynamo.commandCalls(PutCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Item: storedItem(),
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": "pk" },
    });
  });

  test("a credential id that anyone already has is reported as existing", async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: storedItem({ userName: "someone-else", gsi1pk: "USER#someone-else" }) });

    assert.equal(await store().create(passkey()), "exists");
  });

  test("a put refused because its own earlier attempt landed (the SDK retried after a timeout) counts as created", async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().create(passkey()), "created");
  });

  test("the same credential id enrolled earlier by the same user (another time) is still reported as existing", async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: storedItem({ createdAt: CREATED_AT - 86_400_000 }) });

    assert.equal(await store().create(passkey()), "exists");
  });

  test("a passkey is read with a strongly consistent GetItem", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem({ lastUsedAt: CREATED_AT + 1, counter: 7, lastChallenge: "old" }) });

    assert.deepEqual(await store().get("cred-1"), passkey({ lastUsedAt: CREATED_AT + 1, counter: 7 }));
    assert.deepEqual(dynamo.commandCalls(GetCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "PASSKEY#cred-1", sk: "PASSKEY" },
      ConsistentRead: true,
    });
  });

  test("an unknown credential id is undefined", async () => {
    dynamo.on(GetCommand).resolves({});

    assert.equal(await store().get("cred-unknown"), undefined);
  });

  test("a stored passkey of an unexpected shape is an error, not a credential", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem({ counter: "seven" }) });

    await assert.rejects(store().get("cred-1"), StoreUnavailableError);
  });

  test("a user's passkeys are queried on gsi1, page after page", async () => {
    const second = storedItem({ pk: "PASSKEY#cred-2", credentialId: "cred-2" });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedItem()], LastEvaluatedKey: { pk: "PASSKEY#cred-1" } })
      .resolvesOnce({ Items: [second] });

    const listed = await store().listForUser("user-1");

    assert.deepEqual(listed, [passkey(), passkey({ credentialId: "cred-2" })]);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    assert.deepEqual(queries[0], {
      TableName: TABLE,
      IndexName: "gsi1",
      KeyConditionExpression: "#gsi1pk = :user AND begins_with(#gsi1sk, :passkey)",
      ExpressionAttributeNames: { "#gsi1pk": "gsi1pk", "#gsi1sk": "gsi1sk" },
      ExpressionAttributeValues: { ":user": "USER#user-1", ":passkey": "PASSKEY#" },
      Limit: MAX_LISTED_PASSKEYS,
    });
    assert.deepEqual(queries[1]?.ExclusiveStartKey, { pk: "PASSKEY#cred-1" });
    assert.equal(queries[1]?.Limit, MAX_LISTED_PASSKEYS - 1);
  });

  test("listing stops at its bound however many pages remain", async () => {
    const page = Array.from({ length: 60 }, (_, index) => storedItem({ credentialId: `cred-${index}` }));
    dynamo.on(QueryCommand).resolves({ Items: page, LastEvaluatedKey: { pk: "more" } });

    const listed = await store().listForUser("user-1");

    assert.equal(listed.length, MAX_LISTED_PASSKEYS);
    assert.equal(dynamo.commandCalls(QueryCommand).length, 2);
  });

  test("renaming sets the friendly name only if the item is this user's, and answers the passkey as it is now", async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: storedItem({ friendlyName: "Work laptop" }) });

    const renamed = await store().renameForUser("user-1", "cred-1", "Work laptop");

    assert.equal(renamed?.friendlyName, "Work laptop");
    assert.deepEqual(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "PASSKEY#cred-1", sk: "PASSKEY" },
      UpdateExpression: "SET #friendlyName = :friendlyName",
      ConditionExpression: "#userName = :userName",
      ExpressionAttributeNames: { "#userName": "userName", "#friendlyName": "friendlyName" },
      ExpressionAttributeValues: { ":userName": "user-1", ":friendlyName": "Work laptop" },
      ReturnValues: "ALL_NEW",
    });
  });

  test("renaming another user's passkey, or none, is undefined: the condition refused the write", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    assert.equal(await store().renameForUser("user-2", "cred-1", "Mine"), undefined);
  });

  for (const [operation, act, command] of [
    ["get", () => store().get("cred-1"), GetCommand],
    ["listForUser", () => store().listForUser("user-1"), QueryCommand],
    ["create", () => store().create(passkey()), PutCommand],
    ["renameForUser", () => store().renameForUser("user-1", "cred-1", "x"), UpdateCommand],
  ] as const) {
    test(`a DynamoDB failure in ${operation} becomes StoreUnavailableError with the cause`, async () => {
      const cause = new Error("socket hang up");
      dynamo.on(command as never).rejects(cause);

      await assert.rejects(act(), (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause);
    });
  }
});
