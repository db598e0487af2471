/**
 * The passkey API's handler as its function wires it (handler-kit.ts: configuration from a
 * literal environment, a fixed clock, the real stores, Cognito calls and senders over mocked AWS
 * SDK clients): which AWS calls each route makes and how many, how each refusal is answered and
 * logged, and that an outage answers 503 with a log line instead of an exception.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { AdminGetUserCommand, AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { PASSKEY_API_ERRORS } from "@cognito-passwordless/protocol";
import { createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { mockClient } from "aws-sdk-client-mock";
import { withCachedPublicKey } from "../../../lib/passkey/public-key-cache.ts";
import { passkeyRegistrationOptions } from "../../../lib/passkey/registration-options.ts";
import { type LogCapture, captureLogs } from "../../support/log-capture.ts";
import { API_USER_NAME, accessTokenClaims, idTokenClaims, passkeyApiEvent } from "../../support/passkey-api-events.ts";
import { storedPasskey } from "../../support/stored-passkey.ts";
import { passkeyConfig } from "../passkey/passkey-test-kit.ts";
import { NOW, PASSKEY_API_ENV, passkeysApiHandler } from "./handler-kit.ts";

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESClient);
const sns = mockClient(SNSClient);

const handler = passkeysApiHandler();
const CREDENTIAL = "Y3JlZGVudGlhbC1vbmU";
const RECENT = accessTokenClaims({ authTime: Math.floor(NOW / 1000) - 30 });
const JANE = {
  Username: API_USER_NAME,
  Enabled: true,
  UserAttributes: [
    { Name: "sub", Value: API_USER_NAME },
    { Name: "email", Value: "jane.doe@example.com" },
    { Name: "email_verified", Value: "true" },
  ],
};

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
}

/** Jane's passkey as its item holds it. */
function janesItem(overrides: Record<string, unknown> = {}) {
  return { pk: `PASSKEY#${CREDENTIAL}`, sk: "PASSKEY", ...storedPasskey({ credentialId: CREDENTIAL, userName: API_USER_NAME }), ...overrides };
}

/** Each AWS call the route made, as `Service:Operation`, in order per client. */
function callsMade(): string[] {
  return [
    ...dynamo.calls().map((call) => `DynamoDB:${(call.args[0] as object).constructor.name.replace(/Command$/, "")}`),
    ...cognito.calls().map((call) => `Cognito:${(call.args[0] as object).constructor.name.replace(/Command$/, "")}`),
    ...ses.calls().map(() => "SES:SendEmail"),
    ...sns.calls().map(() => "SNS:Publish"),
  ];
}

async function answer(event: unknown) {
  const response = await handler(event);
  return { ...response, json: response.body === undefined ? undefined : (JSON.parse(response.body) as Record<string, unknown>) };
}

let logs: LogCapture;
before(() => {
  logs = captureLogs();
});
after(() => logs.stop());

beforeEach(() => {
  for (const client of [dynamo, cognito, ses, sns]) client.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(GetCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  cognito.on(AdminGetUserCommand).resolves(JANE);
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
  sns.on(PublishCommand).resolves({ MessageId: "s-1" });
  logs?.clear();
});

function loggedRefusal() {
  const lines = logs.lines.filter((line) => line.message === "Passkey API request refused");
  assert.equal(lines.length, 1, JSON.stringify(logs.lines.map((line) => line.message)));
  return lines[0]!;
}

describe("the passkey API's routes and their AWS calls", () => {
  it("GET /passkeys: one Query of gsi1 and one GetItem of the user's item, side by side", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [janesItem()] });
    dynamo
      .on(GetCommand)
      .resolves({ Item: { pk: `SIGNIN#${API_USER_NAME}`, sk: "LATEST", [`passkey#${CREDENTIAL}`]: { fingerprint: "f", counter: 3, usedAt: NOW - 1000 } } });
    const response = await answer(passkeyApiEvent("list"));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.headers, { "content-type": "application/json" });
    assert.deepEqual(response.json, {
      passkeys: [
        {
          id: CREDENTIAL,
          name: "iCloud Keychain",
          createdAt: "2025-01-01T10:00:00.000Z",
          lastUsedAt: new Date(NOW - 1000).toISOString(),
          backedUp: true,
          transports: ["internal", "hybrid"],
          authenticator: "iCloud Keychain",
        },
      ],
    });
    assert.deepEqual(callsMade().sort(), ["DynamoDB:Get", "DynamoDB:Query"]);
    const query = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    assert.equal(query.IndexName, "gsi1");
    assert.equal(query.ExpressionAttributeValues?.[":user"], `USER#${API_USER_NAME}`);
    assert.equal(dynamo.commandCalls(GetCommand)[0]!.args[0].input.ConsistentRead, true, "a revocation a moment ago is seen");
    const line = logs.lines.find((entry) => entry.message === "Passkey API request answered");
    assert.deepEqual([line?.["route"], line?.["user"], line?.["status"]], ["list", API_USER_NAME, 200]);
  });

  it("PATCH /passkeys/{id}: one conditional UpdateItem on the caller's credential, with the user's item read beside it", async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: janesItem({ friendlyName: "Laptop" }) });
    const response = await answer(passkeyApiEvent("rename", { id: CREDENTIAL, body: { name: "Laptop" } }));
    assert.equal(response.statusCode, 200);
    assert.equal((response.json?.["passkey"] as { name: string } | undefined)?.name, "Laptop");
    assert.deepEqual(callsMade().sort(), ["DynamoDB:Get", "DynamoDB:Update"]);
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    assert.deepEqual(update.Key, { pk: `PASSKEY#${CREDENTIAL}`, sk: "PASSKEY" });
    assert.equal(update.ConditionExpression, "#userName = :userName");
    assert.equal(update.ExpressionAttributeValues?.[":userName"], API_USER_NAME);
  });

  it("PATCH of a credential that is not the caller's is 404: the condition failed, nothing else is tried", async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    const response = await answer(passkeyApiEvent("rename", { id: CREDENTIAL, body: { name: "Mine" } }));
    assert.deepEqual([response.statusCode, response.json?.["error"]], [404, "not_found"]);
    assert.equal(loggedRefusal()["reason"], "passkey_not_found");
  });

  it("DELETE /passkeys/{id}: AdminGetUser, then the revocation's read and three writes, one attribute write, and the notice", async () => {
    dynamo.on(GetCommand).resolves({ Item: janesItem() });
    const cached = withCachedPublicKey(undefined, CREDENTIAL, { publicKey: "pQECAyYgASFYIA", method: "swk" });
    assert.ok(cached !== undefined);
    cognito.on(AdminGetUserCommand).resolves({ ...JANE, UserAttributes: [...JANE.UserAttributes, { Name: "custom:passkeys", Value: cached }] });
    const response = await answer(passkeyApiEvent("remove", { id: CREDENTIAL }));
    assert.deepEqual(response, { statusCode: 204, json: undefined });
    assert.deepEqual(callsMade(), [
      "DynamoDB:Get",
      "DynamoDB:Update",
      "DynamoDB:Delete",
      "Cognito:AdminGetUser",
      "Cognito:AdminUpdateUserAttributes",
      "SES:SendEmail",
    ]);
    assert.deepEqual(cognito.commandCalls(AdminGetUserCommand)[0]!.args[0].input, { UserPoolId: "eu-west-1_Example01", Username: API_USER_NAME });
  });

  it("DELETE of another user's credential is 404 after one read, and nothing is written", async () => {
    dynamo.on(GetCommand).resolves({ Item: janesItem({ userName: "someone-else" }) });
    const response = await answer(passkeyApiEvent("remove", { id: CREDENTIAL }));
    assert.deepEqual([response.statusCode, response.json?.["error"]], [404, "not_found"]);
    assert.deepEqual(callsMade(), ["DynamoDB:Get", "Cognito:AdminGetUser"]);
  });

  it("POST /passkeys/registration-options: AdminGetUser and the Query side by side, then one PutItem of the challenge", async () => {
    const response = await answer(passkeyApiEvent("registrationOptions", { claims: RECENT }));
    assert.equal(response.statusCode, 200);
    const { challengeId, options } = response.json as { challengeId: string; options: { challenge: string; user: { name: string }; timeout: number } };
    assert.equal(options.user.name, "jane.doe@example.com");
    assert.deepEqual(callsMade().sort(), ["Cognito:AdminGetUser", "DynamoDB:Put", "DynamoDB:Query"]);
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    assert.deepEqual(put.Item, {
      pk: `CHALLENGE#${challengeId}`,
      sk: "CHALLENGE",
      challenge: options.challenge,
      purpose: "registration",
      userName: API_USER_NAME,
      rpId: PASSKEY_API_ENV.PASSKEY_RP_ID,
      expiresAt: NOW + options.timeout,
      ttl: Math.floor((NOW + options.timeout) / 1000),
    });
  });

  it("POST /passkeys: the challenge's delete and AdminGetUser side by side, then enrolment's Query, the id's state read, PutItem, UpdateItem and attribute write, and the notice", async () => {
    const challenge = Buffer.from("a-challenge-of-thirty-two-bytes!").toString("base64url");
    const options = await passkeyRegistrationOptions(passkeyConfig(), {
      challenge,
      userHandle: Buffer.from(API_USER_NAME).toString("base64url"),
      userName: "jane.doe@example.com",
      displayName: "jane.doe@example.com",
      existing: [],
    });
    dynamo.on(DeleteCommand).resolves({ Attributes: { challenge } });
    const authenticator = createSoftAuthenticator();
    const response = await answer(
      passkeyApiEvent("add", { claims: RECENT, body: { challengeId: "Y2hhbGxlbmdlLWlkLTEyMw", response: authenticator.register(options), name: "Phone" } }),
    );
    assert.equal(response.statusCode, 201, JSON.stringify(response.json));
    assert.equal((response.json?.["passkey"] as { name: string } | undefined)?.name, "Phone");
    assert.deepEqual(callsMade().sort(), [
      "Cognito:AdminGetUser",
      "Cognito:AdminUpdateUserAttributes",
      "DynamoDB:Delete",
      "DynamoDB:Get",
      "DynamoDB:Put",
      "DynamoDB:Query",
      "DynamoDB:Update",
      "SES:SendEmail",
    ]);
    const state = dynamo.commandCalls(GetCommand)[0]!.args[0].input;
    assert.deepEqual([state.Key, state.ConsistentRead], [{ pk: `SIGNIN#${API_USER_NAME}`, sk: "LATEST" }, true], "a tombstone written a moment ago is seen");
    const consumed = dynamo.commandCalls(DeleteCommand)[0]!.args[0].input;
    assert.equal(consumed.ConditionExpression, "#purpose = :purpose AND #rpId = :rpId AND #expiresAt > :now AND #userName = :userName");
    assert.deepEqual(consumed.ExpressionAttributeValues, {
      ":purpose": "registration",
      ":rpId": PASSKEY_API_ENV.PASSKEY_RP_ID,
      ":now": NOW,
      ":userName": API_USER_NAME,
    });
    assert.equal(consumed.ReturnValues, "ALL_OLD");
    assert.equal(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item?.["friendlyName"], "Phone", "the name is stored with the passkey's one put");
  });
});

describe("POST /passkeys/challenge, the public route of a sign-in without a username", () => {
  it("needs no token: one PutItem of a challenge issued to nobody, answered with request options for any discoverable passkey", async () => {
    const response = await answer(passkeyApiEvent("signInChallenge"));
    assert.equal(response.statusCode, 200, JSON.stringify(response.json));
    const { challengeId, options } = response.json as { challengeId: string; options: Record<string, unknown> };
    assert.match(challengeId, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(Object.keys(options).sort(), ["allowCredentials", "challenge", "rpId", "timeout", "userVerification"]);
    assert.deepEqual(options["allowCredentials"], [], "no credential is named, so nothing about anyone is told");
    assert.equal(options["rpId"], PASSKEY_API_ENV.PASSKEY_RP_ID);
    assert.deepEqual(callsMade(), ["DynamoDB:Put"]);
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    assert.deepEqual(put.Item, {
      pk: `CHALLENGE#${challengeId}`,
      sk: "CHALLENGE",
      challenge: options["challenge"],
      purpose: "authentication",
      rpId: PASSKEY_API_ENV.PASSKEY_RP_ID,
      expiresAt: NOW + Number(options["timeout"]),
      ttl: Math.floor((NOW + Number(options["timeout"])) / 1000),
    });
    assert.equal(put.ConditionExpression, "attribute_not_exists(#pk)");
  });

  it("answers every caller alike: whatever token, claims or body comes with it, only the random challenge and its id differ", async () => {
    const shapes = [];
    for (const event of [
      passkeyApiEvent("signInChallenge"),
      passkeyApiEvent("signInChallenge", { claims: accessTokenClaims({ userName: "someone-else" }) }),
      passkeyApiEvent("signInChallenge", { claims: idTokenClaims(), body: { username: "jane.doe@example.com" } }),
      passkeyApiEvent("signInChallenge", { body: "not json at all" }),
    ]) {
      const response = await answer(event);
      const { challengeId, options } = response.json as { challengeId: string; options: Record<string, unknown> };
      shapes.push({
        status: response.statusCode,
        headers: response.headers,
        body: { ...options, challenge: options["challenge"] === undefined ? "none" : "random" },
      });
      assert.equal(typeof challengeId, "string");
    }
    for (const shape of shapes.slice(1)) assert.deepEqual(shape, shapes[0]);
    const challenges = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.["challenge"]);
    assert.equal(new Set(challenges).size, 4, "a new challenge each time");
    assert.equal(
      logs.lines.some((line) => JSON.stringify(line).includes(String(challenges[0]))),
      false,
      "no challenge in the log",
    );
  });

  it("a body over 32 KiB is 413 with nothing stored; without PASSKEY offered, 404 passkeys_not_offered", async () => {
    const large = await answer(passkeyApiEvent("signInChallenge", { body: "x".repeat(33_000) }));
    assert.deepEqual([large.statusCode, large.json?.["error"]], [413, "payload_too_large"]);
    assert.equal(loggedRefusal()["reason"], "body_too_large");
    logs.clear();
    const codesOnly = passkeysApiHandler({ env: { ...PASSKEY_API_ENV, SIGN_IN_METHODS: "EMAIL_OTP,SMS_OTP", PASSKEY_RP_ID: "" } });
    const off = await codesOnly(passkeyApiEvent("signInChallenge"));
    assert.deepEqual([off.statusCode, JSON.parse(off.body ?? "{}").error], [404, "passkeys_not_offered"]);
    assert.equal(loggedRefusal()["reason"], "passkeys_not_offered");
    assert.deepEqual(callsMade(), []);
  });

  it("a DynamoDB outage is 503, logged", async () => {
    dynamo.on(PutCommand).rejects(new Error("socket hang up"));
    const response = await answer(passkeyApiEvent("signInChallenge"));
    assert.deepEqual([response.statusCode, response.json?.["error"]], [503, "service_unavailable"]);
  });
});

describe("the passkey API's refusals", () => {
  const cases: [string, unknown, number, string, string][] = [
    ["an ID token", passkeyApiEvent("list", { claims: idTokenClaims() }), 401, "unauthorized", "not_an_access_token"],
    [
      "another app client's token",
      passkeyApiEvent("list", { claims: accessTokenClaims({ clientId: "other" }) }),
      401,
      "unauthorized",
      "token_of_another_client",
    ],
    ["no authorizer claims", { ...passkeyApiEvent("list"), requestContext: {} }, 401, "unauthorized", "not_an_access_token"],
    ["a malformed id", passkeyApiEvent("remove", { id: "not/base64url" }), 404, "not_found", "id_malformed"],
    ["an over-long id", passkeyApiEvent("rename", { id: "A".repeat(1365), body: { name: "x" } }), 404, "not_found", "id_malformed"],
    ["a body over 32 KiB", passkeyApiEvent("add", { claims: RECENT, body: "x".repeat(33_000) }), 413, "payload_too_large", "body_too_large"],
    ["malformed JSON", passkeyApiEvent("rename", { id: CREDENTIAL, body: "{" }), 400, "invalid_request", "body_not_json"],
    ["a rename without a name", passkeyApiEvent("rename", { id: CREDENTIAL, body: {} }), 400, "invalid_request", "name_missing"],
    [
      "a name with a control character",
      passkeyApiEvent("rename", { id: CREDENTIAL, body: { name: "a\u0000" } }),
      400,
      "invalid_request",
      "name_has_control_characters",
    ],
    ["options after an old sign-in", passkeyApiEvent("registrationOptions"), 403, "reauthentication_required", "sign_in_too_old"],
    ["an add after an old sign-in", passkeyApiEvent("add", { body: { challengeId: "x", response: {} } }), 403, "reauthentication_required", "sign_in_too_old"],
    [
      "an add without a response",
      passkeyApiEvent("add", { claims: RECENT, body: { challengeId: "Y2hhbGxlbmdlLWlkLTEyMw" } }),
      400,
      "invalid_request",
      "body_invalid",
    ],
    [
      "a challenge id of no issued shape",
      passkeyApiEvent("add", { claims: RECENT, body: { challengeId: "x", response: {} } }),
      400,
      "challenge_invalid",
      "challenge_invalid",
    ],
    ["a route the API does not have", { ...passkeyApiEvent("list"), routeKey: "PUT /passkeys" }, 404, "not_found", "route_unknown"],
  ];
  for (const [what, event, status, error, reason] of cases) {
    it(`${what}: ${status} ${error}, logged as ${reason}, and no AWS call`, async () => {
      const response = await answer(event);
      assert.deepEqual([response.statusCode, response.json?.["error"]], [status, error]);
      assert.equal(PASSKEY_API_ERRORS[error as keyof typeof PASSKEY_API_ERRORS], status, "the contract's status");
      assert.equal(typeof response.json?.["message"], "string");
      assert.deepEqual(callsMade(), []);
      const line = loggedRefusal();
      assert.deepEqual([line["reason"], line["status"]], [reason, status]);
    });
  }

  it("a user the pool no longer has (or disabled) is 401, whatever the token says", async () => {
    cognito.on(AdminGetUserCommand).rejects(Object.assign(new Error("User does not exist."), { name: "UserNotFoundException" }));
    const gone = await answer(passkeyApiEvent("remove", { id: CREDENTIAL }));
    assert.deepEqual([gone.statusCode, gone.json?.["error"]], [401, "unauthorized"]);
    cognito.on(AdminGetUserCommand).resolves({ ...JANE, Enabled: false });
    const disabled = await answer(passkeyApiEvent("registrationOptions", { claims: RECENT }));
    assert.deepEqual([disabled.statusCode, disabled.json?.["error"]], [401, "unauthorized"]);
    assert.equal(dynamo.commandCalls(PutCommand).length, 0, "no challenge for a disabled user");
  });

  it("an unknown, used, expired or another user's challenge is 400 challenge_invalid, after the one conditional delete", async () => {
    dynamo.on(DeleteCommand).rejects(conditionFailed());
    const response = await answer(passkeyApiEvent("add", { claims: RECENT, body: { challengeId: "Y2hhbGxlbmdlLWlkLTEyMw", response: { id: "x" } } }));
    assert.deepEqual([response.statusCode, response.json?.["error"]], [400, "challenge_invalid"]);
    assert.deepEqual(callsMade().sort(), ["Cognito:AdminGetUser", "DynamoDB:Delete"]);
  });

  it("with PASSKEY no longer offered, the passkeys users have are still listed, renamed and removed", async () => {
    const managed = passkeysApiHandler({ env: { ...PASSKEY_API_ENV, SIGN_IN_METHODS: "EMAIL_OTP,SMS_OTP", PASSKEY_RP_ID: "" } });
    dynamo.on(QueryCommand).resolves({ Items: [janesItem()] });
    const listed = await managed(passkeyApiEvent("list"));
    assert.deepEqual(
      [listed.statusCode, (JSON.parse(listed.body ?? "{}") as { passkeys: { id: string }[] }).passkeys.map(({ id }) => id)],
      [200, [CREDENTIAL]],
    );
    dynamo.on(UpdateCommand).resolves({ Attributes: janesItem({ friendlyName: "Old phone" }) });
    assert.equal((await managed(passkeyApiEvent("rename", { id: CREDENTIAL, body: { name: "Old phone" } }))).statusCode, 200);
    dynamo.on(GetCommand).resolves({ Item: janesItem() });
    assert.equal((await managed(passkeyApiEvent("remove", { id: CREDENTIAL }))).statusCode, 204);
  });

  it("with PASSKEY not offered, both add routes are 404 passkeys_not_offered (not not_found, which is about a passkey), with no AWS call", async () => {
    const managed = passkeysApiHandler({ env: { ...PASSKEY_API_ENV, SIGN_IN_METHODS: "EMAIL_OTP,SMS_OTP", PASSKEY_RP_ID: "" } });
    for (const event of [
      passkeyApiEvent("registrationOptions", { claims: RECENT }),
      passkeyApiEvent("add", { claims: RECENT, body: { challengeId: "Y2hhbGxlbmdlLWlkLTEyMw", response: {} } }),
    ]) {
      logs.clear();
      const response = await managed(event);
      assert.deepEqual([response.statusCode, JSON.parse(response.body ?? "{}").error], [404, "passkeys_not_offered"]);
      assert.equal(loggedRefusal()["reason"], "passkeys_not_offered");
    }
    assert.deepEqual(callsMade(), []);
  });
});

describe("the passkey API's boundary", () => {
  it("a DynamoDB outage answers 503 service_unavailable, logged as an ERROR with the error's code", async () => {
    dynamo.on(QueryCommand).rejects(Object.assign(new Error("socket hang up"), { name: "TimeoutError" }));
    const response = await answer(passkeyApiEvent("list"));
    assert.deepEqual([response.statusCode, response.json?.["error"]], [503, "service_unavailable"]);
    const line = logs.lines.find((entry) => entry.level === "ERROR");
    assert.equal(line?.["reason"], "STORE_UNAVAILABLE");
    assert.equal(line?.["status"], 503);
  });

  it("a Cognito outage answers 503 too", async () => {
    cognito
      .on(AdminGetUserCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException", $metadata: { httpStatusCode: 400 } }));
    const response = await answer(passkeyApiEvent("remove", { id: CREDENTIAL }));
    assert.deepEqual([response.statusCode, response.json?.["error"]], [503, "service_unavailable"]);
    assert.equal(logs.lines.find((entry) => entry.level === "ERROR")?.["reason"], "COGNITO_CALL_FAILED");
  });

  it("an unexpected error answers 503 and is logged as one", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: "PASSKEY#x", userName: 5 }] });
    const response = await answer(passkeyApiEvent("list"));
    assert.equal(response.statusCode, 503);
    assert.equal(logs.lines.find((entry) => entry.level === "ERROR")?.["reason"], "STORE_UNAVAILABLE");
    const broken = await answer({
      routeKey: "GET /passkeys",
      requestContext: {
        authorizer: {
          jwt: {
            get claims() {
              throw new Error("boom");
            },
          },
        },
      },
    });
    assert.equal(broken.statusCode, 503);
    assert.ok(logs.lines.some((entry) => entry.level === "ERROR" && entry["reason"] === "unexpected"));
  });

  it("no log line carries the token, the body or the challenge", async () => {
    await answer(passkeyApiEvent("registrationOptions", { claims: RECENT }));
    await answer(passkeyApiEvent("rename", { id: CREDENTIAL, body: { name: "Secret name" } }));
    const text = logs.raw.join("\n");
    assert.doesNotMatch(text, /Bearer|eyJ|Secret name|authorization/i);
    const challenge = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item?.["challenge"];
    assert.ok(typeof challenge === "string" && !text.includes(challenge));
  });
});
