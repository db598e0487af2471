/**
 * Sign-in without a username on the Amplify entry, with fake `aws-amplify/auth` functions: the
 * challenge from the passkey API, then Amplify's signIn with the user handle as username
 * (CUSTOM_WITHOUT_SRP) and confirmSignIn with the assertion and { signInMethod, passkeyChallenge }.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfirmSignInInput, ConfirmSignInOutput, SignInInput, SignInOutput } from "aws-amplify/auth";
import { type AmplifyAuthFunctions, PasskeyUserHandleError, SignInFailedError, type Tokens, createAmplifyPasswordlessClient } from "../src/amplify.ts";
import { INCORRECT, INTERNAL_USERNAME, NOW, roundParameters } from "./support/cognito-replies.ts";
import { API_URL, fakePasskeyApi } from "./support/fake-passkey-api.ts";
import { fakeWebAuthn } from "./support/fake-webauthn.ts";
import { CHALLENGE_ID, assertionWithHandle, challengeReply, until } from "./support/usernameless.ts";

const SELECT_METHOD: SignInOutput = {
  isSignedIn: false,
  nextStep: { signInStep: "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE", additionalInfo: { ...roundParameters.selectMethod(), USERNAME: INTERNAL_USERNAME } },
};
const DONE: SignInOutput = { isSignedIn: true, nextStep: { signInStep: "DONE" } };
const jwt = (text: string) => ({ payload: { exp: 4600, iat: 1000 }, toString: () => text });

function amplifyWorld(confirmReply: SignInOutput | Error = DONE) {
  const signIns: SignInInput[] = [];
  const confirms: ConfirmSignInInput[] = [];
  const auth: AmplifyAuthFunctions = {
    async signIn(input) {
      signIns.push(input);
      return SELECT_METHOD;
    },
    async confirmSignIn(input) {
      confirms.push(input);
      if (confirmReply instanceof Error) throw confirmReply;
      return confirmReply as ConfirmSignInOutput;
    },
    async fetchAuthSession() {
      return { tokens: { idToken: jwt("id-token"), accessToken: jwt("access-token") } } as unknown as Awaited<
        ReturnType<AmplifyAuthFunctions["fetchAuthSession"]>
      >;
    },
  };
  const webauthn = fakeWebAuthn({ autofill: true });
  webauthn.assertion = assertionWithHandle(INTERNAL_USERNAME);
  const api = fakePasskeyApi(challengeReply(), challengeReply());
  const client = createAmplifyPasswordlessClient({ auth, clock: () => NOW, webauthn, passkeyApiUrl: API_URL, fetch: api.fetch });
  return { client, signIns, confirms, webauthn, api };
}

describe("the Amplify client without a username", () => {
  it("signs in with signIn({ username: user handle, CUSTOM_WITHOUT_SRP }) and confirmSignIn with the challenge id", async () => {
    const { client, signIns, confirms, webauthn, api } = amplifyWorld();
    const done = await client.signInWithPasskey();
    assert.deepEqual(done, { kind: "signed-in", tokens: { idToken: "id-token", accessToken: "access-token", expiresIn: 3600 } });
    assert.equal(api.requests[0]?.url, `${API_URL}/passkeys/challenge`);
    assert.deepEqual(signIns, [{ username: INTERNAL_USERNAME, options: { authFlowType: "CUSTOM_WITHOUT_SRP" } }]);
    assert.deepEqual(confirms, [
      {
        challengeResponse: JSON.stringify(webauthn.assertion),
        options: { clientMetadata: { signInMethod: "PASSKEY", passkeyChallenge: CHALLENGE_ID } },
      },
    ]);
  });

  it("signs in from the autofill the same way", async () => {
    const { client, signIns, confirms, webauthn } = amplifyWorld();
    const signedIn: Tokens[] = [];
    const autofill = client.startPasskeyAutofill({ getAttribute: () => "username webauthn" }, { onSignedIn: (tokens) => signedIn.push(tokens) });
    await until(() => webauthn.autofillPending, "the conditional request is pending");
    assert.equal(signIns.length, 0, "Amplify's signIn waits for the person to pick a passkey");
    webauthn.pick();
    assert.equal((await autofill.done).kind, "signed-in");
    assert.equal(signedIn[0]?.idToken, "id-token");
    assert.equal(signIns[0]?.username, INTERNAL_USERNAME);
    assert.deepEqual(confirms[0]?.options, { clientMetadata: { signInMethod: "PASSKEY", passkeyChallenge: CHALLENGE_ID } });
  });

  it("names a refused passkey SignInFailedError, and a missing user handle PasskeyUserHandleError before Amplify is called", async () => {
    const refused = amplifyWorld(Object.assign(new Error(INCORRECT), { name: "NotAuthorizedException" }));
    await assert.rejects(refused.client.signInWithPasskey(), SignInFailedError);

    const anonymous = amplifyWorld();
    anonymous.webauthn.assertion = assertionWithHandle(undefined);
    await assert.rejects(anonymous.client.signInWithPasskey(), PasskeyUserHandleError);
    assert.equal(anonymous.signIns.length, 0);
  });
});
