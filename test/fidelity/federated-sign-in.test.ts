/**
 * Federated sign-in through the hosted UI, against the local OIDC IdP, with fake triggers. Sources:
 * - Developer guide, "Pre sign-up Lambda trigger" (PreSignUp_ExternalProvider runs on a federated
 *   user's first sign-in): https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 * - "Linking federated users to an existing user profile" (a linked identity signs in as the native user):
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation-consolidate-users.html
 * - "Authorize endpoint" and "Token endpoint" (CallbackURLs, PKCE, single-use codes, token response):
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html,
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * - "Pre token generation Lambda trigger" (TokenGeneration_HostedAuth):
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 * - Reported, not documented: the federated username's lower-cased provider prefix
 *   (aws-amplify/amplify-js#8823) and the failed first sign-in after PreSignUp links the identity
 *   ("Already found an entry for username …", aws-amplify/amplify-js#9976, aws-amplify/amplify-flutter#1716).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminCreateUserCommand, AdminGetUserCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { type LocalIdp, startLocalIdp } from "@cognito-passwordless/local/idp/local-idp.ts";
import { CookieJar, type FederatedSignInResult, federatedSignIn, redeemCode, refreshAtTokenEndpoint } from "../support/federated-sign-in.ts";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { federationWith } from "./idp-federation.ts";
import { signUp } from "./sign-in-helpers.ts";

const APP = "http://app.example.test/callback";

/**
 * PreSignUp, by the email the IdP asserts: refuse@… throws, garbled@… answers something that is not
 * an event, link@… links the identity to the native user with that email (as account-linking
 * triggers do, through the SDK, restoring the provider's real name), anyone else is let through.
 */
const PRE_SIGN_UP = `
  if (event.triggerSource !== "PreSignUp_ExternalProvider") { event.response.autoConfirmUser = true; return event; }
  const email = event.request.userAttributes.email ?? "";
  if (email.startsWith("refuse")) throw new Error("Not on the guest list");
  if (email.startsWith("garbled")) return "not an event";
  if (email.startsWith("link")) {
    const { CognitoIdentityProviderClient, ListUsersCommand, AdminLinkProviderForUserCommand } = await cognitoSdk();
    const cognito = new CognitoIdentityProviderClient({});
    const { Users = [] } = await cognito.send(new ListUsersCommand({ UserPoolId: event.userPoolId, Filter: 'email = "' + email + '"' }));
    const native = Users.find((user) => user.UserStatus !== "EXTERNAL_PROVIDER");
    await cognito.send(new AdminLinkProviderForUserCommand({
      UserPoolId: event.userPoolId,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: native.Username },
      SourceUser: { ProviderName: "LocalIdP", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: event.userName.slice("localidp_".length) },
    }));
    cognito.destroy();
  }
  return event;`;

const PRE_TOKEN_GENERATION = `
  event.response.claimsOverrideDetails = { claimsToAddOrOverride: { token_source: event.triggerSource } };
  return event;`;

function signedIn(result: FederatedSignInResult): Extract<FederatedSignInResult, { code: string }> {
  if (!("code" in result)) assert.fail(`the sign-in failed: ${result.error} ${result.errorDescription ?? ""}`);
  return result;
}

describe("federated sign-in through the hosted UI", () => {
  let idp: LocalIdp;
  let fake: FakePool;
  const target = () => ({ hostedUiUrl: fake.server.url, clientId: fake.pool.clientId });
  const verifyIdToken = async (token: string | undefined) => {
    const { payload } = await jwtVerify(String(token), createRemoteJWKSet(new URL(fake.server.jwksUri)), {
      issuer: fake.server.issuer,
      audience: fake.pool.clientId,
    });
    return payload as Record<string, unknown>;
  };
  const tokensFor = async (result: FederatedSignInResult) => {
    const { code, codeVerifier } = signedIn(result);
    const answer = await redeemCode(target(), { code, redirectUri: APP, codeVerifier });
    if (!answer.ok) assert.fail(`the token endpoint refused the code: ${answer.error}`);
    return answer.tokens;
  };
  const preSignUps = () => fake.events("PreSignUp").filter((event) => event["triggerSource"] === "PreSignUp_ExternalProvider");

  before(async () => {
    idp = await startLocalIdp({ host: "127.0.0.1", port: 0 });
    fake = await startFakePool({
      triggers: { ...SIMPLE_FLOW, PreSignUp: PRE_SIGN_UP, PreTokenGeneration: PRE_TOKEN_GENERATION },
      federation: federationWith(idp, [APP]),
    });
    await idp.allowRedirectUri(`${fake.server.url}/oauth2/idpresponse`);
  });
  after(async () => {
    await fake.stop();
    await idp.close();
  });

  it("runs PreSignUp_ExternalProvider for a new identity, with userName localidp_<sub> and the mapped attributes as strings", async () => {
    const result = await federatedSignIn(target(), {
      identity: { email: "new@example.com", emailVerified: true, name: "New Person", subject: "idp-new-1" },
      redirectUri: APP,
      state: "app-state-1",
    });
    assert.equal(signedIn(result).state, "app-state-1", "the app's state comes back with the code");
    const event = preSignUps().at(-1)!;
    assert.equal(event["userName"], "localidp_idp-new-1", "the provider name LocalIdP, lower-cased, prefixes the IdP's sub");
    assert.deepEqual(event["request"], {
      userAttributes: { email: "new@example.com", email_verified: "true", name: "New Person" },
      validationData: {},
    });
    assert.deepEqual(event["callerContext"], { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: fake.pool.clientId });
  });

  it("creates the federated user with status EXTERNAL_PROVIDER, and its tokens verify with the pool's keys and carry identities", async () => {
    const tokens = await tokensFor(
      await federatedSignIn(target(), { identity: { email: "fresh@example.com", emailVerified: false, subject: "idp-fresh" }, redirectUri: APP }),
    );
    const user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: fake.pool.userPoolId, Username: "localidp_idp-fresh" }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
    assert.equal(tokens.token_type, "Bearer");
    assert.ok(tokens.refresh_token, "a code grant comes with a refresh token");
    const claims = await verifyIdToken(tokens.id_token);
    assert.equal(claims["cognito:username"], "localidp_idp-fresh");
    assert.equal(claims["sub"], user.UserAttributes?.find((attribute) => attribute.Name === "sub")?.Value);
    assert.equal(claims["email_verified"], false, "the IdP's word, mapped");
    assert.deepEqual(
      (claims["identities"] as Record<string, unknown>[]).map(({ providerName, providerType, userId, primary }) => ({
        providerName,
        providerType,
        userId,
        primary,
      })),
      [{ providerName: "LocalIdP", providerType: "OIDC", userId: "idp-fresh", primary: "true" }],
    );
  });

  it("signs the same identity in again without PreSignUp, with the same sub and the IdP's latest attributes", async () => {
    const first = await verifyIdToken(
      (await tokensFor(await federatedSignIn(target(), { identity: { email: "again@example.com", name: "Before" }, redirectUri: APP }))).id_token,
    );
    const runs = preSignUps().length;
    const second = await verifyIdToken(
      (await tokensFor(await federatedSignIn(target(), { identity: { email: "again@example.com", name: "After" }, redirectUri: APP }))).id_token,
    );
    assert.equal(preSignUps().length, runs, "PreSignUp runs on the first sign-in only");
    assert.equal(second["sub"], first["sub"]);
    assert.equal(second["name"], "After", "mapped attributes are written on every sign-in");
  });

  it("sends the app 'PreSignUp failed with error …' when PreSignUp throws, and creates nobody", async () => {
    const result = await federatedSignIn(target(), { identity: { email: "refuse@example.com", subject: "idp-refused" }, redirectUri: APP, state: "s-refused" });
    assert.deepEqual(result, {
      error: "invalid_request",
      errorDescription: "PreSignUp failed with error Not on the guest list.",
      state: "s-refused",
      sawIdpForm: true,
    });
    await assert.rejects(fake.client.send(new AdminGetUserCommand({ UserPoolId: fake.pool.userPoolId, Username: "localidp_idp-refused" })), {
      name: "UserNotFoundException",
    });
  });

  it("sends the app an error, not a 500 page, when PreSignUp answers something unreadable", async () => {
    const result = await federatedSignIn(target(), { identity: { email: "garbled@example.com" }, redirectUri: APP });
    assert.ok("error" in result);
    assert.equal(result.error, "invalid_request");
    assert.equal(result.errorDescription, "Unrecognizable lambda output");
  });

  it("sends the app an error, not a 500 page, when PreSignUp overruns its time (Cognito's 5 seconds, shortened here)", async () => {
    const slow = await startFakePool({
      triggers: { PreSignUp: "await new Promise((done) => setTimeout(done, 2000)); return event;" },
      federation: federationWith(idp, [APP]),
      timeoutMs: 300,
    });
    try {
      await idp.allowRedirectUri(`${slow.server.url}/oauth2/idpresponse`);
      const result = await federatedSignIn(
        { hostedUiUrl: slow.server.url, clientId: slow.pool.clientId },
        { identity: { email: "slow@example.com" }, redirectUri: APP },
      );
      assert.deepEqual("error" in result && [result.error, result.errorDescription], [
        "invalid_request",
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
      ]);
    } finally {
      await slow.stop();
    }
  });

  it("fails the first sign-in with 'Already found an entry' when PreSignUp links it, then the IdP session lands in the native user", async () => {
    const nativeSub = await signUp(fake.client, fake.pool.clientId, "link@example.com");
    const jar = new CookieJar();
    const first = await federatedSignIn(target(), { identity: { email: "link@example.com", emailVerified: true, subject: "idp-link" }, redirectUri: APP, jar });
    assert.ok("error" in first);
    assert.equal(first.error, "invalid_request");
    assert.equal(first.errorDescription, "Already found an entry for username localidp_idp-link");

    const second = await federatedSignIn(target(), { identity: {}, redirectUri: APP, jar });
    assert.equal(signedIn(second).sawIdpForm, false, "the IdP's session answers at once, without its form");
    const claims = await verifyIdToken((await tokensFor(second)).id_token);
    assert.equal(claims["sub"], nativeSub, "one sub whatever the sign-in method");
    assert.equal(claims["cognito:username"], nativeSub, "the native user's username (a UUID in this alias pool)");
    assert.deepEqual(
      (claims["identities"] as Record<string, unknown>[]).map(({ providerName, userId, primary }) => ({ providerName, userId, primary })),
      [{ providerName: "LocalIdP", userId: "idp-link", primary: "false" }],
    );
  });

  it("lets AdminCreateUser take a federated user's email, since federated attributes are no sign-in aliases; ListUsers shows both", async () => {
    signedIn(await federatedSignIn(target(), { identity: { email: "shared@example.com", emailVerified: true, subject: "idp-shared" }, redirectUri: APP }));
    await fake.client.send(new AdminCreateUserCommand({ UserPoolId: fake.pool.userPoolId, Username: "shared@example.com", MessageAction: "SUPPRESS" }));
    const listed = await fake.client.send(new ListUsersCommand({ UserPoolId: fake.pool.userPoolId, Filter: 'email = "shared@example.com"' }));
    assert.deepEqual(listed.Users?.map((user) => user.UserStatus).sort(), ["EXTERNAL_PROVIDER", "FORCE_CHANGE_PASSWORD"]);
    const federated = listed.Users?.find((user) => user.UserStatus === "EXTERNAL_PROVIDER");
    assert.match(String(federated?.Attributes?.find((attribute) => attribute.Name === "identities")?.Value), /"providerName":"LocalIdP"/);
  });

  it("refuses a redirect_uri that is not one of the callback URLs with an error page, never a redirect", async () => {
    const authorize = new URL(`${fake.server.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: fake.pool.clientId,
      redirect_uri: "https://attacker.example/steal",
      identity_provider: "LocalIdP",
    }).toString();
    const response = await fetch(authorize, { redirect: "manual" });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("location"), null);
    assert.match(await response.text(), /redirect_mismatch/);
  });

  it("refuses a code redeemed with the wrong PKCE verifier, and a code that was already redeemed", async () => {
    const wrong = signedIn(await federatedSignIn(target(), { identity: { email: "pkce@example.com" }, redirectUri: APP }));
    assert.deepEqual(await redeemCode(target(), { code: wrong.code, redirectUri: APP, codeVerifier: "a".repeat(43) }), {
      ok: false,
      status: 400,
      error: "invalid_grant",
    });
    const right = signedIn(await federatedSignIn(target(), { identity: { email: "pkce@example.com" }, redirectUri: APP }));
    assert.equal((await redeemCode(target(), { code: right.code, redirectUri: APP, codeVerifier: right.codeVerifier })).ok, true);
    assert.deepEqual(await redeemCode(target(), { code: right.code, redirectUri: APP, codeVerifier: right.codeVerifier }), {
      ok: false,
      status: 400,
      error: "invalid_grant",
    });
  });

  it("runs PreTokenGeneration with TokenGeneration_HostedAuth at the token endpoint, and TokenGeneration_RefreshTokens on refresh", async () => {
    const tokens = await tokensFor(await federatedSignIn(target(), { identity: { email: "hosted@example.com" }, redirectUri: APP }));
    assert.equal((await verifyIdToken(tokens.id_token))["token_source"], "TokenGeneration_HostedAuth");
    assert.equal(fake.events("PreTokenGeneration").at(-1)!["triggerSource"], "TokenGeneration_HostedAuth");
    const refreshed = await refreshAtTokenEndpoint(target(), String(tokens.refresh_token));
    assert.ok(refreshed.ok);
    assert.equal(refreshed.tokens.refresh_token, undefined, "a refresh returns no new refresh token");
    assert.equal((await verifyIdToken(refreshed.tokens.id_token))["token_source"], "TokenGeneration_RefreshTokens");
  });
});
