/**
 * The package as an app installs it: the two entry points of package.json resolve to the built
 * dist/ (npm test builds first), share their error classes, and the default passkey ceremonies
 * (@simplewebauthn/browser, imported on first use) fail in Node as a typed error, not on import.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { reply } from "./support/cognito-replies.ts";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as Record<string, unknown>;

describe("the published package", () => {
  it("exports . and ./amplify, each with types and an ES module in dist/", () => {
    assert.deepEqual(manifest["exports"], {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./amplify": { types: "./dist/amplify.d.ts", default: "./dist/amplify.js" },
    });
    assert.equal(manifest["type"], "module");
    assert.deepEqual(manifest["files"], ["dist"]);
    assert.equal(manifest["sideEffects"], false);
  });

  it("depends only on the protocol and SimpleWebAuthn's browser package; the SDK and Amplify are the app's", () => {
    assert.deepEqual(Object.keys(manifest["dependencies"] as object).sort(), ["@cognito-passwordless/protocol", "@simplewebauthn/browser"]);
    assert.deepEqual(Object.keys(manifest["peerDependencies"] as object).sort(), ["@aws-sdk/client-cognito-identity-provider", "aws-amplify"]);
    assert.deepEqual(manifest["peerDependenciesMeta"], { "aws-amplify": { optional: true } });
  });

  it("resolves both entries by name to the same error classes", async () => {
    const main = await import("@cognito-passwordless/client");
    const amplify = await import("@cognito-passwordless/client/amplify");
    assert.equal(typeof main.createPasswordlessClient, "function");
    assert.equal(typeof amplify.createAmplifyPasswordlessClient, "function");
    assert.equal(main.WrongCodeError, amplify.WrongCodeError, "one class, whichever entry the app imports it from");
    assert.equal(main.PasswordlessError, amplify.PasswordlessError);
    assert.equal(typeof main.createPasskeyManager, "function");
    assert.equal(typeof amplify.createAmplifyPasskeyManager, "function");
    assert.equal(main.ReauthenticationRequiredError, amplify.ReauthenticationRequiredError, "the passkey manager's errors too");
    assert.equal(main.PasskeyAbortedError, amplify.PasskeyAbortedError, "and those of a sign-in without a username");
  });

  it("runs a code-only sign-in in Node, and a passkey without a browser fails as PasskeyFailedError", async () => {
    const { PasskeyFailedError, createPasswordlessClient } = await import("@cognito-passwordless/client");
    const cognito = mockClient(CognitoIdentityProviderClient);
    try {
      cognito.on(InitiateAuthCommand).resolves(reply.selectMethod()).on(RespondToAuthChallengeCommand).resolves(reply.code());
      const client = createPasswordlessClient({ cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }), clientId: "app-client" });
      const round = await client.signIn("jane@example.com");
      assert.equal((await round.chooseCode("EMAIL_OTP")).kind, "code");
      await assert.rejects(round.signInWithPasskey(), (error: unknown) => error instanceof PasskeyFailedError && /not supported/.test(error.message));
    } finally {
      cognito.restore();
    }
  });
});
