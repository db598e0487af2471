/**
 * With a data directory the local pool keeps its users, signing key and refresh tokens across a
 * restart (`npm start -- --data DIR`), so an app signed in before the restart stays signed in and
 * the tokens it holds still verify.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AdminGetUserCommand, GetTokensFromRefreshTokenCommand } from "@aws-sdk/client-cognito-identity-provider";
import { SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("a pool with a data directory", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pool-data-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps users, the signing key and refresh tokens across a restart", async () => {
    const before = await startFakePool({ triggers: SIMPLE_FLOW, dataDir });
    let sub: string;
    let tokens;
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
      const refreshed = await after.client.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: after.pool.clientId, RefreshToken: tokens.RefreshToken! }),
      );
      assert.ok(refreshed.AuthenticationResult?.AccessToken);
      const kid = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")).kid as string;
      const jwks = (await (await fetch(after.server.jwksUri)).json()) as { keys: { kid: string }[] };
      assert.equal(jwks.keys[0]?.kid, kid(tokens.IdToken!), "the same key signs after the restart");
    } finally {
      await after.stop();
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
