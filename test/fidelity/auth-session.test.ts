/**
 * The Session string of a custom sign-in: one answer per session, AuthSessionValidity minutes of life.
 * RespondToAuthChallenge API reference (Session; NotAuthorizedException) and CloudFormation
 * AWS::Cognito::UserPoolClient AuthSessionValidity (3–15 minutes, default 3):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolclient.html#cfn-cognito-userpoolclient-authsessionvalidity
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("auth sessions", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW, pool: { authSessionValidityMinutes: 3 } });
    await signUp(fake.client, fake.pool.clientId, "alan@example.com");
  });
  after(() => fake.stop());

  it('refuses a session that was already answered: "Invalid session for the user."', async () => {
    const started = await startSignIn(fake.client, fake.pool.clientId, "alan@example.com");
    await answer(fake.client, fake.pool.clientId, started.Session, "alan@example.com", "wrong");
    await assert.rejects(answer(fake.client, fake.pool.clientId, started.Session, "alan@example.com", "42"), {
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
  });

  it("refuses a session it never issued", async () => {
    await assert.rejects(answer(fake.client, fake.pool.clientId, "x".repeat(64), "alan@example.com", "42"), {
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
  });

  it('refuses a session older than AuthSessionValidity: "Invalid session for the user, session is expired."', async () => {
    const started = await startSignIn(fake.client, fake.pool.clientId, "alan@example.com");
    fake.advance(3 * 60_000 + 1000);
    await assert.rejects(answer(fake.client, fake.pool.clientId, started.Session, "alan@example.com", "42"), {
      name: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
  });

  it("accepts an answer just inside AuthSessionValidity", async () => {
    const started = await startSignIn(fake.client, fake.pool.clientId, "alan@example.com");
    fake.advance(3 * 60_000 - 5000);
    const done = await answer(fake.client, fake.pool.clientId, started.Session, "alan@example.com", "42");
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  it("refuses an answer whose USERNAME is not the user the session belongs to", async () => {
    await signUp(fake.client, fake.pool.clientId, "other@example.com");
    const started = await startSignIn(fake.client, fake.pool.clientId, "alan@example.com");
    await assert.rejects(answer(fake.client, fake.pool.clientId, started.Session, "other@example.com", "42"), {
      name: "NotAuthorizedException",
    });
  });
});
