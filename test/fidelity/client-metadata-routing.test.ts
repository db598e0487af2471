/**
 * Which triggers see which ClientMetadata. InitiateAuth API reference, ClientMetadata: passed to
 * pre sign-up, pre authentication and user migration only — not to define/create/verify auth
 * challenge or pre token generation
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-request-ClientMetadata).
 * RespondToAuthChallenge API reference, ClientMetadata: passed to define auth challenge, create auth
 * challenge, verify auth challenge response and pre token generation (among others)
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ClientMetadata).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("ClientMetadata routing", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({
      triggers: { ...SIMPLE_FLOW, PreTokenGeneration: "return event;" },
    });
    await signUp(fake.client, fake.pool.clientId, "grace@example.com");
  });
  after(() => fake.stop());

  it("keeps InitiateAuth's ClientMetadata from Define and Create", async () => {
    await startSignIn(fake.client, fake.pool.clientId, "grace@example.com", { signInMethod: "EMAIL_OTP" });
    const [define] = fake.events("DefineAuthChallenge").slice(-1);
    const [create] = fake.events("CreateAuthChallenge").slice(-1);
    assert.equal("clientMetadata" in define!["request"], false);
    assert.equal("clientMetadata" in create!["request"], false);
  });

  it("hands RespondToAuthChallenge's ClientMetadata to Verify, Define, Create and PreTokenGeneration", async () => {
    const started = await startSignIn(fake.client, fake.pool.clientId, "grace@example.com", { from: "initiate" });
    const retry = await answer(fake.client, fake.pool.clientId, started.Session, "grace@example.com", "no", { from: "first-answer" });
    assert.deepEqual(fake.events("VerifyAuthChallengeResponse").at(-1)!["request"].clientMetadata, { from: "first-answer" });
    assert.deepEqual(fake.events("DefineAuthChallenge").at(-1)!["request"].clientMetadata, { from: "first-answer" });
    assert.deepEqual(fake.events("CreateAuthChallenge").at(-1)!["request"].clientMetadata, { from: "first-answer" });

    await answer(fake.client, fake.pool.clientId, retry.Session, "grace@example.com", "42", { from: "second-answer" });
    const [token] = fake.events("PreTokenGeneration").slice(-1);
    assert.equal(token!["triggerSource"], "TokenGeneration_Authentication");
    assert.deepEqual(token!["request"].clientMetadata, { from: "second-answer" });
  });
});
