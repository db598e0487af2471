/**
 * PreTokenGeneration and PreSignUp through the handlers built by their factories (handler-kit.ts):
 * the claims a sign-in's record becomes, and what a sign-up is confirmed and verified with.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { CLIENT_ID, USER_NAME, preSignUpEvent, preTokenEventV1, preTokenEventV2 } from "@cognito-passwordless/test-kit/events.ts";
import { type LogCapture, captureLogs } from "../../support/log-capture.ts";
import { NOW, preSignUpHandler, preTokenGenerationHandler } from "./handler-kit.ts";

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const preToken = preTokenGenerationHandler();
const preSignUp = preSignUpHandler();
let logs: LogCapture;

before(() => {
  logs = captureLogs();
});
after(() => logs.stop());
beforeEach(() => {
  dynamo.reset();
  cognito.reset();
  logs?.clear();
});

function recordOf(methods: string[], level: string, verifiedAt = NOW, clientId = CLIENT_ID) {
  return { pk: `SIGNIN#${USER_NAME}`, sk: "LATEST", clientId, methods, level, verifiedAt, ttl: Math.floor(verifiedAt / 1000) + 900 };
}

describe("claims saying how the user signed in", () => {
  it("a V1 event gets auth_methods and auth_level in the ID token, as strings", async () => {
    dynamo.on(GetCommand).resolves({ Item: recordOf(["email_otp"], "urn:cognito:loa:2") });
    const event = await preToken(preTokenEventV1());
    assert.deepEqual(event.response.claimsOverrideDetails, {
      claimsToAddOrOverride: { auth_methods: "email_otp", auth_level: "urn:cognito:loa:2" },
    });
    const read = dynamo.commandCalls(GetCommand)[0]?.args[0].input;
    assert.deepEqual(read?.Key, { pk: `SIGNIN#${USER_NAME}`, sk: "LATEST" });
    assert.equal(read?.ConsistentRead, true, "the record Verify just wrote must be seen");
  });

  it("a V2 event gets the same claims in the ID and the access token", async () => {
    dynamo.on(GetCommand).resolves({ Item: recordOf(["sms"], "urn:cognito:loa:2") });
    const event = await preToken(preTokenEventV2());
    const claims = { auth_methods: "sms", auth_level: "urn:cognito:loa:2" };
    assert.deepEqual(event.response.claimsAndScopeOverrideDetails, {
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims },
    });
  });

  it("never sets amr or acr, which Cognito reserves", async () => {
    dynamo.on(GetCommand).resolves({ Item: recordOf(["email_otp"], "urn:cognito:loa:2") });
    const text = JSON.stringify([(await preToken(preTokenEventV1())).response, (await preToken(preTokenEventV2())).response]);
    assert.ok(!/"(amr|acr)"/.test(text));
  });

  it("client metadata alone never makes a claim", async () => {
    dynamo.on(GetCommand).resolves({});
    const event = await preToken(
      preTokenEventV2("TokenGeneration_Authentication", { clientMetadata: { auth_methods: "swk", auth_level: "urn:cognito:loa:3" } }),
    );
    assert.equal(event.response.claimsAndScopeOverrideDetails, null);
    assert.ok(logs.lines.some((line) => line.message === "Tokens issued with no verified factor on record"));
  });

  it("a record made for another app client is not used", async () => {
    dynamo.on(GetCommand).resolves({ Item: recordOf(["email_otp"], "urn:cognito:loa:2", NOW, "another-client") });
    const event = await preToken(preTokenEventV1());
    assert.equal(event.response.claimsOverrideDetails, null);
  });

  it("a record older than the longest auth session is not used", async () => {
    dynamo.on(GetCommand).resolves({ Item: recordOf(["email_otp"], "urn:cognito:loa:2", NOW - 16 * 60_000) });
    const event = await preToken(preTokenEventV1());
    assert.equal(event.response.claimsOverrideDetails, null);
  });

  it("refreshed tokens carry no sign-in claims and read nothing", async () => {
    const event = await preToken(preTokenEventV2("TokenGeneration_RefreshTokens"));
    assert.equal(event.response.claimsAndScopeOverrideDetails, null);
    assert.equal(dynamo.commandCalls(GetCommand).length, 0);
  });

  it("when the table is unreachable, tokens are issued without the claims and the outage is logged", async () => {
    dynamo.on(GetCommand).rejects(Object.assign(new Error("connect ECONNREFUSED"), { name: "TimeoutError" }));
    const event = await preToken(preTokenEventV1());
    assert.equal(event.response.claimsOverrideDetails, null);
    assert.ok(logs.lines.some((line) => line.level === "ERROR"));
  });

  it("an unknown event version is refused loudly rather than answered in the wrong shape", async () => {
    dynamo.on(GetCommand).resolves({ Item: recordOf(["email_otp"], "urn:cognito:loa:2") });
    await assert.rejects(preToken({ ...preTokenEventV1(), version: "9" }), /version/);
  });
});

describe("signing up", () => {
  it("confirms the user and verifies neither email nor phone", async () => {
    const event = await preSignUp(preSignUpEvent("PreSignUp_SignUp", { userAttributes: { email: "a@example.com", phone_number: "+447700900123" } }));
    assert.deepEqual(event.response, { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it("ignores anything the app sends asking for verification", async () => {
    const event = await preSignUp(
      preSignUpEvent("PreSignUp_SignUp", {
        userAttributes: { email: "a@example.com", email_verified: "true" },
        validationData: { autoVerifyEmail: "true" },
        clientMetadata: { autoVerifyEmail: "true" },
      }),
    );
    assert.equal(event.response.autoVerifyEmail, false);
  });

  it("adds nothing to administrator-created or federated users", async () => {
    for (const source of ["PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"] as const) {
      const event = await preSignUp(preSignUpEvent(source));
      assert.deepEqual(event.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    }
    // The deployment trusts no identity provider (no LINK_PROVIDERS): nobody is looked up or linked.
    assert.equal(cognito.calls().length, 0);
  });
});
