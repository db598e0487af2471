/**
 * Unknown usernames. With the app client's PreventUserExistenceErrors ENABLED, Cognito runs the
 * custom-auth triggers with `userNotFound: true` so the app sees the same rounds as for a real
 * user; with LEGACY it answers UserNotFoundException. Developer guide, "Managing user existence
 * error responses" (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html)
 * and "Define auth challenge Lambda trigger" (userNotFound).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("an unknown user with PreventUserExistenceErrors ENABLED", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW, pool: { preventUserExistenceErrors: true } });
    await signUp(fake.client, fake.pool.clientId, "known@example.com");
  });
  after(() => fake.stop());

  it("gets the same challenge shape as a known user, with a UUID-shaped USERNAME", async () => {
    const known = await startSignIn(fake.client, fake.pool.clientId, "known@example.com");
    const unknown = await startSignIn(fake.client, fake.pool.clientId, "nobody@example.com");
    assert.equal(unknown.ChallengeName, known.ChallengeName);
    assert.deepEqual(Object.keys(unknown.ChallengeParameters ?? {}).sort(), Object.keys(known.ChallengeParameters ?? {}).sort());
    assert.match(unknown.ChallengeParameters?.["USERNAME"] ?? "", UUID);
    assert.match(known.ChallengeParameters?.["USERNAME"] ?? "", UUID);
    const again = await startSignIn(fake.client, fake.pool.clientId, "nobody@example.com");
    assert.equal(again.ChallengeParameters?.["USERNAME"], unknown.ChallengeParameters?.["USERNAME"], "one login, one stand-in");
  });

  it("runs the triggers with userNotFound true and no attributes", async () => {
    await startSignIn(fake.client, fake.pool.clientId, "nobody@example.com");
    const define = fake.events("DefineAuthChallenge").at(-1)!;
    const create = fake.events("CreateAuthChallenge").at(-1)!;
    assert.equal(define["request"].userNotFound, true);
    assert.deepEqual(define["request"].userAttributes, {});
    assert.equal(create["request"].userNotFound, true);
    assert.match(define["userName"], UUID);
  });

  it("never gets tokens, even when Verify accepts the answer", async () => {
    const started = await startSignIn(fake.client, fake.pool.clientId, "nobody@example.com");
    await assert.rejects(answer(fake.client, fake.pool.clientId, started.Session, "nobody@example.com", "42"), {
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    assert.equal(fake.events("VerifyAuthChallengeResponse").at(-1)!["request"].userNotFound, true);
  });
});

describe("an unknown user with PreventUserExistenceErrors LEGACY", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW, pool: { preventUserExistenceErrors: false } });
    await signUp(fake.client, fake.pool.clientId, "known@example.com");
  });
  after(() => fake.stop());

  it("is told UserNotFoundException, and the triggers never run", async () => {
    await assert.rejects(startSignIn(fake.client, fake.pool.clientId, "nobody@example.com"), {
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    assert.equal(fake.events("DefineAuthChallenge").length, 0);
  });

  it("leaves userNotFound out of a known user's events", async () => {
    await startSignIn(fake.client, fake.pool.clientId, "known@example.com");
    assert.equal("userNotFound" in fake.events("DefineAuthChallenge").at(-1)!["request"], false);
  });
});
