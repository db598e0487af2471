/**
 * Round 1, SELECT_METHOD, on the AWS SDK (mocked with aws-sdk-client-mock): the sign-in starts
 * with InitiateAuth CUSTOM_AUTH, the round reads as typed methods, and choosing a code sends
 * exactly ClientMetadata { signInMethod, login } on the round's session and USERNAME.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  TooManyRequestsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { MethodNotOfferedError, UnexpectedResponseError, createPasswordlessClient } from "../src/index.ts";
import { INTERNAL_USERNAME, NOW, reply } from "./support/cognito-replies.ts";
import { fakeWebAuthn } from "./support/fake-webauthn.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
const client = () =>
  createPasswordlessClient({
    cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    clientId: "app-client",
    clock: () => NOW,
    webauthn: fakeWebAuthn(),
  });
const responses = () => cognito.commandCalls(RespondToAuthChallengeCommand).map((call) => call.args[0].input);

describe("the SELECT_METHOD round", () => {
  beforeEach(() => cognito.reset());

  it("starts with InitiateAuth CUSTOM_AUTH for the username, and nothing else", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod());
    await client().signIn("jane@example.com");
    const [call] = cognito.commandCalls(InitiateAuthCommand);
    assert.deepEqual(call?.args[0].input, { ClientId: "app-client", AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "jane@example.com" } });
  });

  it("reads the offered methods, in order, and whether a passkey is offered", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod());
    const round = await client().signIn("jane@example.com");
    assert.equal(round.kind, "select-method");
    assert.equal(round.username, "jane@example.com");
    assert.deepEqual(round.methods, ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]);
    assert.equal(round.passkeyOffered, true);
  });

  it("says passkeys are not offered when the deployment offers codes only", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod(["EMAIL_OTP", "SMS_OTP"]));
    const round = await client().signIn("jane@example.com");
    assert.deepEqual(round.methods, ["EMAIL_OTP", "SMS_OTP"]);
    assert.equal(round.passkeyOffered, false);
  });

  it("leaves out a method this client does not know instead of failing", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.raw({ type: "SELECT_METHOD", methods: "MAGIC_LINK,EMAIL_OTP" }));
    const round = await client().signIn("jane@example.com");
    assert.deepEqual(round.methods, ["EMAIL_OTP"]);
  });

  it("chooses EMAIL_OTP with ClientMetadata { signInMethod, login } where login is what was typed", async () => {
    const started = reply.selectMethod();
    cognito.on(InitiateAuthCommand).resolves(started).on(RespondToAuthChallengeCommand).resolves(reply.code("EMAIL_OTP"));
    const round = await client().signIn("Jane@Example.com");
    const codeRound = await round.chooseCode("EMAIL_OTP");
    assert.equal(codeRound.method, "EMAIL_OTP");
    const [input] = responses();
    assert.deepEqual(input, {
      ClientId: "app-client",
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: started.Session,
      ChallengeResponses: { USERNAME: INTERNAL_USERNAME, ANSWER: "EMAIL_OTP" },
      ClientMetadata: { signInMethod: "EMAIL_OTP", login: "Jane@Example.com" },
    });
  });

  it("sends signIn's login, or chooseCode's, when the username was normalised", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod()).on(RespondToAuthChallengeCommand).resolves(reply.code("SMS_OTP"));
    const fromSignIn = await client().signIn("+447700900123", { login: "07700 900123" });
    await fromSignIn.chooseCode("SMS_OTP");
    const fromChoice = await client().signIn("+447700900123", { login: "07700 900123" });
    await fromChoice.chooseCode("SMS_OTP", { login: "+44 7700 900123" });
    assert.deepEqual(
      responses().map((input) => input.ClientMetadata),
      [
        { signInMethod: "SMS_OTP", login: "07700 900123" },
        { signInMethod: "SMS_OTP", login: "+44 7700 900123" },
      ],
    );
  });

  it("refuses a method the round does not offer before any call", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod(["EMAIL_OTP"]));
    const round = await client().signIn("jane@example.com");
    await assert.rejects(round.chooseCode("SMS_OTP"), (error: unknown) => {
      assert.ok(error instanceof MethodNotOfferedError);
      assert.equal(error.code, "METHOD_NOT_OFFERED");
      assert.equal(MethodNotOfferedError.code, "METHOD_NOT_OFFERED");
      assert.equal(error.method, "SMS_OTP");
      assert.deepEqual(error.offered, ["EMAIL_OTP"]);
      return true;
    });
    await assert.rejects(round.signInWithPasskey(), { code: "METHOD_NOT_OFFERED", method: "PASSKEY" });
    assert.equal(responses().length, 0, "nothing was sent");
  });

  it("refuses PASSKEY as a code method: that is signInWithPasskey", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod());
    const round = await client().signIn("jane@example.com");
    await assert.rejects(round.chooseCode("PASSKEY" as never), TypeError);
    assert.equal(responses().length, 0);
  });

  it("refuses an empty username before any call", async () => {
    await assert.rejects(client().signIn(""), TypeError);
    assert.equal(cognito.commandCalls(InitiateAuthCommand).length, 0);
  });

  it("reports a first round that is not SELECT_METHOD as an unexpected response", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.code("EMAIL_OTP"));
    await assert.rejects(
      client().signIn("jane@example.com"),
      (error: unknown) => error instanceof UnexpectedResponseError && /SELECT_METHOD/.test(error.message),
    );
    cognito.on(InitiateAuthCommand).resolves({ $metadata: {}, ChallengeName: "PASSWORD_VERIFIER", Session: "s", ChallengeParameters: {} });
    await assert.rejects(client().signIn("jane@example.com"), { code: "UNEXPECTED_RESPONSE" });
  });

  it("rethrows a Cognito error it does not name, as the SDK raised it", async () => {
    const throttled = new TooManyRequestsException({ message: "Rate exceeded", $metadata: {} });
    cognito.on(InitiateAuthCommand).rejects(throttled);
    await assert.rejects(client().signIn("jane@example.com"), (error) => error === throttled);
  });

  it("checks its options once, at creation", () => {
    const sdk = new CognitoIdentityProviderClient({ region: "eu-west-1" });
    assert.throws(() => createPasswordlessClient({ cognito: sdk, clientId: "" }), TypeError);
    assert.throws(() => createPasswordlessClient({ cognito: sdk, clientId: "app", codeMaxAttempts: 0 }), RangeError);
    assert.throws(() => createPasswordlessClient({ cognito: {} as CognitoIdentityProviderClient, clientId: "app" }), TypeError);
  });
});
