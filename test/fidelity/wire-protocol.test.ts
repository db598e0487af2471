/**
 * The wire protocol of the Cognito user pools API: AWS JSON 1.1 (`POST /`,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, errors as HTTP 400 with `__type`
 * and `message`), CORS for browser apps, and the pool's JWKS at `<issuer>/.well-known/jwks.json`.
 * API reference, "Common Errors" (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html);
 * developer guide, "Verifying a JSON Web Token" (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";

describe("wire protocol", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW });
  });
  after(() => fake.stop());

  const call = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${fake.server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`, ...headers },
      body: JSON.stringify(body),
    });

  it("answers an error with HTTP 400, __type and message", async () => {
    const response = await call("InitiateAuth", { ClientId: "nope", AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "a@example.com" } });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("content-type"), "application/x-amz-json-1.1");
    assert.deepEqual(await response.json(), { __type: "ResourceNotFoundException", message: "User pool client nope does not exist." });
  });

  it("answers an operation it does not know with UnknownOperationException", async () => {
    const response = await call("DeleteUserPool", {});
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { __type: string }).__type, "UnknownOperationException");
  });

  it("refuses an auth flow the app client does not allow", async () => {
    const response = await call("InitiateAuth", { ClientId: fake.pool.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {} });
    assert.equal(((await response.json()) as { __type: string }).__type, "InvalidParameterException");
  });

  it("answers a CORS preflight from any origin, allowing the SDK's headers", async () => {
    const response = await fetch(`${fake.server.url}/`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request",
      },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.match(response.headers.get("access-control-allow-methods") ?? "", /POST/);
    const allowed = response.headers.get("access-control-allow-headers") ?? "";
    for (const header of ["x-amz-target", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request"]) assert.match(allowed, new RegExp(header));
  });

  it("lets a page read the answer of a cross-origin call", async () => {
    const response = await call("SignUp", { ClientId: fake.pool.clientId, Username: "cors@example.com", Password: "x" }, { origin: "http://localhost:5173" });
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
  });

  it("publishes the signing key at <issuer>/.well-known/jwks.json", async () => {
    assert.equal(fake.server.jwksUri, `${fake.server.issuer}/.well-known/jwks.json`);
    const response = await fetch(fake.server.jwksUri);
    assert.equal(response.status, 200);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.["kty"], "RSA");
    assert.equal(keys[0]?.["alg"], "RS256");
    assert.equal(keys[0]?.["use"], "sig");
    assert.ok(keys[0]?.["kid"] && keys[0]["n"] && keys[0]["e"]);
  });
});
