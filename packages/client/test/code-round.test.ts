/**
 * Round 2, EMAIL_OTP / SMS_OTP, on the AWS SDK (mocked): the round's parameters typed, the code
 * answered on the round's session, a wrong code thrown with the retry round Cognito posed, and
 * each way the sign-in can end named by its own error.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import {
  CodeExpiredError,
  type PasswordlessClientOptions,
  SessionExpiredError,
  SessionInvalidError,
  SignInFailedError,
  WrongCodeError,
  createPasswordlessClient,
} from "../src/index.ts";
import { INCORRECT, INTERNAL_USERNAME, NOW, SESSION_EXPIRED, SESSION_INVALID, notAuthorized, reply } from "./support/cognito-replies.ts";
import { fakeWebAuthn } from "./support/fake-webauthn.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
const responses = () => cognito.commandCalls(RespondToAuthChallengeCommand).map((call) => call.args[0].input);
const EXPIRES_AT = NOW + 300_000;

/** SELECT_METHOD answered with EMAIL_OTP; the next RespondToAuthChallenge replies come from `then`. */
async function codeRound(options: Partial<PasswordlessClientOptions> = {}) {
  cognito.on(InitiateAuthCommand).resolves(reply.selectMethod());
  const client = createPasswordlessClient({
    cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    clientId: "app-client",
    clock: () => NOW,
    webauthn: fakeWebAuthn(),
    ...options,
  });
  const round = await (await client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
  return round;
}

describe("a code round", () => {
  beforeEach(() => cognito.reset());

  it("reads destination, codeLength and expiresAt, with the attempts this code has", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.code("EMAIL_OTP", EXPIRES_AT));
    const round = await codeRound();
    assert.equal(round.kind, "code");
    assert.equal(round.method, "EMAIL_OTP");
    assert.equal(round.destination, "j***@e***.com");
    assert.equal(round.codeLength, 6);
    assert.deepEqual(round.expiresAt, new Date(EXPIRES_AT));
    assert.equal(round.attempt, 1);
    assert.equal(round.attemptsLeft, 3, "the template's CodeMaxAttempts by default");
  });

  it("answers with the code alone, on the code round's session, and is signed in", async () => {
    const codeReply = reply.code();
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(codeReply).resolvesOnce(reply.tokens());
    const done = await (await codeRound()).answer(" 123456 ");
    assert.deepEqual(done, {
      kind: "signed-in",
      tokens: { idToken: "id-token", accessToken: "access-token", refreshToken: "refresh-token", expiresIn: 3600 },
    });
    assert.deepEqual(responses()[1], {
      ClientId: "app-client",
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: codeReply.Session,
      ChallengeResponses: { USERNAME: INTERNAL_USERNAME, ANSWER: "123456" },
    });
  });

  it("leaves refreshToken out when Cognito issues none", async () => {
    cognito
      .on(RespondToAuthChallengeCommand)
      .resolvesOnce(reply.code())
      .resolvesOnce(reply.tokens({ withRefreshToken: false }));
    const done = await (await codeRound()).answer("123456");
    assert.equal(done.kind, "signed-in");
    assert.equal(done.kind === "signed-in" && "refreshToken" in done.tokens, false);
  });

  it("asks for the enrolment round with ClientMetadata { registerPasskey: 'true' }", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).resolvesOnce(reply.registration());
    const next = await (await codeRound()).answer("123456", { registerPasskey: true });
    assert.equal(next.kind, "passkey-registration");
    assert.deepEqual(responses()[1]?.ClientMetadata, { registerPasskey: "true" });
  });

  it("is signed in at once when it asked for enrolment and the deployment offers no passkeys", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).resolvesOnce(reply.tokens());
    const next = await (await codeRound()).answer("123456", { registerPasskey: true });
    assert.equal(next.kind, "signed-in");
  });

  it("throws a wrong code as WrongCodeError carrying the retry round, which answers on its own session", async () => {
    const retryReply = reply.code("EMAIL_OTP", EXPIRES_AT);
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).resolvesOnce(retryReply).resolvesOnce(reply.tokens());
    const round = await codeRound();
    const wrong = await round.answer("000000").then(
      () => assert.fail("a wrong code is an error"),
      (error: unknown) => error,
    );
    assert.ok(wrong instanceof WrongCodeError);
    assert.equal(wrong.code, "WRONG_CODE");
    assert.equal(wrong.attemptsLeft, 2);
    assert.equal(wrong.retry.kind, "code");
    assert.equal(wrong.retry.attempt, 2);
    assert.equal(wrong.retry.attemptsLeft, 2);
    assert.equal(wrong.retry.method, "EMAIL_OTP");
    const done = await wrong.retry.answer("123456");
    assert.equal(done.kind, "signed-in");
    assert.equal(responses()[2]?.Session, retryReply.Session);
    assert.equal(responses()[2]?.ChallengeResponses?.["ANSWER"], "123456");
  });

  it("counts attempts down to the last, then names the failed sign-in", async () => {
    cognito
      .on(RespondToAuthChallengeCommand)
      .resolvesOnce(reply.code())
      .resolvesOnce(reply.code())
      .resolvesOnce(reply.code())
      .rejectsOnce(notAuthorized(INCORRECT));
    const first = await codeRound();
    const second = await first.answer("000000").catch((error: WrongCodeError) => error);
    assert.ok(second instanceof WrongCodeError && second.attemptsLeft === 2);
    const third = await second.retry.answer("000001").catch((error: WrongCodeError) => error);
    assert.ok(third instanceof WrongCodeError && third.attemptsLeft === 1);
    await assert.rejects(third.retry.answer("000002"), (error: unknown) => {
      assert.ok(error instanceof SignInFailedError);
      assert.equal(error.code, "SIGN_IN_FAILED");
      assert.equal((error.cause as Error).name, "NotAuthorizedException");
      return true;
    });
  });

  it("computes attemptsLeft from codeMaxAttempts, and never below one while Cognito re-offers the round", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).resolvesOnce(reply.code()).resolvesOnce(reply.code());
    const round = await codeRound({ codeMaxAttempts: 2 });
    assert.equal(round.attemptsLeft, 2);
    const wrong = (await round.answer("000000").catch((error: unknown) => error)) as WrongCodeError;
    assert.equal(wrong.attemptsLeft, 1);
    const again = (await wrong.retry.answer("000001").catch((error: unknown) => error)) as WrongCodeError;
    assert.equal(again.attemptsLeft, 1, "the deployment allowed more than the client was told");
  });

  it("refuses an expired code before sending it", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.code("EMAIL_OTP", NOW - 1));
    const round = await codeRound();
    await assert.rejects(round.answer("123456"), (error: unknown) => {
      assert.ok(error instanceof CodeExpiredError);
      assert.equal(error.code, "CODE_EXPIRED");
      assert.deepEqual(error.expiresAt, new Date(NOW - 1));
      return true;
    });
    assert.equal(responses().length, 1, "only the method choice was sent");
  });

  it("names Cognito's refusal of a code that expired on the way as CodeExpiredError", async () => {
    let now = EXPIRES_AT - 1;
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.code("EMAIL_OTP", EXPIRES_AT));
    const round = await codeRound({ clock: () => now });
    // The code is still valid when sent; Cognito judges it expired when it arrives.
    cognito.on(RespondToAuthChallengeCommand).callsFake(async () => {
      now = EXPIRES_AT + 1;
      throw notAuthorized(INCORRECT);
    });
    await assert.rejects(round.answer("123456"), CodeExpiredError);
  });

  it("names an expired session SessionExpiredError and a used one SessionInvalidError", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).rejectsOnce(notAuthorized(SESSION_EXPIRED));
    await assert.rejects((await codeRound()).answer("123456"), (error: unknown) => error instanceof SessionExpiredError && error.code === "SESSION_EXPIRED");
    cognito.reset();
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).rejectsOnce(notAuthorized(SESSION_INVALID));
    await assert.rejects((await codeRound()).answer("123456"), (error: unknown) => error instanceof SessionInvalidError && error.code === "SESSION_INVALID");
  });

  it("rethrows other NotAuthorizedExceptions and other errors as Cognito raised them", async () => {
    const disabled = notAuthorized("User is disabled.");
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).rejectsOnce(disabled);
    await assert.rejects((await codeRound()).answer("123456"), (error) => error === disabled);
    cognito.reset();
    const gone = new UserNotFoundException({ message: "User does not exist.", $metadata: {} });
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).rejectsOnce(gone);
    await assert.rejects((await codeRound()).answer("123456"), (error) => error === gone);
  });

  it("reports a round of another method after a code as an unexpected response", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code("EMAIL_OTP")).resolvesOnce(reply.code("SMS_OTP"));
    await assert.rejects((await codeRound()).answer("123456"), { code: "UNEXPECTED_RESPONSE" });
  });

  it("refuses an empty code before any call", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.code());
    await assert.rejects((await codeRound()).answer("  "), TypeError);
    assert.equal(responses().length, 1);
  });
});
