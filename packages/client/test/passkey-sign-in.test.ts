/**
 * A passkey sign-in on the AWS SDK (mocked), with a fake WebAuthn: the SELECT_METHOD round's
 * passkeyOptions go to startAuthentication, the assertion goes back as the ANSWER with
 * ClientMetadata { signInMethod: "PASSKEY" }, and what the browser throws never reaches Cognito.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { PasskeyCancelledError, PasskeyFailedError, SignInFailedError, createPasswordlessClient } from "../src/index.ts";
import { INCORRECT, INTERNAL_USERNAME, NOW, notAuthorized, reply, requestOptions } from "./support/cognito-replies.ts";
import { assertion, browserError, fakeWebAuthn } from "./support/fake-webauthn.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
const responses = () => cognito.commandCalls(RespondToAuthChallengeCommand).map((call) => call.args[0].input);

async function selectMethod() {
  const started = reply.selectMethod();
  cognito.on(InitiateAuthCommand).resolves(started);
  const webauthn = fakeWebAuthn();
  const client = createPasswordlessClient({
    cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    clientId: "app-client",
    clock: () => NOW,
    webauthn,
  });
  return { round: await client.signIn("jane@example.com"), webauthn, started };
}

describe("a passkey sign-in", () => {
  beforeEach(() => cognito.reset());

  it("signs the round's passkeyOptions and answers with the assertion and ClientMetadata { signInMethod: 'PASSKEY' }", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.tokens());
    const { round, webauthn, started } = await selectMethod();
    const done = await round.signInWithPasskey();
    assert.equal(done.kind, "signed-in");
    assert.deepEqual(webauthn.requests, [requestOptions]);
    assert.deepEqual(responses(), [
      {
        ClientId: "app-client",
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: INTERNAL_USERNAME, ANSWER: JSON.stringify(assertion) },
        ClientMetadata: { signInMethod: "PASSKEY" },
      },
    ]);
  });

  it("asks for another passkey's enrolment with registerPasskey", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.registration());
    const { round } = await selectMethod();
    const next = await round.signInWithPasskey({ registerPasskey: true });
    assert.equal(next.kind, "passkey-registration");
    assert.deepEqual(responses()[0]?.ClientMetadata, { signInMethod: "PASSKEY", registerPasskey: "true" });
  });

  it("throws a dismissed prompt as PasskeyCancelledError, sends nothing, and the round can still choose a code", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.code());
    const { round, webauthn } = await selectMethod();
    webauthn.failures.push(browserError("NotAllowedError"));
    await assert.rejects(round.signInWithPasskey(), (error: unknown) => {
      assert.ok(error instanceof PasskeyCancelledError);
      assert.equal(error.code, "PASSKEY_CANCELLED");
      assert.equal(error.ceremony, "authentication");
      return true;
    });
    assert.equal(responses().length, 0, "nothing was sent");
    assert.equal((await round.chooseCode("EMAIL_OTP")).kind, "code");
  });

  it("reads SimpleWebAuthn's wrapped errors: the browser's own error is the cause", async () => {
    const { round, webauthn } = await selectMethod();
    const wrapped = Object.assign(new Error("The operation either timed out or was not allowed."), {
      name: "WebAuthnError",
      code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY",
      cause: browserError("NotAllowedError"),
    });
    const aborted = Object.assign(new Error("Authentication ceremony was sent an abort signal"), {
      code: "ERROR_CEREMONY_ABORTED",
      cause: browserError("AbortError"),
    });
    const wrongSite = Object.assign(new Error('The RP ID "example.com" is invalid for this domain'), {
      code: "ERROR_INVALID_RP_ID",
      cause: browserError("SecurityError"),
    });
    webauthn.failures.push(wrapped, aborted, wrongSite);
    await assert.rejects(round.signInWithPasskey(), PasskeyCancelledError);
    await assert.rejects(round.signInWithPasskey(), PasskeyCancelledError);
    await assert.rejects(round.signInWithPasskey(), (error: unknown) => {
      assert.ok(error instanceof PasskeyFailedError);
      assert.equal(error.code, "PASSKEY_FAILED");
      assert.equal(error.reason, "ERROR_INVALID_RP_ID");
      assert.equal(error.cause, wrongSite);
      return true;
    });
  });

  it("throws a browser without WebAuthn as PasskeyFailedError", async () => {
    const { round, webauthn } = await selectMethod();
    webauthn.failures.push(new Error("WebAuthn is not supported in this browser"));
    await assert.rejects(round.signInWithPasskey(), { code: "PASSKEY_FAILED", reason: "Error", ceremony: "authentication" });
  });

  it("names a passkey the pool refused SignInFailedError", async () => {
    cognito.on(RespondToAuthChallengeCommand).rejects(notAuthorized(INCORRECT));
    const { round } = await selectMethod();
    await assert.rejects(round.signInWithPasskey(), SignInFailedError);
  });

  it("reports SELECT_METHOD posed again after a passkey as an unexpected response", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.selectMethod());
    const { round } = await selectMethod();
    await assert.rejects(round.signInWithPasskey(), { code: "UNEXPECTED_RESPONSE" });
  });
});
