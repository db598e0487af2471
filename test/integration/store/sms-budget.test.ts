import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SmsBudgetStore, createDynamoSmsBudgetStore } from "../../../lib/store/sms-budget.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";

const NOW = Date.UTC(2026, 11, 2, 10, 20, 0);
const HOUR = 3600_000;

describe("the deployment's SMS budget in DynamoDB (dynalite)", () => {
  let dynamo: LocalDynamo;
  let budget: SmsBudgetStore;

  before(async () => {
    dynamo = await startDynamo();
    budget = createDynamoSmsBudgetStore({
      client: dynamo.documentClient,
      tableName: dynamo.tableName,
      limits: { windowSeconds: 3600, perWindow: 3, perCountryPerWindow: 2 },
    });
  });
  after(() => dynamo.stop());

  test("a country's budget is spent after its limit, while other countries still send, up to the deployment's", async () => {
    const at = NOW;
    assert.deepEqual(await budget.reserve("44", at), { outcome: "reserved" });
    assert.deepEqual(await budget.reserve("44", at), { outcome: "reserved" });
    assert.deepEqual(await budget.reserve("44", at), { outcome: "spent", scope: "country" });
    assert.deepEqual(await budget.reserve("1", at), { outcome: "reserved" });
    assert.deepEqual(await budget.reserve("1", at), { outcome: "spent", scope: "deployment" });
  });

  test("a new window starts every budget afresh", async () => {
    const next = NOW + HOUR;
    assert.deepEqual(await budget.reserve("44", next), { outcome: "reserved" });
  });

  test("a released reservation is given back, once: a failed send uses up nothing", async () => {
    const at = NOW + 5 * HOUR;
    await budget.reserve("49", at);
    await budget.reserve("49", at);
    assert.equal(await budget.release("49", at), true);
    assert.deepEqual(await budget.reserve("49", at), { outcome: "reserved" });
    assert.deepEqual(await budget.reserve("49", at), { outcome: "spent", scope: "country" });
  });

  test("releasing what was never reserved changes nothing", async () => {
    const at = NOW + 9 * HOUR;
    assert.equal(await budget.release("33", at), false);
    assert.deepEqual(await budget.reserve("33", at), { outcome: "reserved" });
  });
});
