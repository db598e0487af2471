/**
 * The passkey API's challenges on dynalite: used once, even by two requests at the same moment;
 * never by another user, for another purpose or after expiry, and a refused use leaves it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDynamoPasskeyChallengeStore } from "../../../lib/store/passkey-challenges.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";

const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);
const RP_ID = "example.com";

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
    await store.issue({ challengeId, challenge, purpose, userName, rpId: RP_ID, expiresAt: NOW + 120_000 });
    return { challengeId, challenge };
  }

  test("of ten uses at the same moment, exactly one gets the challenge", async () => {
    const { challengeId, challenge } = await issue("user-1");
    const uses = await Promise.all(
      Array.from({ length: 10 }, () => store.consume(challengeId, { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW })),
    );
    assert.deepEqual(
      uses.filter((use) => use !== undefined),
      [challenge],
    );
  });

  test("another user, another purpose, or a use after expiry gets nothing, and the challenge stays for its owner", async () => {
    const { challengeId, challenge } = await issue("user-1");
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-2", rpId: RP_ID, now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", rpId: RP_ID, now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", userName: "user-1", rpId: RP_ID, now: NOW }), undefined);
    assert.equal(
      await store.consume(challengeId, { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW + 120_000 }),
      undefined,
      "expired at its expiresAt",
    );
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW + 119_999 }), challenge);
  });

  test("a challenge issued to nobody is used without a user, and never as a user's", async () => {
    const { challengeId, challenge } = await issue(undefined, "authentication");
    assert.equal(await store.consume(challengeId, { purpose: "authentication", userName: "user-1", rpId: RP_ID, now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", rpId: RP_ID, now: NOW }), challenge);
    assert.equal(await store.consume(challengeId, { purpose: "authentication", rpId: RP_ID, now: NOW }), undefined, "once");
  });

  test("another RP's use gets nothing, and the challenge stays", async () => {
    const { challengeId, challenge } = await issue("user-1");
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-1", rpId: "other.example", now: NOW }), undefined);
    assert.equal(await store.consume(challengeId, { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), challenge);
  });

  test("a sign-in challenge is taken by one round only, even by ten at the same moment; the same round may take it again", async () => {
    const { challengeId, challenge } = await issue(undefined, "authentication");
    const takes = await Promise.all(
      Array.from({ length: 10 }, (_, index) => store.takeForSignIn(challengeId, { round: `round-${index}`, rpId: RP_ID, now: NOW })),
    );
    const winners = takes.flatMap((taken, index) => (taken === undefined ? [] : [index]));
    assert.equal(winners.length, 1, "one round");
    assert.equal(takes[winners[0]!], challenge);
    // Cognito may invoke Verify again for the same round: it is still that round's.
    assert.equal(await store.takeForSignIn(challengeId, { round: `round-${winners[0]}`, rpId: RP_ID, now: NOW }), challenge);
    assert.equal(await store.takeForSignIn(challengeId, { round: "round-later", rpId: RP_ID, now: NOW }), undefined);
  });

  test("a sign-in take is refused after expiry, for another RP, for a user's or a registration challenge, and for an unknown id, creating nothing", async () => {
    const signIn = await issue(undefined, "authentication");
    assert.equal(await store.takeForSignIn(signIn.challengeId, { round: "r", rpId: RP_ID, now: NOW + 120_000 }), undefined, "expired");
    assert.equal(await store.takeForSignIn(signIn.challengeId, { round: "r", rpId: "other.example", now: NOW }), undefined, "another RP");
    const registration = await issue("user-1");
    assert.equal(await store.takeForSignIn(registration.challengeId, { round: "r", rpId: RP_ID, now: NOW }), undefined, "a user's");
    assert.equal(await store.consume(registration.challengeId, { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), registration.challenge);
    const unknown = "never-issued-sign-in-0000";
    assert.equal(await store.takeForSignIn(unknown, { round: "r", rpId: RP_ID, now: NOW }), undefined);
    const { Item } = await dynamo.documentClient.send(new GetCommand({ TableName: dynamo.tableName, Key: { pk: `CHALLENGE#${unknown}`, sk: "CHALLENGE" } }));
    assert.equal(Item, undefined, "no item made for an unknown id");
    assert.equal(
      await store.takeForSignIn(signIn.challengeId, { round: "r", rpId: RP_ID, now: NOW + 119_999 }),
      signIn.challenge,
      "still takeable after the refusals",
    );
  });

  test("an unknown id gets nothing", async () => {
    assert.equal(await store.consume("never-issued-0000000000", { purpose: "registration", userName: "user-1", rpId: RP_ID, now: NOW }), undefined);
  });
});
