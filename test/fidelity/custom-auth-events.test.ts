/**
 * The CUSTOM_AUTH loop and the exact events Cognito sends its challenge triggers.
 * Developer guide: "Define auth challenge Lambda trigger", "Create auth challenge Lambda trigger",
 * "Verify auth challenge response Lambda trigger", and the common trigger parameters:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";

describe("custom authentication, as Cognito runs it", () => {
  let fake: FakePool;
  let sub: string;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW });
    const signUp = await fake.client.send(new SignUpCommand({ ClientId: fake.pool.clientId, Username: "ada@example.com", Password: "Unused-Passw0rd!xyz" }));
    sub = signUp.UserSub!;
  });
  after(() => fake.stop());

  it("runs Define then Create, and shows the app the public parameters plus USERNAME (the internal username)", async () => {
    const started = await fake.client.send(
      new InitiateAuthCommand({ ClientId: fake.pool.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "ada@example.com" } }),
    );
    assert.equal(started.ChallengeName, "CUSTOM_CHALLENGE");
    assert.deepEqual(started.ChallengeParameters, { round: "1", USERNAME: sub });
    assert.ok(started.Session !== undefined && started.Session.length >= 20);
    // Compared by value, not as text: the random sub may contain "42" by chance.
    assert.ok(!Object.values(started.ChallengeParameters ?? {}).includes("42"), "private parameters never reach the app");

    const [define] = fake.events("DefineAuthChallenge").slice(-1);
    assert.deepEqual(Object.keys(define!).sort(), ["callerContext", "region", "request", "response", "triggerSource", "userName", "userPoolId", "version"]);
    assert.equal(define!["version"], "1");
    assert.equal(define!["triggerSource"], "DefineAuthChallenge_Authentication");
    assert.equal(define!["region"], "us-east-1");
    assert.equal(define!["userPoolId"], fake.pool.userPoolId);
    assert.equal(define!["userName"], sub, "userName is the internal username, not the email the app typed");
    assert.equal(define!["callerContext"].clientId, fake.pool.clientId);
    assert.match(define!["callerContext"].awsSdkVersion, /^aws-sdk-js-\d/);
    assert.deepEqual(define!["request"].session, []);
    assert.equal(define!["request"].userNotFound, false);
    assert.equal(define!["request"].userAttributes.email, "ada@example.com");
    assert.equal(define!["request"].userAttributes.sub, sub);
    assert.equal(define!["request"].userAttributes["cognito:user_status"], "CONFIRMED");
    assert.deepEqual(define!["response"], { challengeName: null, issueTokens: null, failAuthentication: null });

    const [create] = fake.events("CreateAuthChallenge").slice(-1);
    assert.equal(create!["triggerSource"], "CreateAuthChallenge_Authentication");
    assert.equal(create!["request"].challengeName, "CUSTOM_CHALLENGE");
    assert.deepEqual(create!["request"].session, []);
    assert.deepEqual(create!["response"], { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null });
  });

  it("gives Verify the private parameters and the answer, and Define a session entry per round, challengeMetadata null when Create set none", async () => {
    const started = await fake.client.send(
      new InitiateAuthCommand({ ClientId: fake.pool.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "ada@example.com" } }),
    );
    const second = await fake.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: fake.pool.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: "ada@example.com", ANSWER: "41" },
      }),
    );
    assert.equal(second.ChallengeName, "CUSTOM_CHALLENGE");
    assert.equal(second.ChallengeParameters?.["round"], "2");
    assert.notEqual(second.Session, started.Session, "each round has a new session");

    const [verify] = fake.events("VerifyAuthChallengeResponse").slice(-1);
    assert.equal(verify!["triggerSource"], "VerifyAuthChallengeResponse_Authentication");
    assert.deepEqual(verify!["request"].privateChallengeParameters, { answer: "42" });
    assert.equal(verify!["request"].challengeAnswer, "41");
    assert.equal("session" in verify!["request"], false, "Verify sees no session");
    assert.deepEqual(verify!["response"], { answerCorrect: null });

    const [define] = fake.events("DefineAuthChallenge").slice(-1);
    assert.deepEqual(define!["request"].session, [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: null }]);

    const done = await fake.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: fake.pool.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: second.Session,
        ChallengeResponses: { USERNAME: sub, ANSWER: "42" },
      }),
    );
    assert.ok(done.AuthenticationResult?.IdToken);
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.ok(done.AuthenticationResult?.RefreshToken);
    assert.equal(done.AuthenticationResult?.TokenType, "Bearer");
    assert.equal(done.AuthenticationResult?.ExpiresIn, 3600);
    const [lastDefine] = fake.events("DefineAuthChallenge").slice(-1);
    assert.deepEqual(lastDefine!["request"].session, [
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: null },
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "retry" },
    ]);
  });

  it('answers failAuthentication with NotAuthorizedException "Incorrect username or password."', async () => {
    let session = (
      await fake.client.send(
        new InitiateAuthCommand({ ClientId: fake.pool.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "ada@example.com" } }),
      )
    ).Session;
    const answer = () =>
      fake.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: fake.pool.clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: session,
          ChallengeResponses: { USERNAME: "ada@example.com", ANSWER: "wrong" },
        }),
      );
    session = (await answer()).Session;
    session = (await answer()).Session;
    await assert.rejects(answer(), { name: "NotAuthorizedException", message: "Incorrect username or password." });
  });
});
