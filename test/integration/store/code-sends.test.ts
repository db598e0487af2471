import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  type CodeSendLimits,
  type CodeSendRequest,
  type CodeSendStore,
  codeSendItemKey,
  createDynamoCodeSendStore,
  userCounterAttribute,
} from "../../../lib/store/code-sends.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";

const LIMITS: CodeSendLimits = { windowSeconds: 3600, perUser: 2, perDestination: 3, codeTtlSeconds: 300 };
const NOW = Date.UTC(2025, 0, 1, 10, 20, 0);

let roundCounter = 0;
/** Each request is a new round unless a roundKey is given; destinations are unique per test. */
function codeSendRequest(overrides: Partial<CodeSendRequest> = {}): CodeSendRequest {
  roundCounter += 1;
  return {
    roundKey: `round-${roundCounter}`,
    userName: "user-1",
    channel: "email",
    destination: "jane@example.com",
    code: { codeId: `code-${roundCounter}`, codeHash: `hash-${roundCounter}`, expiresAt: NOW + 300_000 },
    now: NOW,
    ...overrides,
  };
}

describe("code sends recorded in DynamoDB (dynalite)", () => {
  let dynamo: LocalDynamo;
  let store: CodeSendStore;

  before(async () => {
    dynamo = await startDynamo();
    store = createDynamoCodeSendStore({ client: dynamo.documentClient, tableName: dynamo.tableName, limits: LIMITS });
  });
  after(() => dynamo.stop());

  async function storedItem(channel: CodeSendRequest["channel"], destination: string, now = NOW) {
    const key = codeSendItemKey(channel, destination, now, LIMITS.windowSeconds);
    const { Item } = await dynamo.documentClient.send(new GetCommand({ TableName: dynamo.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }));
    return Item;
  }

  test("one destination gets as many codes per window as its limit allows, across users, then scope destination", async () => {
    const destination = "shared-inbox@example.com";
    for (const userName of ["alice", "bob", "carol"]) {
      assert.deepEqual(await store.reserve(codeSendRequest({ destination, userName })), { outcome: "send" });
    }

    const refused = await store.reserve(codeSendRequest({ destination, userName: "dave" }));

    assert.deepEqual(refused, { outcome: "rate-limited", scope: "destination" });
    assert.equal((await storedItem("email", destination))?.["sent"], 3);
  });

  test("one user gets as many codes to one destination as their own limit allows, then scope user", async () => {
    const destination = "+15550100123";
    for (let i = 0; i < LIMITS.perUser; i += 1) {
      assert.deepEqual(await store.reserve(codeSendRequest({ destination, channel: "sms" })), { outcome: "send" });
    }

    assert.deepEqual(await store.reserve(codeSendRequest({ destination, channel: "sms" })), { outcome: "rate-limited", scope: "user" });
    // Another user still may, since the destination itself is under its limit.
    assert.deepEqual(await store.reserve(codeSendRequest({ destination, channel: "sms", userName: "user-2" })), { outcome: "send" });
  });

  test("a reservation whose message failed is undone: the round's record goes, both counters go back down, once", async () => {
    const destination = "undo@example.com";
    const kept = codeSendRequest({ destination });
    const failed = codeSendRequest({ destination });
    await store.reserve(kept);
    assert.deepEqual(await store.reserve(failed), { outcome: "send" });

    assert.equal(await store.release(failed), true);

    const item = await storedItem("email", destination);
    assert.equal(item?.["sent"], 1, "only the kept send counts");
    assert.equal(Object.keys(item ?? {}).filter((name) => name.startsWith("r_")).length, 1, "only the kept round is recorded");
    assert.equal(item?.[userCounterAttribute("user-1")], 1, "the user's counter is back to one");
    assert.equal(await store.release(failed), false, "a second undo changes nothing");
    assert.equal((await storedItem("email", destination))?.["sent"], 1);
    // The same round may now be reserved again, and is counted again.
    assert.deepEqual(await store.reserve(failed), { outcome: "send" });
    assert.equal((await storedItem("email", destination))?.["sent"], 2);
  });

  test("releasing someone else's reservation of the round changes nothing", async () => {
    const destination = "not-mine@example.com";
    const served = codeSendRequest({ destination });
    await store.reserve(served);
    assert.equal(await store.release({ ...served, code: { ...served.code, codeId: "another-code" } }), false);
    assert.equal((await storedItem("email", destination))?.["sent"], 1);
  });

  test("a new window allows codes again", async () => {
    const destination = "busy@example.com";
    for (let i = 0; i < LIMITS.perUser; i += 1) await store.reserve(codeSendRequest({ destination }));
    assert.equal((await store.reserve(codeSendRequest({ destination }))).outcome, "rate-limited");

    const nextWindow = NOW + LIMITS.windowSeconds * 1000;
    assert.deepEqual(await store.reserve(codeSendRequest({ destination, now: nextWindow })), { outcome: "send" });
  });

  test("the same round asked twice gets the first code back and is counted once", async () => {
    const destination = "twice@example.com";
    const first = codeSendRequest({ destination, roundKey: "slow-cold-start" });
    const retry = codeSendRequest({ destination, roundKey: "slow-cold-start" });
    assert.notDeepEqual(first.code, retry.code);

    assert.deepEqual(await store.reserve(first), { outcome: "send" });
    const again = await store.reserve(retry);

    assert.deepEqual(again, { outcome: "already-issued", code: first.code });
    assert.equal((await storedItem("email", destination))?.["sent"], 1);
  });

  test("a round re-asked after the destination's limit was reached still gets its code back", async () => {
    const destination = "full@example.com";
    const served = codeSendRequest({ destination, roundKey: "served-round", userName: "u-a" });
    await store.reserve(served);
    await store.reserve(codeSendRequest({ destination, userName: "u-b" }));
    await store.reserve(codeSendRequest({ destination, userName: "u-c" }));

    assert.deepEqual(await store.reserve({ ...served, code: { codeId: "other", codeHash: "other", expiresAt: 0 } }), {
      outcome: "already-issued",
      code: served.code,
    });
  });

  test("the item holds no address, user name or round key in the clear, and expires after its window and a code's life", async () => {
    const destination = "private@example.com";
    await store.reserve(codeSendRequest({ destination, userName: "private-user", roundKey: "private-round" }));

    const item = await storedItem("email", destination);
    const text = JSON.stringify(item);
    for (const secret of [destination, "private-user", "private-round"]) assert.ok(!text.includes(secret), `${secret} is stored`);
    const windowEnd = codeSendItemKey("email", destination, NOW, LIMITS.windowSeconds).windowEnd;
    assert.equal(item?.["ttl"], windowEnd + LIMITS.codeTtlSeconds);
  });
});
