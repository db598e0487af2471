/**
 * The passkey API's challenges in the table: one put to issue, one conditional delete that
 * returns the challenge to use it, so each is used once, by whom and for what it was issued.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import { createDynamoPasskeyChallengeStore } from "../../../lib/store/passkey-challenges.ts";

const TABLE = "passwordless-table";
const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);
const CHALLENGE = "Y2hhbGxlbmdlLW9mLXRoaXJ0eS10d28tYnl0ZXMhIQ";
const RP_ID = "example.com";

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
}

describe("passkey challenge store", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = () => createDynamoPasskeyChallengeStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: TABLE });
  beforeEach(() => dynamo.reset());

  test("a challenge is put under its id, for its user and purpose, with its expiry and a TTL for cleanup", async () => {
    dynamo.on(PutCommand).resolves({});

    await store().issue({ challengeId: "id-1", challenge: CHALLENGE, purpose: "registration", userName: "user-1", rpId: RP_ID, expiresAt: NOW + 120_000 });

    assert.deepEqual(dynamo.commandCalls(PutCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Item: {
        pk: "CHALLENGE#id-1",
        sk: "CHALLENGE",
        challenge: CHALLENGE,
        purpose: "registration",
        userName: "user-1",
        rpId: RP_ID,
        expiresAt: NOW + 120_000,
        ttl: (NOW + 120_000) / 1000,
      },
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": "pk" },
    });
  });

  test("a challenge issued to nobody (a sign-in without a username) has no userName", async () => {
    dynamo.on(PutCommand).resolves({});
    await store().issue({ challengeId: "id-2", challenge: CHALLENGE, purpose: "authentication", rpId: RP_ID, expiresAt: NOW });
    assert.equal("userName" in (dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {}), false);
  });

  test("using a user's challenge is one conditional delete: this user's, this purpose, not expired; it answers the challenge", async () => {
    dynamo.on(DeleteCommand).resolves({ Attributes: { challenge: CHALLENGE } });

    assert.equal(await store().consume("id-1", { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), CHALLENGE);
    assert.deepEqual(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "CHALLENGE#id-1", sk: "CHALLENGE" },
      ConditionExpression: "#purpose = :purpose AND #rpId = :rpId AND #expiresAt > :now AND #userName = :userName",
      ExpressionAttributeNames: { "#purpose": "purpose", "#expiresAt": "expiresAt", "#userName": "userName", "#rpId": "rpId" },
      ExpressionAttributeValues: { ":purpose": "registration", ":rpId": RP_ID, ":now": NOW, ":userName": "user-1" },
      ReturnValues: "ALL_OLD",
    });
  });

  test("using a challenge issued to nobody requires that it was issued to nobody", async () => {
    dynamo.on(DeleteCommand).resolves({ Attributes: { challenge: CHALLENGE } });
    await store().consume("id-2", { purpose: "authentication", rpId: RP_ID, now: NOW });
    const input = dynamo.commandCalls(DeleteCommand)[0]?.args[0].input;
    assert.equal(input?.ConditionExpression, "#purpose = :purpose AND #rpId = :rpId AND #expiresAt > :now AND attribute_not_exists(#userName)");
    assert.deepEqual(input?.ExpressionAttributeValues, { ":purpose": "authentication", ":rpId": RP_ID, ":now": NOW });
  });

  test("a refused condition (unknown, used, expired, another's) is undefined; any other failure is StoreUnavailableError", async () => {
    dynamo.on(DeleteCommand).rejects(conditionFailed());
    assert.equal(await store().consume("id-1", { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), undefined);
    dynamo.on(DeleteCommand).rejects(new Error("socket hang up"));
    await assert.rejects(store().consume("id-1", { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), StoreUnavailableError);
    dynamo.on(PutCommand).rejects(new Error("socket hang up"));
    await assert.rejects(
      store().issue({ challengeId: "x", challenge: CHALLENGE, purpose: "registration", rpId: RP_ID, expiresAt: NOW }),
      StoreUnavailableError,
    );
  });

  test("a sign-in round takes a challenge issued to nobody with one conditional update that marks it as the round's", async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { challenge: CHALLENGE } });

    assert.equal(await store().takeForSignIn("id-2", { round: "round-nonce-1", rpId: RP_ID, now: NOW }), CHALLENGE);
    assert.deepEqual(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "CHALLENGE#id-2", sk: "CHALLENGE" },
      UpdateExpression: "SET #usedBy = :round",
      ConditionExpression:
        "#purpose = :purpose AND #rpId = :rpId AND #expiresAt > :now AND attribute_not_exists(#userName) AND (attribute_not_exists(#usedBy) OR #usedBy = :round)",
      ExpressionAttributeNames: { "#purpose": "purpose", "#expiresAt": "expiresAt", "#userName": "userName", "#rpId": "rpId", "#usedBy": "usedBy" },
      ExpressionAttributeValues: { ":purpose": "authentication", ":rpId": RP_ID, ":now": NOW, ":round": "round-nonce-1" },
      ReturnValues: "ALL_NEW",
    });
  });

  test("a refused take is undefined; an outage is StoreUnavailableError", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    assert.equal(await store().takeForSignIn("id-2", { round: "r", rpId: RP_ID, now: NOW }), undefined);
    dynamo.on(UpdateCommand).rejects(new Error("socket hang up"));
    await assert.rejects(store().takeForSignIn("id-2", { round: "r", rpId: RP_ID, now: NOW }), StoreUnavailableError);
  });

  test("a stored challenge without its challenge is a corrupt item, not an answer", async () => {
    dynamo.on(DeleteCommand).resolves({ Attributes: { purpose: "registration" } });
    await assert.rejects(store().consume("id-1", { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), StoreUnavailableError);
  });
});
