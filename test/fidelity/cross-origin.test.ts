/**
 * Which browser origins the local Cognito endpoint answers. Cognito serves its public operations
 * (the ones an app calls from the browser with no AWS credentials: InitiateAuth,
 * RespondToAuthChallenge, SignUp, GetUser, …) and the hosted UI's token endpoint to any origin.
 * The admin operations (every Admin* and ListUsers) need SigV4, which a page on another site cannot
 * produce; the local endpoint has no IAM and accepts any signature, so it refuses them instead when
 * a browser sends them from anywhere but the demo page's own origin, before doing anything.
 * Calls without an Origin (the SDK from Node, the triggers) are not browsers and work as before.
 * Through the whole local stack, so the demo page's origins reach the endpoint as `npm start` wires them.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminCreateUserCommand, AdminGetUserCommand, type CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { type LocalStack, cognitoClient, startTestStack } from "../support/local-stack.ts";

const EVIL = "https://evil.example";

describe("the local Cognito endpoint across origins", () => {
  let stack: LocalStack;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  /** The demo page's origins: the web server's own URL (127.0.0.1) and its localhost alias. */
  let demoOrigins: string[];
  const username = "cors-victim@example.com";

  before(async () => {
    stack = await startTestStack();
    client = cognitoClient(stack.config);
    poolId = stack.config.userPoolId;
    demoOrigins = [stack.webUrl, stack.demoUrl];
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: username },
          { Name: "name", Value: "Original Name" },
        ],
      }),
    );
  });
  after(async () => {
    client?.destroy();
    await stack?.stop();
  });

  const call = (operation: string, body: unknown, origin?: string) =>
    fetch(`${stack.cognitoEndpoint}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        ...(origin === undefined ? {} : { origin }),
      },
      body: JSON.stringify(body),
    });

  const attributesOf = async (name: string) => {
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
    return Object.fromEntries((user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value]));
  };
  const userCount = async () => (await client.send(new ListUsersCommand({ UserPoolId: poolId }))).Users?.length ?? 0;

  /** Every call an admin page could make, with a body that would succeed. */
  const adminCalls = (): [string, Record<string, unknown>][] => [
    ["AdminGetUser", { UserPoolId: poolId, Username: username }],
    ["ListUsers", { UserPoolId: poolId }],
    [
      "AdminUpdateUserAttributes",
      {
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [
          { Name: "name", Value: "Pwned" },
          { Name: "email", Value: "attacker@evil.example" },
        ],
      },
    ],
    ["AdminDeleteUserAttributes", { UserPoolId: poolId, Username: username, UserAttributeNames: ["name"] }],
    ["AdminCreateUser", { UserPoolId: poolId, Username: "planted@evil.example", MessageAction: "SUPPRESS" }],
    ["AdminDeleteUser", { UserPoolId: poolId, Username: username }],
  ];

  describe("an admin operation sent by a page from another origin", () => {
    it("is refused with 403 AccessDeniedException and no CORS answer", async () => {
      for (const [operation, body] of adminCalls()) {
        const response = await call(operation, body, EVIL);
        assert.equal(response.status, 403, operation);
        assert.equal(response.headers.get("access-control-allow-origin"), null, operation);
        const error = (await response.json()) as { __type: string; message: string };
        assert.equal(error.__type, "AccessDeniedException", operation);
        assert.equal(typeof error.message, "string");
        assert.doesNotMatch(JSON.stringify(error), /cors-victim/, `${operation} leaks nothing about the user`);
      }
    });

    it("changes nothing: the user is as it was, and no user was created or deleted", async () => {
      const countBefore = await userCount();
      for (const [operation, body] of adminCalls()) await (await call(operation, body, EVIL)).body?.cancel();
      const attributes = await attributesOf(username);
      assert.equal(attributes["name"], "Original Name");
      assert.equal(attributes["email"], username);
      assert.equal(await userCount(), countBefore);
      await assert.rejects(client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "planted@evil.example" })), { name: "UserNotFoundException" });
    });

    it("is refused from every origin but the demo page's: another local port, the endpoint's own, null", async () => {
      const webPort = Number(new URL(stack.webUrl).port);
      for (const origin of ["http://localhost:5173", `http://localhost:${webPort + 1}`, stack.cognitoEndpoint, "null"]) {
        const response = await call(
          "AdminUpdateUserAttributes",
          { UserPoolId: poolId, Username: username, UserAttributes: [{ Name: "name", Value: "Pwned" }] },
          origin,
        );
        assert.equal(response.status, 403, origin);
        await response.body?.cancel();
      }
      assert.equal((await attributesOf(username))["name"], "Original Name");
    });

    it("runs nothing for an operation the endpoint does not know, whoever asks", async () => {
      const response = await call("AdminSetUserPassword", { UserPoolId: poolId, Username: username, Password: "x", Permanent: true }, EVIL);
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { __type: string }).__type, "UnknownOperationException");
      const inherited = await call("constructor", { UserPoolId: poolId }, EVIL);
      assert.equal(((await inherited.json()) as { __type: string }).__type, "UnknownOperationException", "only the endpoint's own operations run");
    });
  });

  it("answers the admin operations to the demo page's origin, under either name, with CORS for that origin", async () => {
    for (const origin of demoOrigins) {
      const response = await call("AdminGetUser", { UserPoolId: poolId, Username: username }, origin);
      assert.equal(response.status, 200, origin);
      assert.equal(response.headers.get("access-control-allow-origin"), origin);
      assert.match(response.headers.get("vary") ?? "", /origin/i);
      assert.equal(((await response.json()) as { Username: string }).Username.length > 0, true);
      const list = await call("ListUsers", { UserPoolId: poolId }, origin);
      assert.equal(list.status, 200);
      assert.equal(list.headers.get("access-control-allow-origin"), origin);
      await list.body?.cancel();
    }
  });

  it("answers the admin operations without an Origin (the SDK from Node) as before", async () => {
    const response = await call("AdminGetUser", { UserPoolId: poolId, Username: username });
    assert.equal(response.status, 200);
    assert.equal(
      ((await response.json()) as { UserAttributes: { Name: string; Value: string }[] }).UserAttributes.find((a) => a.Name === "name")?.Value,
      "Original Name",
    );
    assert.equal((await attributesOf(username))["name"], "Original Name");
  });

  describe("the public operations, as Cognito serves them", () => {
    it("answer InitiateAuth from any origin, readable there", async () => {
      const response = await call("InitiateAuth", { ClientId: stack.config.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username } }, EVIL);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.equal(((await response.json()) as { ChallengeName: string }).ChallengeName, "CUSTOM_CHALLENGE");
    });

    it("answer the other public operations from any origin too, errors included", async () => {
      for (const [operation, body] of [
        ["GetUser", { AccessToken: "not-a-token" }],
        ["GlobalSignOut", { AccessToken: "not-a-token" }],
        ["RevokeToken", { ClientId: stack.config.clientId, Token: "not-a-token" }],
        ["GetTokensFromRefreshToken", { ClientId: stack.config.clientId, RefreshToken: "not-a-token" }],
        [
          "RespondToAuthChallenge",
          { ClientId: stack.config.clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: "x", ChallengeResponses: { USERNAME: username, ANSWER: "x" } },
        ],
        ["GetUserAttributeVerificationCode", { AccessToken: "not-a-token", AttributeName: "email" }],
        ["VerifyUserAttribute", { AccessToken: "not-a-token", AttributeName: "email", Code: "123456" }],
      ] as const) {
        // Each answers as it would anywhere (RevokeToken 200 for a token it does not know, the others 400): never refused.
        const response = await call(operation, body, EVIL);
        assert.notEqual(response.status, 403, operation);
        assert.equal(response.headers.get("access-control-allow-origin"), "*", operation);
        assert.notEqual(((await response.json()) as { __type?: string }).__type, "AccessDeniedException", operation);
      }
    });

    it("answer SignUp from any origin", async () => {
      const response = await call(
        "SignUp",
        {
          ClientId: stack.config.clientId,
          Username: "cors-signup@example.com",
          Password: "Unused-Passw0rd!xyz",
          UserAttributes: [{ Name: "email", Value: "cors-signup@example.com" }],
        },
        EVIL,
      );
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      await response.body?.cancel();
    });

    it("answer a preflight from any origin: it names no operation, so the POST is where admin calls are refused", async () => {
      const response = await fetch(`${stack.cognitoEndpoint}/`, {
        method: "OPTIONS",
        headers: { origin: EVIL, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-amz-target,x-amz-user-agent" },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
    });

    it("answer the hosted UI's token endpoint and the pool's keys from any origin", async () => {
      const token = await fetch(`${stack.hostedUiUrl}/oauth2/token`, {
        method: "POST",
        headers: { origin: EVIL, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: stack.config.clientId,
          code: "nope",
          redirect_uri: `${stack.demoUrl}/`,
        }).toString(),
      });
      assert.equal(token.status, 400);
      assert.equal(token.headers.get("access-control-allow-origin"), "*");
      await token.body?.cancel();
      const jwks = await fetch(stack.config.jwksUri, { headers: { origin: EVIL } });
      assert.equal(jwks.status, 200);
      assert.equal(jwks.headers.get("access-control-allow-origin"), "*");
      await jwks.body?.cancel();
    });
  });
});
