/**
 * The tokens the local pool issues, how they refresh and how they are revoked.
 * Developer guide: "Understanding the identity (ID) token", "Understanding the access token",
 * "Refresh tokens" and "Revoking tokens"
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html); API reference for
 * GetUser, GlobalSignOut, RevokeToken, GetTokensFromRefreshToken.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { tokenVerifiers } from "../support/local-stack.ts";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, claimsOf, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("tokens", () => {
  let fake: FakePool;
  let sub: string;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW });
    sub = await signUp(fake.client, fake.pool.clientId, "lin@example.com");
  });
  after(() => fake.stop());

  const signIn = async () => {
    const started = await startSignIn(fake.client, fake.pool.clientId, "lin@example.com");
    return (await answer(fake.client, fake.pool.clientId, started.Session, "lin@example.com", "42")).AuthenticationResult!;
  };
  const config = () => ({
    region: fake.pool.region,
    userPoolId: fake.pool.userPoolId,
    clientId: fake.pool.clientId,
    cognitoEndpoint: fake.server.url,
    issuer: fake.server.issuer,
    jwksUri: fake.server.jwksUri,
  });

  it("issues RS256 tokens with a kid that the published JWKS verifies", async () => {
    const tokens = await signIn();
    const header = JSON.parse(Buffer.from(tokens.IdToken!.split(".")[0]!, "base64url").toString("utf8"));
    assert.equal(header.alg, "RS256");
    const jwks = (await (await fetch(fake.server.jwksUri)).json()) as { keys: { kid: string }[] };
    assert.equal(jwks.keys[0]?.kid, header.kid);
    const verifiers = tokenVerifiers(config());
    await verifiers.id.verify(tokens.IdToken!);
    await verifiers.access.verify(tokens.AccessToken!);
  });

  it("puts Cognito's claims in the ID token, with the verified flags as booleans", async () => {
    const id = claimsOf((await signIn()).IdToken);
    assert.equal(id["sub"], sub);
    assert.equal(id["iss"], `${fake.server.url}/${fake.pool.userPoolId}`);
    assert.equal(id["aud"], fake.pool.clientId);
    assert.equal(id["token_use"], "id");
    assert.equal(id["cognito:username"], sub);
    assert.equal(id["email"], "lin@example.com");
    assert.equal(id["email_verified"], false);
    assert.equal(Number(id["exp"]) - Number(id["iat"]), 3600);
    for (const claim of ["auth_time", "jti", "origin_jti"]) assert.ok(claim in id, claim);
  });

  it("puts Cognito's claims in the access token", async () => {
    const access = claimsOf((await signIn()).AccessToken);
    assert.deepEqual(
      Object.keys(access).sort(),
      ["auth_time", "client_id", "exp", "iat", "iss", "jti", "origin_jti", "scope", "sub", "token_use", "username"].sort(),
    );
    assert.equal(access["scope"], "aws.cognito.signin.user.admin");
    assert.equal(access["username"], sub);
  });

  it("refreshes without a new refresh token, keeping auth_time and origin_jti", async () => {
    const tokens = await signIn();
    const refreshed = await fake.client.send(
      new InitiateAuthCommand({ ClientId: fake.pool.clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
    );
    assert.equal(refreshed.AuthenticationResult?.RefreshToken, undefined);
    const before = claimsOf(tokens.IdToken);
    const after = claimsOf(refreshed.AuthenticationResult?.IdToken);
    assert.equal(after["auth_time"], before["auth_time"]);
    assert.equal(after["origin_jti"], before["origin_jti"]);
    assert.notEqual(after["jti"], before["jti"]);
  });

  it('refuses a refresh token it never issued: "Invalid Refresh Token"', async () => {
    await assert.rejects(fake.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: fake.pool.clientId, RefreshToken: "not-a-token" })), {
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token",
    });
  });

  it("revokes a refresh token and the access tokens issued from it", async () => {
    const tokens = await signIn();
    await fake.client.send(new RevokeTokenCommand({ ClientId: fake.pool.clientId, Token: tokens.RefreshToken! }));
    await assert.rejects(fake.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: fake.pool.clientId, RefreshToken: tokens.RefreshToken! })), {
      name: "NotAuthorizedException",
      message: "Refresh Token has been revoked",
    });
    await assert.rejects(fake.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), {
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
  });

  it("signs the user out everywhere with GlobalSignOut, and a later sign-in works", async () => {
    const first = await signIn();
    const second = await signIn();
    const me = await fake.client.send(new GetUserCommand({ AccessToken: first.AccessToken! }));
    assert.equal(me.Username, sub);
    await fake.client.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! }));
    await assert.rejects(fake.client.send(new GetUserCommand({ AccessToken: second.AccessToken! })), { name: "NotAuthorizedException" });
    await assert.rejects(fake.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: fake.pool.clientId, RefreshToken: second.RefreshToken! })), {
      name: "NotAuthorizedException",
    });
    const third = await signIn();
    assert.equal((await fake.client.send(new GetUserCommand({ AccessToken: third.AccessToken! }))).Username, sub);
  });

  it('refuses an access token after it expires: "Access Token has expired"', async () => {
    const tokens = await signIn();
    fake.advance(3601_000);
    await assert.rejects(fake.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), {
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
  });
});
