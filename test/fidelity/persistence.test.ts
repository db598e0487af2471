/**
 * With a data directory the local pool keeps its users, signing key and refresh tokens across a
 * restart (`npm start -- --data DIR`), so an app signed in before the restart stays signed in and
 * the tokens it holds still verify. Federated users are users like the others: the same IdP
 * identity finds the same user after a restart.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AdminGetUserCommand, GetTokensFromRefreshTokenCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startLocalIdp } from "@cognito-passwordless/local/idp/local-idp.ts";
import { federatedSignIn, redeemCode } from "../support/federated-sign-in.ts";
import { SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { federationWith } from "./idp-federation.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("a pool with a data directory", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pool-data-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps users, the signing key and refresh tokens across a restart", async () => {
    const before = await startFakePool({ triggers: SIMPLE_FLOW, dataDir });
    let sub: string;
    let tokens: NonNullable<Awaited<ReturnType<typeof answer>>["AuthenticationResult"]>;
    try {
      sub = await signUp(before.client, before.pool.clientId, "kept@example.com");
      const started = await startSignIn(before.client, before.pool.clientId, "kept@example.com");
      tokens = (await answer(before.client, before.pool.clientId, started.Session, "kept@example.com", "42")).AuthenticationResult!;
    } finally {
      await before.stop();
    }

    const after = await startFakePool({ triggers: SIMPLE_FLOW, dataDir });
    try {
      const user = await after.client.send(new AdminGetUserCommand({ UserPoolId: after.pool.userPoolId, Username: "kept@example.com" }));
      assert.equal(user.Username, sub);
      const refreshed = await after.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: after.pool.clientId, RefreshToken: tokens.RefreshToken! }));
      assert.ok(refreshed.AuthenticationResult?.AccessToken);
      const kid = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")).kid as string;
      const jwks = (await (await fetch(after.server.jwksUri)).json()) as { keys: { kid: string }[] };
      assert.equal(jwks.keys[0]?.kid, kid(tokens.IdToken!), "the same key signs after the restart");
    } finally {
      await after.stop();
    }
  });

  it("keeps federated users: after a restart the same IdP identity signs in as the same user, without PreSignUp", async () => {
    const app = "http://app.example.test/callback";
    const idp = await startLocalIdp({ host: "127.0.0.1", port: 0 });
    const signIn = async () => {
      const pool = await startFakePool({ triggers: SIMPLE_FLOW, dataDir: join(dataDir, "federated"), federation: federationWith(idp, [app]) });
      try {
        await idp.allowRedirectUri(`${pool.server.url}/oauth2/idpresponse`);
        const result = await federatedSignIn(
          { hostedUiUrl: pool.server.url, clientId: pool.pool.clientId },
          { identity: { email: "fed@example.com" }, redirectUri: app },
        );
        assert.ok("code" in result, JSON.stringify(result));
        const answer = await redeemCode(
          { hostedUiUrl: pool.server.url, clientId: pool.pool.clientId },
          { code: result.code, redirectUri: app, codeVerifier: result.codeVerifier },
        );
        assert.ok(answer.ok);
        return {
          sub: JSON.parse(Buffer.from(String(answer.tokens.id_token).split(".")[1]!, "base64url").toString("utf8")).sub as string,
          preSignUps: pool.events("PreSignUp").length,
        };
      } finally {
        await pool.stop();
      }
    };
    try {
      const before = await signIn();
      const after = await signIn();
      assert.equal(before.preSignUps, 1);
      assert.equal(after.preSignUps, 0, "the federated user was found, not made again");
      assert.equal(after.sub, before.sub);
    } finally {
      await idp.close();
    }
  });

  it("starts empty without one", async () => {
    const fresh = await startFakePool({ triggers: SIMPLE_FLOW });
    try {
      await assert.rejects(fresh.client.send(new AdminGetUserCommand({ UserPoolId: fresh.pool.userPoolId, Username: "kept@example.com" })), {
        name: "UserNotFoundException",
      });
    } finally {
      await fresh.stop();
    }
  });
});
