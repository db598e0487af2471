/**
 * The passkey API's challenges on dynalite: used once, even by two requests at the same moment;
 * never by another user, for another purpose or after expiry, and a refused use leaves it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createDynamoPasskeyChallengeStore } from "../../../lib/store/passkey-challenges.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";

const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);

describe("passkey challenges (dynalite)", () => {
  let dynamo: LocalDynamo;
  let store: ReturnType<typeof createDynamoPasskeyChallengeStore>;
  let issued = 0;
  before(async () => {
    dynamo = await startDynamo();
    store = createDynamoPasskeyChallengeStore({ client: dynamo.documentClient, tableName: dynamo.tableName });
  });
  after(() => dynamo.stop());

  async function issue(userName: string | undefined, purpose: "registration" | "authentication" = "registration") {
    issued += 1;
    const challengeId = `challenge-id-${String(issued).padStart(10, "0")}`;
    const challenge = Buffer.from(`challenge-${issued}`).toString("base64url");
    await store.issue({ challengeId, challenge, purpose, userName, expiresAt: NOW + 120_000 });
    return { challengeId, challenge };
  }

  test("of ten uses at the same moment, exactly one gets the challenge", async () => {
    const { challengeId, challenge } = await issue("user-1");
    const uses = await Promise.all(Array.from({ length: 10 }, () => store.consume(challengeId, { purpose: "registration", userName: "user-1", now: NOW })));
    assert.deepEqual(
      uses.filter((use) => use !== undefined),
      [challenge],
    );
  });

  test("another user, another purpose, or a use after expiry gets nothing, and the challenge stays for its owner", async () => {
    const { challengeId, challenge } = await issue("user-1");
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-2", now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", userName: "user-1", now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-1", now: NOW + 120_000 }), undefined, "expired at its expiresAt");
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-1", now: NOW + 119_999 }), challenge);
  });

  test("a challenge issued to nobody is used without a user, and never as a user's", async () => {
    const { challengeId, challenge } = await issue(undefined, "authentication");
    assert.equal(await store.consume(challengeId, { purpose: "authentication", userName: "user-1", now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", now: NOW }), challenge);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", now: NOW }), undefined, "once");
  });

  test("an unknown id gets nothing", async () => {
    assert.equal(await store.consume("never-issued-0000000000", { purpose: "registration", userName: "user-1", now: NOW }), undefined);
  });
});
