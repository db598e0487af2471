import { afterEach, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import {
  type CodeSendLimits,
  type CodeSendRequest,
  codeSendItemKey,
  createDynamoCodeSendStore,
  roundAttribute,
  userCounterAttribute,
} from "../../../lib/store/code-sends.ts";
import { hashForKey } from "../../../lib/store/keys.ts";

const TABLE = "passwordless-table";
const LIMITS: CodeSendLimits = { windowSeconds: 3600, perUser: 3, perDestination: 5, codeTtlSeconds: 300 };
// 2025-01-01T10:20:00Z: inside the window that starts at 10:00:00Z.
const NOW = Date.UTC(2025, 0, 1, 10, 20, 0);
const WINDOW_START = Date.UTC(2025, 0, 1, 10, 0, 0) / 1000;

function codeSendRequest(overrides: Partial<CodeSendRequest> = {}): CodeSendRequest {
  return {
    roundKey: "round-key-1",
    userName: "user-1",
    channel: "email",
    destination: "jane@example.com",
    code: { codeId: "code-1", codeHash: "hash-1", expiresAt: NOW + 300_000 },
    now: NOW,
    ...overrides,
  };
}

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
}

describe("DynamoDB code-send store", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = () => createDynamoCodeSendStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: TABLE, limits: LIMITS });

  beforeEach(() => dynamo.reset());
  afterEach(() => dynamo.reset());

  test("a first code for a round is counted and recorded in one conditional update", async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});
    const request = codeSendRequest();

    // Act
    const decision = await store().reserve(request);

    // Assess
    assert.deepEqual(decision, { outcome: "send" });
    const calls = dynamo.commandCalls(UpdateCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: `CODES#email#${hashForKey("jane@example.com")}`, sk: `WINDOW#${WINDOW_START}` },
      UpdateExpression: "SET #round = :round, #ttl = :ttl ADD #sent :one, #user :one",
      ConditionExpression:
        "attribute_not_exists(#round) AND (attribute_not_exists(#sent) OR #sent < :perDestination) AND (attribute_not_exists(#user) OR #user < :perUser)",
      ExpressionAttributeNames: {
        "#round": `r_${hashForKey("round-key-1").slice(0, 22)}`,
        "#sent": "sent",
        "#user": `u_${hashForKey("user-1").slice(0, 22)}`,
        "#ttl": "ttl",
      },
      ExpressionAttributeValues: {
        ":round": { codeId: "code-1", codeHash: "hash-1", expiresAt: NOW + 300_000 },
        ":ttl": WINDOW_START + 3600 + 300,
        ":one": 1,
        ":perDestination": 5,
        ":perUser": 3,
      },
    });
    assert.equal(dynamo.commandCalls(GetCommand).length, 0);
  });

  test("the stored request never holds the destination, the user name or the round key in the clear", async () => {
    dynamo.on(UpdateCommand).resolves({});

    await store().reserve(codeSendRequest({ destination: "+15550100123", channel: "sms" }));

    const sent = JSON.stringify(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input);
    for (const secret of ["+15550100123", "user-1", "round-key-1"]) assert.ok(!sent.includes(secret), `${secret} was sent`);
  });

  test("codes are counted per fixed window: the same destination an hour later lands on a new item", () => {
    const first = codeSendItemKey("email", "jane@example.com", NOW, 3600);
    const later = codeSendItemKey("email", "jane@example.com", NOW + 3600_000, 3600);
    assert.equal(first.pk, later.pk);
    assert.equal(first.sk, `WINDOW#${WINDOW_START}`);
    assert.equal(later.sk, `WINDOW#${WINDOW_START + 3600}`);
    assert.equal(first.windowEnd, WINDOW_START + 3600);
  });

  test("email and SMS to the same string are counted apart", () => {
    assert.notEqual(codeSendItemKey("email", "x", NOW, 60).pk, codeSendItemKey("sms", "x", NOW, 60).pk);
  });

  test("a round served before gets its first code back, read consistently, and nothing is sent", async () => {
    // Prepare
    const first = { codeId: "code-0", codeHash: "hash-0", expiresAt: NOW + 120_000 };
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { [roundAttribute("round-key-1")]: first, sent: 5, [userCounterAttribute("user-1")]: 3 } });

    // Act
    const decision = await store().reserve(codeSendRequest());

    // Assess
    assert.deepEqual(decision, { outcome: "already-issued", code: first });
    const get = dynamo.commandCalls(GetCommand)[0]?.args[0].input;
    assert.equal(get?.ConsistentRead, true);
    assert.deepEqual(get?.Key, { pk: `CODES#email#${hashForKey("jane@example.com")}`, sk: `WINDOW#${WINDOW_START}` });
  });

  test("a refusal caused by this call's own earlier attempt (it landed after the SDK timed out and retried) still sends", async () => {
    const own = codeSendRequest().code;
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { [roundAttribute("round-key-1")]: own, sent: 1, [userCounterAttribute("user-1")]: 1 } });

    assert.deepEqual(await store().reserve(codeSendRequest()), { outcome: "send" });
  });

  test("a destination that reached its limit is refused with scope destination", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { sent: 5 } });

    assert.deepEqual(await store().reserve(codeSendRequest()), { outcome: "rate-limited", scope: "destination" });
  });

  test("a user who reached their limit for a destination is refused with scope user", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { sent: 4, [userCounterAttribute("user-1")]: 3 } });

    assert.deepEqual(await store().reserve(codeSendRequest()), { outcome: "rate-limited", scope: "user" });
  });

  test("a refusal that no longer holds when read back is tried once more", async () => {
    dynamo.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    dynamo.on(GetCommand).resolves({});

    assert.deepEqual(await store().reserve(codeSendRequest()), { outcome: "send" });
    assert.equal(dynamo.commandCalls(UpdateCommand).length, 2);
  });

  test("a refusal that never explains itself is an outage, not a decision", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});

    await assert.rejects(store().reserve(codeSendRequest()), StoreUnavailableError);
    assert.equal(dynamo.commandCalls(UpdateCommand).length, 2);
  });

  test("a recorded round of an unexpected shape is an outage, never a code to re-issue", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { [roundAttribute("round-key-1")]: { codeId: "code-0" } } });

    await assert.rejects(store().reserve(codeSendRequest()), StoreUnavailableError);
  });

  test("any other DynamoDB error becomes StoreUnavailableError with the cause and no address in its message", async () => {
    const throttled = Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
      name: "ProvisionedThroughputExceededException",
    });
    dynamo.on(UpdateCommand).rejects(throttled);

    await assert.rejects(store().reserve(codeSendRequest()), (error: unknown) => {
      assert.ok(error instanceof StoreUnavailableError);
      assert.equal(error.code, "STORE_UNAVAILABLE");
      assert.equal(error.cause, throttled);
      assert.ok(!error.message.includes("jane@example.com"));
      assert.ok(!error.message.includes(hashForKey("jane@example.com")));
      return true;
    });
  });

  test("a failing read after a refused write becomes StoreUnavailableError too", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).rejects(new Error("socket hang up"));

    await assert.rejects(store().reserve(codeSendRequest()), StoreUnavailableError);
  });
});
