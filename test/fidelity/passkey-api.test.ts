/**
 * The passkey API through the whole local stack, as `npm start` wires it: template.yaml's HttpApi
 * in front of the real built function (dist/passkeys-api), its JWT authorizer on the local pool,
 * and /config.json naming the API's base URL. The authorizer's and the event's own fidelity is
 * pinned with a fixture in http-api.test.ts; this is the real template and the real function.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import { type SignInDriver, signInDriver } from "../support/attack-sign-in.ts";
import { type LocalStack, startTestStack } from "../support/local-stack.ts";

describe("the passkey API in the local stack", () => {
  let stack: LocalStack;
  let driver: SignInDriver;

  before(async () => {
    stack = await startTestStack();
    driver = signInDriver(stack);
  });
  after(async () => {
    driver?.destroy();
    await stack?.stop();
  });

  /** A real sign-in with an emailed code: the tokens the demo page would hold. */
  const signIn = async (email: string) => {
    await driver.signUp(email);
    const codeRound = await driver.codeRound(email, "EMAIL_OTP");
    const signedIn = await driver.answer(codeRound, email, driver.latestCode(email));
    const result = signedIn.AuthenticationResult;
    assert.ok(result?.AccessToken !== undefined && result.IdToken !== undefined, "the code completes the sign-in");
    return { accessToken: result.AccessToken, idToken: result.IdToken };
  };
  const list = (headers: Record<string, string> = {}) => fetch(`${stack.passkeyApiUrl}${PASSKEY_API_ROUTES.list.path}`, { headers });

  it("/config.json names the API's base URL, without a trailing slash", async () => {
    const config = (await (await fetch(`${stack.webUrl}/config.json`)).json()) as { passkeyApiUrl?: string };
    assert.equal(config.passkeyApiUrl, stack.passkeyApiUrl);
    assert.match(stack.passkeyApiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("GET /passkeys with the access token of a fresh sign-in lists no passkeys", async () => {
    const { accessToken } = await signIn("lists-none@example.com");
    const response = await list({ authorization: `Bearer ${accessToken}` });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { passkeys: [] });
  });

  it("GET /passkeys without a token is the authorizer's 401; with the ID token, the function's", async () => {
    const { idToken } = await signIn("wrong-token@example.com");
    const none = await list();
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { message: "Unauthorized" });
    const withIdToken = await list({ authorization: `Bearer ${idToken}` });
    assert.equal(withIdToken.status, 401);
    assert.equal(((await withIdToken.json()) as { error?: string }).error, "unauthorized");
  });

  it("answers the demo page's preflight, and no other origin's", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.passkeyApiUrl}/passkeys/some-id`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "PATCH" } });
    const demo = await preflight(stack.demoUrl);
    assert.equal(demo.status, 204);
    assert.equal(demo.headers.get("access-control-allow-origin"), stack.demoUrl);
    const evil = await preflight("https://evil.example");
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
  });
});
