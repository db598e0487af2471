/**
 * Passkey autofill on the AWS SDK (mocked), with a fake passkey API and a fake WebAuthn whose
 * conditional request waits until the person picks a passkey: the request's options, the
 * sign-in it ends in, and every way it ends without one (unsupported, aborted, taken over by a
 * modal prompt, renewed, failed).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { PasskeyChallengeUnavailableError, SignInFailedError, type Tokens, createPasswordlessClient } from "../src/index.ts";
import type { WebAuthnCeremonies } from "../src/webauthn.ts";
import { INCORRECT, INTERNAL_USERNAME, NOW, notAuthorized, reply } from "./support/cognito-replies.ts";
import { API_URL, type FakeReply, fakePasskeyApi, json } from "./support/fake-passkey-api.ts";
import { fakeWebAuthn } from "./support/fake-webauthn.ts";
import { CHALLENGE_ID, assertionWithHandle, challengeOptions, challengeReply, until } from "./support/usernameless.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
const initiations = () => cognito.commandCalls(InitiateAuthCommand).map((call) => call.args[0].input);
const responses = () => cognito.commandCalls(RespondToAuthChallengeCommand).map((call) => call.args[0].input);

/** An input as the demo's: the element's own attribute is what the browser reads. */
const field = (autocomplete: string | null) => ({ getAttribute: (name: string) => (name === "autocomplete" ? autocomplete : null) });
const USERNAME_FIELD = field("username webauthn");

function autofillWorld({ replies = [challengeReply()] as FakeReply[], webauthn = supportingBrowser() as WebAuthnCeremonies } = {}) {
  const api = fakePasskeyApi(...replies);
  const client = createPasswordlessClient({
    cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    clientId: "app-client",
    clock: () => NOW,
    webauthn,
    passkeyApiUrl: API_URL,
    fetch: api.fetch,
  });
  const signedIn: Tokens[] = [];
  const errors: unknown[] = [];
  const callbacks = { onSignedIn: (tokens: Tokens) => signedIn.push(tokens), onError: (error: unknown) => errors.push(error) };
  return { client, api, signedIn, errors, callbacks };
}

function supportingBrowser() {
  const webauthn = fakeWebAuthn({ autofill: true });
  webauthn.assertion = assertionWithHandle(INTERNAL_USERNAME);
  return webauthn;
}

describe("passkey autofill", () => {
  beforeEach(() => {
    cognito.reset();
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod()).on(RespondToAuthChallengeCommand).resolves(reply.tokens());
  });

  it("waits in a conditional request over the route's challenge, and a picked passkey signs in", async () => {
    const webauthn = supportingBrowser();
    const { client, signedIn, errors, callbacks } = autofillWorld({ webauthn });
    const autofill = client.startPasskeyAutofill(USERNAME_FIELD, callbacks);
    await until(() => webauthn.autofillPending, "the conditional request is pending");

    assert.deepEqual(webauthn.authentications, [{ optionsJSON: challengeOptions, useBrowserAutofill: true, verifyBrowserAutofillInput: false }]);
    assert.deepEqual(webauthn.authentications[0]?.optionsJSON.allowCredentials, [], "every passkey of the site is offered");
    assert.equal(initiations().length, 0, "nothing reaches Cognito while the person has not picked one");

    webauthn.pick();
    const end = await autofill.done;
    assert.equal(end.kind, "signed-in");
    assert.equal(signedIn.length, 1);
    assert.equal(signedIn[0]?.accessToken, "access-token");
    assert.deepEqual(errors, []);
    assert.deepEqual(initiations()[0]?.AuthParameters, { USERNAME: INTERNAL_USERNAME });
    assert.deepEqual(responses()[0]?.ClientMetadata, { signInMethod: "PASSKEY", passkeyChallenge: CHALLENGE_ID });
  });

  it("does nothing where the browser cannot offer passkeys in autofill, nor where the webauthn given cannot say", async () => {
    for (const webauthn of [fakeWebAuthn({ autofill: false }), fakeWebAuthn()]) {
      const { client, api, callbacks, errors } = autofillWorld({ webauthn });
      assert.deepEqual(await client.startPasskeyAutofill(USERNAME_FIELD, callbacks).done, { kind: "unsupported" });
      assert.equal(api.requests.length, 0, "no challenge is asked for");
      assert.equal(webauthn.authentications.length, 0);
      assert.deepEqual(errors, []);
    }
  });

  it("refuses, at once, an input whose autocomplete does not end with webauthn", () => {
    const { client } = autofillWorld();
    for (const autocomplete of [null, "username", "webauthn username", ""]) {
      assert.throws(() => client.startPasskeyAutofill(field(autocomplete)), /autocomplete must end with "webauthn"/);
    }
    client.startPasskeyAutofill(field(" Username  WebAuthn ")).abort();
  });

  it("abort() cancels the pending request: no callback, nothing sent to Cognito", async () => {
    const webauthn = supportingBrowser();
    const { client, signedIn, errors, callbacks } = autofillWorld({ webauthn });
    const autofill = client.startPasskeyAutofill(USERNAME_FIELD, callbacks);
    await until(() => webauthn.autofillPending, "the conditional request is pending");
    autofill.abort();
    assert.deepEqual(await autofill.done, { kind: "aborted" });
    assert.equal(webauthn.cancels, 1, "the browser's request is cancelled");
    assert.equal(webauthn.autofillPending, false);
    assert.deepEqual([signedIn, errors, initiations()], [[], [], []]);
  });

  it("ends when the app's signal aborts, even before the challenge came", async () => {
    const controller = new AbortController();
    const { client, callbacks, errors } = autofillWorld();
    const autofill = client.startPasskeyAutofill(USERNAME_FIELD, { ...callbacks, signal: controller.signal });
    controller.abort();
    assert.deepEqual(await autofill.done, { kind: "aborted" });
    assert.deepEqual(errors, []);
    const late = client.startPasskeyAutofill(USERNAME_FIELD, { signal: AbortSignal.abort() });
    assert.deepEqual(await late.done, { kind: "aborted" });
  });

  it("gives way to a modal sign-in, which then signs in with its own challenge", async () => {
    const webauthn = supportingBrowser();
    const { client, signedIn, callbacks } = autofillWorld({ webauthn, replies: [challengeReply(), challengeReply(challengeOptions, "modal-challenge")] });
    const autofill = client.startPasskeyAutofill(USERNAME_FIELD, callbacks);
    await until(() => webauthn.autofillPending, "the conditional request is pending");

    const done = await client.signInWithPasskey();
    assert.deepEqual(await autofill.done, { kind: "aborted" });
    assert.equal(done.kind, "signed-in");
    assert.equal(signedIn.length, 0, "the autofill's callback is not called for the modal's sign-in");
    assert.deepEqual(webauthn.authentications[1], { optionsJSON: challengeOptions }, "the modal prompt came after the autofill ended");
    assert.deepEqual(
      responses().map((response) => response.ClientMetadata?.["passkeyChallenge"]),
      ["modal-challenge"],
    );
  });

  it("gives way to a passkey prompt of a sign-in that starts with a username", async () => {
    const webauthn = supportingBrowser();
    const { client, callbacks } = autofillWorld({ webauthn });
    const autofill = client.startPasskeyAutofill(USERNAME_FIELD, callbacks);
    await until(() => webauthn.autofillPending, "the conditional request is pending");
    const select = await client.signIn("jane@example.com");
    await select.signInWithPasskey();
    assert.deepEqual(await autofill.done, { kind: "aborted" });
  });

  it("a second autofill ends the first", async () => {
    const webauthn = supportingBrowser();
    const { client } = autofillWorld({ webauthn, replies: [challengeReply(), challengeReply()] });
    const first = client.startPasskeyAutofill(USERNAME_FIELD);
    await until(() => webauthn.autofillPending, "the first request is pending");
    const second = client.startPasskeyAutofill(USERNAME_FIELD);
    assert.deepEqual(await first.done, { kind: "aborted" });
    await until(() => webauthn.autofillPending, "the second request is pending");
    second.abort();
    assert.deepEqual(await second.done, { kind: "aborted" });
  });

  it("calls onError with SignInFailedError when the pool refuses the picked passkey", async () => {
    cognito.on(RespondToAuthChallengeCommand).rejects(notAuthorized(INCORRECT));
    const webauthn = supportingBrowser();
    const { client, signedIn, errors, callbacks } = autofillWorld({ webauthn });
    const autofill = client.startPasskeyAutofill(USERNAME_FIELD, callbacks);
    await until(() => webauthn.autofillPending, "the conditional request is pending");
    webauthn.pick();
    const end = await autofill.done;
    assert.equal(end.kind, "failed");
    assert.equal(signedIn.length, 0);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof SignInFailedError);
  });

  it("calls onError with PasskeyChallengeUnavailableError when no challenge can be had", async () => {
    const webauthn = supportingBrowser();
    const { client, errors, callbacks } = autofillWorld({ webauthn, replies: [json(503, { message: "Service Unavailable" })] });
    const end = await client.startPasskeyAutofill(USERNAME_FIELD, callbacks).done;
    assert.equal(end.kind, "failed");
    assert.ok(errors[0] instanceof PasskeyChallengeUnavailableError);
    assert.equal(webauthn.authentications.length, 0);
  });

  describe("with the clock mocked", () => {
    beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
    afterEach(() => mock.timers.reset());

    it("renews its challenge when the options' timeout passes, so a late pick is not over an expired one", async () => {
      const webauthn = supportingBrowser();
      const renewed = { ...challengeOptions, challenge: "cmVuZXdlZC1jaGFsbGVuZ2U" };
      const { client, api, callbacks } = autofillWorld({ webauthn, replies: [challengeReply(), challengeReply(renewed, "renewed-challenge")] });
      const autofill = client.startPasskeyAutofill(USERNAME_FIELD, callbacks);
      await until(() => webauthn.autofillPending, "the first request is pending");
      mock.timers.tick(challengeOptions.timeout ?? 0);
      await until(() => webauthn.authentications.length === 2 && webauthn.autofillPending, "the renewed request is pending");
      assert.equal(api.requests.length, 2);
      assert.equal(webauthn.authentications[1]?.optionsJSON.challenge, renewed.challenge);
      webauthn.pick();
      assert.equal((await autofill.done).kind, "signed-in");
      assert.deepEqual(responses()[0]?.ClientMetadata, { signInMethod: "PASSKEY", passkeyChallenge: "renewed-challenge" });
    });

    it("ends as expired after maxRenewals renewals", async () => {
      const webauthn = supportingBrowser();
      const { client, api, errors, callbacks } = autofillWorld({ webauthn, replies: [challengeReply(), challengeReply()] });
      const autofill = client.startPasskeyAutofill(USERNAME_FIELD, { ...callbacks, maxRenewals: 1 });
      for (let request = 1; request <= 2; request++) {
        await until(() => webauthn.authentications.length === request && webauthn.autofillPending, `request ${request} is pending`);
        mock.timers.tick(challengeOptions.timeout ?? 0);
      }
      assert.deepEqual(await autofill.done, { kind: "expired" });
      assert.equal(api.requests.length, 2);
      assert.deepEqual(errors, []);
    });
  });
});
