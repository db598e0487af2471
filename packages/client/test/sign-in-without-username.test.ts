/**
 * Sign-in without a username on the AWS SDK (mocked), with a fake passkey API and fake WebAuthn:
 * POST /passkeys/challenge, the browser signs its options, InitiateAuth with the user handle as
 * USERNAME, then one answer with ClientMetadata { signInMethod: "PASSKEY", passkeyChallenge }.
 * Every failure before a passkey was chosen sends nothing to Cognito.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import { mockClient } from "aws-sdk-client-mock";
import {
  PasskeyAbortedError,
  PasskeyCancelledError,
  PasskeyChallengeUnavailableError,
  PasskeyUserHandleError,
  SignInFailedError,
  UnexpectedResponseError,
  createPasswordlessClient,
} from "../src/index.ts";
import type { WebAuthnCeremonies } from "../src/webauthn.ts";
import { INCORRECT, INTERNAL_USERNAME, NOW, notAuthorized, reply } from "./support/cognito-replies.ts";
import { API_URL, type FakeReply, fakePasskeyApi, gatewayUnauthorized, json, refusal } from "./support/fake-passkey-api.ts";
import { browserError, fakeWebAuthn } from "./support/fake-webauthn.ts";
import { CHALLENGE_ID, assertionWithHandle, challengeOptions, challengeReply, until } from "./support/usernameless.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
const initiations = () => cognito.commandCalls(InitiateAuthCommand).map((call) => call.args[0].input);
const responses = () => cognito.commandCalls(RespondToAuthChallengeCommand).map((call) => call.args[0].input);

function usernameless(replies: FakeReply[] = [challengeReply()], webauthn: WebAuthnCeremonies = fakeWebAuthn()) {
  const api = fakePasskeyApi(...replies);
  const client = createPasswordlessClient({
    cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    clientId: "app-client",
    clock: () => NOW,
    webauthn,
    passkeyApiUrl: `${API_URL}/`,
    fetch: api.fetch,
  });
  return { client, api, webauthn };
}

/** A passkey whose user handle is the user's Cognito username (their sub), as the suite enrols them. */
const ownersPasskey = () => {
  const webauthn = fakeWebAuthn();
  webauthn.assertion = assertionWithHandle(INTERNAL_USERNAME);
  return webauthn;
};

describe("signing in without a username", () => {
  beforeEach(() => {
    cognito.reset();
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod()).on(RespondToAuthChallengeCommand).resolves(reply.tokens());
  });

  it("gets a challenge, signs it, starts with the user handle as USERNAME and answers with the challenge id", async () => {
    const webauthn = ownersPasskey();
    const { client, api } = usernameless([challengeReply()], webauthn);
    const done = await client.signInWithPasskey();

    assert.equal(done.kind, "signed-in");
    assert.equal(done.kind === "signed-in" && done.tokens.idToken, "id-token");
    // A public route: no token, and no body or header that would cost the browser a CORS preflight.
    assert.deepEqual(
      api.requests.map(({ method, url, headers, body }) => ({ method, url, headers, body })),
      [{ method: PASSKEY_API_ROUTES.signInChallenge.method, url: `${API_URL}/passkeys/challenge`, headers: {}, body: undefined }],
    );
    assert.deepEqual(webauthn.authentications, [{ optionsJSON: challengeOptions }], "a modal prompt over the route's options");
    assert.deepEqual(initiations(), [{ ClientId: "app-client", AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: INTERNAL_USERNAME } }]);
    const [answer] = responses();
    assert.equal(answer?.ChallengeResponses?.["ANSWER"], JSON.stringify(webauthn.assertion));
    assert.deepEqual(answer?.ClientMetadata, { signInMethod: "PASSKEY", passkeyChallenge: CHALLENGE_ID });
  });

  it("asks for another passkey's enrolment with registerPasskey", async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves(reply.registration());
    const { client } = usernameless([challengeReply()], ownersPasskey());
    assert.equal((await client.signInWithPasskey({ registerPasskey: true })).kind, "passkey-registration");
    assert.deepEqual(responses()[0]?.ClientMetadata, { signInMethod: "PASSKEY", passkeyChallenge: CHALLENGE_ID, registerPasskey: "true" });
  });

  it("throws a dismissed prompt (or no passkey on this device) as PasskeyCancelledError and sends nothing to Cognito", async () => {
    const webauthn = ownersPasskey();
    webauthn.failures.push(browserError("NotAllowedError"));
    const { client } = usernameless([challengeReply()], webauthn);
    await assert.rejects(client.signInWithPasskey(), (error: unknown) => error instanceof PasskeyCancelledError && error.ceremony === "authentication");
    assert.equal(initiations().length, 0);
  });

  for (const [what, answer, status] of [
    ["nothing answers", new TypeError("fetch failed"), undefined],
    ["the deployment has no such route (API Gateway's 404)", json(404, { message: "Not Found" }), 404],
    ["it is throttled", json(429, { message: "Too Many Requests" }), 429],
    ["the function is unavailable", refusal(503, "service_unavailable"), 503],
  ] as const) {
    it(`throws PasskeyChallengeUnavailableError when ${what}, before any prompt`, async () => {
      const webauthn = ownersPasskey();
      const { client } = usernameless([answer], webauthn);
      await assert.rejects(client.signInWithPasskey(), (error: unknown) => {
        assert.ok(error instanceof PasskeyChallengeUnavailableError);
        assert.equal(error.code, "PASSKEY_CHALLENGE_UNAVAILABLE");
        assert.equal(error.status, status);
        return true;
      });
      assert.equal(webauthn.authentications.length, 0, "no prompt without a challenge");
      assert.equal(initiations().length, 0);
    });
  }

  it("reports a challenge answer outside the route's contract as UnexpectedResponseError", async () => {
    for (const body of [{ options: challengeOptions }, { challengeId: CHALLENGE_ID, options: { rpId: "example.com" } }, []]) {
      const { client } = usernameless([json(200, body)], ownersPasskey());
      await assert.rejects(client.signInWithPasskey(), UnexpectedResponseError);
    }
    const { client } = usernameless([gatewayUnauthorized()], ownersPasskey());
    await assert.rejects(client.signInWithPasskey(), { code: "NOT_SIGNED_IN" }, "a 401 on a public route is a misconfigured API, named as the API's refusal");
  });

  for (const [what, handle, problem] of [
    ["no user handle", undefined, "missing"],
    ["a handle that is binary, not UTF-8 text", new Uint8Array([0xff, 0xfe, 0x00, 0x81]), "undecodable"],
    ["a handle holding control characters", "jane\u0000@example.com", "undecodable"],
  ] as const) {
    it(`refuses an assertion with ${what} as PasskeyUserHandleError, sending nothing to Cognito`, async () => {
      const webauthn = fakeWebAuthn();
      webauthn.assertion = assertionWithHandle(handle);
      const { client } = usernameless([challengeReply()], webauthn);
      await assert.rejects(client.signInWithPasskey(), (error: unknown) => {
        assert.ok(error instanceof PasskeyUserHandleError);
        assert.equal(error.code, "PASSKEY_USER_HANDLE_INVALID");
        assert.equal(error.problem, problem);
        return true;
      });
      assert.equal(initiations().length, 0);
    });
  }

  it("refuses a user handle that is not base64url", async () => {
    const webauthn = fakeWebAuthn();
    webauthn.assertion = { ...webauthn.assertion, response: { ...webauthn.assertion.response, userHandle: "not base64url!" } };
    const { client } = usernameless([challengeReply()], webauthn);
    await assert.rejects(client.signInWithPasskey(), { code: "PASSKEY_USER_HANDLE_INVALID", problem: "undecodable" });
  });

  it("names a passkey the pool refused SignInFailedError", async () => {
    cognito.on(RespondToAuthChallengeCommand).rejects(notAuthorized(INCORRECT));
    const { client } = usernameless([challengeReply()], ownersPasskey());
    await assert.rejects(client.signInWithPasskey(), SignInFailedError);
  });

  it("names a user handle of nobody SignInFailedError where the pool reveals unknown users", async () => {
    cognito.on(InitiateAuthCommand).rejects(new UserNotFoundException({ message: "User does not exist.", $metadata: {} }));
    const { client } = usernameless([challengeReply()], ownersPasskey());
    await assert.rejects(client.signInWithPasskey(), SignInFailedError);
    assert.equal(responses().length, 0);
  });

  it("stops at once on an aborted signal, before asking for a challenge", async () => {
    const { client, api } = usernameless([challengeReply()], ownersPasskey());
    await assert.rejects(client.signInWithPasskey({ signal: AbortSignal.abort() }), PasskeyAbortedError);
    assert.equal(api.requests.length, 0);
  });

  it("closes the prompt when the signal aborts during it, and sends nothing to Cognito", async () => {
    let cancelled = 0;
    let started = false;
    const waiting: WebAuthnCeremonies = {
      startAuthentication: () => {
        started = true;
        return new Promise(() => undefined);
      },
      startRegistration: () => Promise.reject(new Error("not used")),
      cancelCeremony: () => {
        cancelled++;
      },
    };
    const controller = new AbortController();
    const { client } = usernameless([challengeReply()], waiting);
    const signingIn = client.signInWithPasskey({ signal: controller.signal });
    await until(() => started, "the prompt opens");
    controller.abort();
    await assert.rejects(signingIn, { code: "PASSKEY_ABORTED" });
    assert.equal(cancelled, 1, "the browser's prompt is cancelled");
    assert.equal(initiations().length, 0);
  });

  it("needs the passkey API's URL: a TypeError that says which option", async () => {
    const client = createPasswordlessClient({ cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }), clientId: "app-client" });
    await assert.rejects(client.signInWithPasskey(), (error: unknown) => error instanceof TypeError && /passkeyApiUrl/.test(error.message));
    assert.throws(
      () => createPasswordlessClient({ cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }), clientId: "c", passkeyApiUrl: "not a url" }),
      /passkeyApiUrl must be the passkey API's base URL/,
    );
  });
});
