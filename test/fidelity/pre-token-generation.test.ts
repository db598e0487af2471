/**
 * Pre token generation, applied as Cognito applies it. Developer guide, "Pre token generation
 * Lambda trigger" (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html):
 * V1 events customize the ID token with string claims; V2 events customize both tokens and scopes;
 * a claim both suppressed and overridden is suppressed; the claims Cognito sets itself (acr, amr,
 * aud, at_hash, auth_time, azp, cognito:username, exp, iat, identities, iss, jti, nbf, nonce,
 * origin_jti, sub, token_use, and in the access token client_id, scope, username) cannot be added,
 * changed or suppressed — the local pool leaves them as it issued them.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, claimsOf, signUp, startSignIn } from "./sign-in-helpers.ts";

async function signIn(fake: FakePool, email: string, clientMetadata?: Record<string, string>) {
  const started = await startSignIn(fake.client, fake.pool.clientId, email);
  const done = await answer(fake.client, fake.pool.clientId, started.Session, email, "42", clientMetadata);
  return done.AuthenticationResult!;
}

describe("pre token generation V1 (ID token, string claims)", () => {
  let fake: FakePool;
  let sub: string;
  before(async () => {
    fake = await startFakePool({
      pool: { preTokenGenerationVersion: "1" },
      triggers: {
        ...SIMPLE_FLOW,
        PreTokenGeneration: `
          event.response.claimsOverrideDetails = {
            claimsToAddOrOverride: {
              auth_methods: "email_otp", auth_level: "urn:cognito:loa:2",
              amr: "swk", acr: "3", sub: "someone-else", iss: "https://evil.example", aud: "other-client",
              "cognito:username": "mallory", token_use: "access", auth_time: "0", identities: "[]", origin_jti: "x",
              dropped: "suppressed wins",
            },
            claimsToSuppress: ["email", "sub", "dropped"],
          };
          return event;`,
      },
    });
    sub = await signUp(fake.client, fake.pool.clientId, "v1@example.com");
  });
  after(() => fake.stop());

  it("adds ordinary claims and suppresses ordinary claims in the ID token", async () => {
    const tokens = await signIn(fake, "v1@example.com");
    const id = claimsOf(tokens.IdToken);
    assert.equal(id["auth_methods"], "email_otp");
    assert.equal(id["auth_level"], "urn:cognito:loa:2");
    assert.equal("email" in id, false, "email was suppressed");
    assert.equal("dropped" in id, false, "a claim both suppressed and overridden is suppressed");
  });

  it("leaves reserved claims exactly as Cognito issues them", async () => {
    const tokens = await signIn(fake, "v1@example.com");
    const id = claimsOf(tokens.IdToken);
    assert.equal(id["sub"], sub);
    assert.equal(id["iss"], fake.server.issuer);
    assert.equal(id["aud"], fake.pool.clientId);
    assert.equal(id["cognito:username"], sub);
    assert.equal(id["token_use"], "id");
    assert.equal(typeof id["auth_time"], "number");
    assert.notEqual(id["origin_jti"], "x");
    assert.equal("amr" in id, false);
    assert.equal("acr" in id, false);
    assert.equal("identities" in id, false);
  });

  it("sends the V1 event shape: version 1, claimsOverrideDetails null, no scopes", async () => {
    await signIn(fake, "v1@example.com", { app: "web" });
    const event = fake.events("PreTokenGeneration").at(-1)!;
    assert.equal(event["version"], "1");
    assert.equal(event["triggerSource"], "TokenGeneration_Authentication");
    assert.deepEqual(event["response"], { claimsOverrideDetails: null });
    assert.equal("scopes" in event["request"], false);
    assert.deepEqual(event["request"].groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });
    assert.equal(event["request"].userAttributes.email, "v1@example.com");
    assert.equal(event["request"].userAttributes.email_verified, "false");
    assert.deepEqual(event["request"].clientMetadata, { app: "web" });
  });

  it("leaves the access token alone", async () => {
    const access = claimsOf((await signIn(fake, "v1@example.com")).AccessToken);
    assert.equal("auth_methods" in access, false);
  });
});

describe("pre token generation V1 with a non-string claim", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({
      pool: { preTokenGenerationVersion: "1" },
      triggers: {
        ...SIMPLE_FLOW,
        PreTokenGeneration: `event.response.claimsOverrideDetails = { claimsToAddOrOverride: { level: 2 } }; return event;`,
      },
    });
    await signUp(fake.client, fake.pool.clientId, "number@example.com");
  });
  after(() => fake.stop());

  it("is refused as unrecognizable output: V1 takes string claims only", async () => {
    await assert.rejects(signIn(fake, "number@example.com"), { name: "InvalidLambdaResponseException" });
  });
});

describe("pre token generation V2 (both tokens, scopes)", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({
      pool: { preTokenGenerationVersion: "2" },
      triggers: {
        ...SIMPLE_FLOW,
        PreTokenGeneration: `
          event.response.claimsAndScopeOverrideDetails = {
            idTokenGeneration: { claimsToAddOrOverride: { auth_methods: "email_otp", roles: ["reader"] } },
            accessTokenGeneration: {
              claimsToAddOrOverride: { auth_level: "urn:cognito:loa:2", amr: ["pwd"], username: "mallory", client_id: "other", scope: "admin" },
              scopesToAdd: ["orders/read"],
            },
          };
          return event;`,
      },
    });
    await signUp(fake.client, fake.pool.clientId, "v2@example.com");
  });
  after(() => fake.stop());

  it("adds claims of any JSON type to both tokens and scopes to the access token, reserved claims untouched", async () => {
    const tokens = await signIn(fake, "v2@example.com");
    const id = claimsOf(tokens.IdToken);
    const access = claimsOf(tokens.AccessToken);
    assert.equal(id["auth_methods"], "email_otp");
    assert.deepEqual(id["roles"], ["reader"]);
    assert.equal(access["auth_level"], "urn:cognito:loa:2");
    assert.equal("amr" in access, false);
    assert.equal(access["username"], id["cognito:username"]);
    assert.equal(access["client_id"], fake.pool.clientId);
    assert.equal(access["scope"], "aws.cognito.signin.user.admin orders/read");
  });

  it("sends the V2 event shape: version 2, the scopes, claimsAndScopeOverrideDetails null", async () => {
    await signIn(fake, "v2@example.com");
    const event = fake.events("PreTokenGeneration").at(-1)!;
    assert.equal(event["version"], "2");
    assert.deepEqual(event["request"].scopes, ["aws.cognito.signin.user.admin"]);
    assert.deepEqual(event["response"], { claimsAndScopeOverrideDetails: null });
  });

  it("runs TokenGeneration_RefreshTokens on refresh: InitiateAuth's ClientMetadata stays out, GetTokensFromRefreshToken's goes in", async () => {
    const tokens = await signIn(fake, "v2@example.com");
    await fake.client.send(
      new InitiateAuthCommand({
        ClientId: fake.pool.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        ClientMetadata: { from: "initiate" },
      }),
    );
    let event = fake.events("PreTokenGeneration").at(-1)!;
    assert.equal(event["triggerSource"], "TokenGeneration_RefreshTokens");
    assert.equal("clientMetadata" in event["request"], false);

    await fake.client.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: fake.pool.clientId, RefreshToken: tokens.RefreshToken!, ClientMetadata: { from: "refresh" } }),
    );
    event = fake.events("PreTokenGeneration").at(-1)!;
    assert.equal(event["triggerSource"], "TokenGeneration_RefreshTokens");
    assert.deepEqual(event["request"].clientMetadata, { from: "refresh" });
  });
});
