/**
 * The Amplify entry with fake `aws-amplify/auth` functions: the same rounds as on the SDK,
 * reached through signIn (CUSTOM_WITHOUT_SRP) and confirmSignIn with exactly the ClientMetadata
 * the protocol asks for; tokens read from Amplify's own session; only the latest round answers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfirmSignInInput, ConfirmSignInOutput, SignInInput, SignInOutput } from "aws-amplify/auth";
import {
  type AmplifyAuthFunctions,
  MethodNotOfferedError,
  type PasskeyRegistrationRound,
  SessionExpiredError,
  SessionInvalidError,
  SignInFailedError,
  WrongCodeError,
  createAmplifyPasswordlessClient,
} from "../src/amplify.ts";
import { INCORRECT, NOW, roundParameters } from "./support/cognito-replies.ts";
import { assertion, fakeWebAuthn, registration } from "./support/fake-webauthn.ts";

type Reply = SignInOutput | Error;
const challenge = (additionalInfo: Record<string, string>): SignInOutput => ({
  isSignedIn: false,
  nextStep: { signInStep: "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE", additionalInfo },
});
const DONE: SignInOutput = { isSignedIn: true, nextStep: { signInStep: "DONE" } };
/** What Amplify's AuthError looks like: the service's exception name and message. */
const authError = (name: string, message: string) => Object.assign(new Error(message), { name });
const jwt = (payload: Record<string, number>, text: string) => ({ payload, toString: () => text });

/** Fake Amplify auth: records each call's input and answers from the queue. */
function fakeAmplify(...replies: Reply[]) {
  const signIns: SignInInput[] = [];
  const confirms: ConfirmSignInInput[] = [];
  const next = async () => {
    const reply = replies.shift();
    if (reply === undefined) throw new Error("no reply queued");
    if (reply instanceof Error) throw reply;
    return reply;
  };
  const auth: AmplifyAuthFunctions = {
    async signIn(input) {
      signIns.push(input);
      return next();
    },
    async confirmSignIn(input) {
      confirms.push(input);
      return (await next()) as ConfirmSignInOutput;
    },
    async fetchAuthSession() {
      return {
        tokens: { idToken: jwt({ exp: 4600, iat: 1000 }, "id-token"), accessToken: jwt({ exp: 4600, iat: 1000 }, "access-token") },
      } as unknown as Awaited<ReturnType<AmplifyAuthFunctions["fetchAuthSession"]>>;
    },
  };
  const client = createAmplifyPasswordlessClient({ auth, clock: () => NOW, webauthn: fakeWebAuthn() });
  return { client, signIns, confirms };
}

describe("the Amplify client", () => {
  it("starts with signIn CUSTOM_WITHOUT_SRP and reads SELECT_METHOD from additionalInfo", async () => {
    const { client, signIns } = fakeAmplify(challenge(roundParameters.selectMethod()));
    const round = await client.signIn("jane@example.com");
    assert.deepEqual(signIns, [{ username: "jane@example.com", options: { authFlowType: "CUSTOM_WITHOUT_SRP" } }]);
    assert.deepEqual(round.methods, ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]);
    assert.equal(round.passkeyOffered, true);
  });

  it("signs in with an email code: confirmSignIn with the choice and its ClientMetadata, then the code", async () => {
    const { client, confirms } = fakeAmplify(challenge(roundParameters.selectMethod()), challenge(roundParameters.code("EMAIL_OTP")), DONE);
    const codeRound = await (await client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
    assert.equal(codeRound.destination, "j***@e***.com");
    const done = await codeRound.answer("123456");
    assert.deepEqual(done, { kind: "signed-in", tokens: { idToken: "id-token", accessToken: "access-token", expiresIn: 3600 } });
    assert.deepEqual(confirms, [
      { challengeResponse: "EMAIL_OTP", options: { clientMetadata: { signInMethod: "EMAIL_OTP", login: "jane@example.com" } } },
      { challengeResponse: "123456" },
    ]);
  });

  it("throws a wrong code with the retry round, which answers through Amplify's newer session", async () => {
    const { client, confirms } = fakeAmplify(
      challenge(roundParameters.selectMethod()),
      challenge(roundParameters.code("SMS_OTP")),
      challenge(roundParameters.code("SMS_OTP")),
      DONE,
    );
    const codeRound = await (await client.signIn("+447700900123")).chooseCode("SMS_OTP");
    const wrong = await codeRound.answer("000000").catch((error: unknown) => error);
    assert.ok(wrong instanceof WrongCodeError);
    assert.equal(wrong.attemptsLeft, 2);
    assert.equal((await wrong.retry.answer("123456")).kind, "signed-in");
    assert.equal(confirms.at(-1)?.challengeResponse, "123456");
  });

  it("refuses to answer a round Amplify has moved past, before any call", async () => {
    const { client, confirms } = fakeAmplify(
      challenge(roundParameters.selectMethod()),
      challenge(roundParameters.code("EMAIL_OTP")),
      challenge(roundParameters.code("EMAIL_OTP")),
    );
    const codeRound = await (await client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
    await codeRound.answer("000000").catch(() => {});
    await assert.rejects(codeRound.answer("123456"), SessionInvalidError);
    assert.equal(confirms.length, 2);
  });

  it("makes every round of an earlier sign-in unanswerable once another starts", async () => {
    const { client, confirms } = fakeAmplify(challenge(roundParameters.selectMethod()), challenge(roundParameters.selectMethod()));
    const first = await client.signIn("jane@example.com");
    await client.signIn("john@example.com");
    await assert.rejects(first.chooseCode("EMAIL_OTP"), SessionInvalidError);
    assert.equal(confirms.length, 0);
  });

  it("signs in with a passkey and enrols another: the assertion, then the registration with its userAgent", async () => {
    const { client, confirms } = fakeAmplify(challenge(roundParameters.selectMethod()), challenge(roundParameters.registration()), DONE);
    const round = await client.signIn("jane@example.com");
    const enrolment = (await round.signInWithPasskey({ registerPasskey: true })) as PasskeyRegistrationRound;
    assert.equal(enrolment.kind, "passkey-registration");
    assert.equal((await enrolment.register({ userAgent: "UA" })).kind, "signed-in");
    assert.deepEqual(confirms, [
      { challengeResponse: JSON.stringify(assertion), options: { clientMetadata: { signInMethod: "PASSKEY", registerPasskey: "true" } } },
      { challengeResponse: JSON.stringify(registration), options: { clientMetadata: { userAgent: "UA" } } },
    ]);
  });

  it("declines enrolment with SKIP", async () => {
    const { client, confirms } = fakeAmplify(
      challenge(roundParameters.selectMethod()),
      challenge(roundParameters.code()),
      challenge(roundParameters.registration()),
      DONE,
    );
    const codeRound = await (await client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
    const enrolment = (await codeRound.answer("123456", { registerPasskey: true })) as PasskeyRegistrationRound;
    assert.equal((await enrolment.skip()).kind, "signed-in");
    assert.deepEqual(confirms.slice(1), [
      { challengeResponse: "123456", options: { clientMetadata: { registerPasskey: "true" } } },
      { challengeResponse: "SKIP" },
    ]);
  });

  it("names Cognito's refusals through Amplify's AuthError, and Amplify's own lost session", async () => {
    const failed = fakeAmplify(challenge(roundParameters.selectMethod()), challenge(roundParameters.code()), authError("NotAuthorizedException", INCORRECT));
    const codeRound = await (await failed.client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
    await assert.rejects(codeRound.answer("000000"), SignInFailedError);

    const gone = fakeAmplify(
      challenge(roundParameters.selectMethod()),
      challenge(roundParameters.code()),
      authError("SignInException", "An error occurred during the sign in process."),
    );
    const stale = await (await gone.client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
    await assert.rejects(stale.answer("123456"), SessionExpiredError);
  });

  it("checks the method before any call, as on the SDK", async () => {
    const { client, confirms } = fakeAmplify(challenge(roundParameters.selectMethod(["EMAIL_OTP"])));
    const round = await client.signIn("jane@example.com");
    await assert.rejects(round.chooseCode("SMS_OTP"), MethodNotOfferedError);
    await assert.rejects(round.signInWithPasskey(), MethodNotOfferedError);
    assert.equal(confirms.length, 0);
  });

  it("reports a next step outside the custom flow as an unexpected response", async () => {
    const { client } = fakeAmplify({ isSignedIn: false, nextStep: { signInStep: "CONFIRM_SIGN_UP" } });
    await assert.rejects(client.signIn("jane@example.com"), { code: "UNEXPECTED_RESPONSE" });
  });
});
