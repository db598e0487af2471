/**
 * Every sample in events/ runs through the function its triggerSource names, as
 * `sam local invoke` would run it, and gives the outcome its name promises.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { AdminCreateUserCommand, CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { SESClient } from "@aws-sdk/client-ses";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { setFunctionEnv } from "../support/function-env.ts";
import { type LogCapture, captureLogs } from "../support/log-capture.ts";

type AnyHandler = (event: unknown) => Promise<{ response: Record<string, unknown> }>;
const folder = new URL("../../events/", import.meta.url);
const files = readdirSync(folder).filter((name) => name.endsWith(".json")).sort();

const FUNCTION_OF_SOURCE: Array<[RegExp, string]> = [
  [/^DefineAuthChallenge_/, "define-auth-challenge"],
  [/^CreateAuthChallenge_/, "create-auth-challenge"],
  [/^VerifyAuthChallengeResponse_/, "verify-auth-challenge-response"],
  [/^PreSignUp_/, "pre-sign-up"],
  [/^TokenGeneration_/, "pre-token-generation"],
];

/** What each sample must produce: the names say it, this checks it. */
const EXPECTED: Record<string, (response: Record<string, unknown>) => void> = {
  "define-first-call": (r) => assert.equal(r.challengeName, "CUSTOM_CHALLENGE"),
  "define-after-choosing-email": (r) => assert.equal(r.challengeName, "CUSTOM_CHALLENGE"),
  "define-after-choosing-sms": (r) => assert.equal(r.challengeName, "CUSTOM_CHALLENGE"),
  "define-after-wrong-code": (r) => assert.equal(r.challengeName, "CUSTOM_CHALLENGE"),
  "define-after-third-wrong-code": (r) => assert.equal(r.failAuthentication, true),
  "define-after-correct-code": (r) => assert.equal(r.issueTokens, true),
  "define-user-not-found": (r) => assert.equal(r.challengeName, "CUSTOM_CHALLENGE"),
  "create-select-method": (r) => {
    const parameters = r.publicChallengeParameters as Record<string, string>;
    assert.equal(parameters.type, "SELECT_METHOD");
    assert.equal((JSON.parse(parameters.passkeyOptions ?? "{}") as { rpId: string }).rpId, "localhost");
  },
  "create-email-code": (r) => assert.equal((r.publicChallengeParameters as Record<string, string>).type, "EMAIL_OTP"),
  "create-sms-code": (r) => assert.equal((r.publicChallengeParameters as Record<string, string>).type, "SMS_OTP"),
  "create-email-code-retry": (r) => assert.equal((r.publicChallengeParameters as Record<string, string>).destination, "j***@e***.com"),
  "define-after-passkey": (r) => assert.equal(r.issueTokens, true),
  "define-after-code-asking-for-passkey": (r) => assert.equal(r.challengeName, "CUSTOM_CHALLENGE"),
  "define-after-passkey-enrolment": (r) => assert.equal(r.issueTokens, true),
  "create-passkey-registration": (r) => {
    const parameters = r.publicChallengeParameters as Record<string, string>;
    assert.equal(parameters.type, "PASSKEY_REGISTRATION");
    assert.equal((JSON.parse(parameters.options ?? "{}") as { rp: { id: string } }).rp.id, "localhost");
  },
  "verify-passkey-registration-skip": (r) => assert.equal(r.answerCorrect, true),
  "create-user-not-found": (r) => assert.equal((r.publicChallengeParameters as Record<string, string>).destination, "n***@e***.org"),
  "verify-method-choice": (r) => assert.equal(r.answerCorrect, false),
  "verify-email-code-correct": (r) => assert.equal(r.answerCorrect, true),
  "verify-email-code-wrong": (r) => assert.equal(r.answerCorrect, false),
  "verify-sms-code-correct": (r) => assert.equal(r.answerCorrect, true),
  "verify-user-not-found": (r) => assert.equal(r.answerCorrect, false),
  "pre-sign-up-sign-up": (r) => assert.deepEqual(r, { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false }),
  "pre-sign-up-admin-create-user": (r) => assert.equal(r.autoVerifyEmail, false),
  "pre-sign-up-external-provider-unverified-email": (r) => assert.equal(r.autoVerifyEmail, false),
  "pre-sign-up-external-provider-untrusted-provider": (r) => assert.equal(r.autoVerifyEmail, false),
  "pre-token-v1-authentication": (r) => assert.equal((r.claimsOverrideDetails as { claimsToAddOrOverride: Record<string, string> }).claimsToAddOrOverride.auth_methods, "email_otp"),
  "pre-token-v2-authentication": (r) => assert.ok(r.claimsAndScopeOverrideDetails !== null),
  "pre-token-v2-refresh": (r) => assert.equal(r.claimsAndScopeOverrideDetails, null),
};

/** Samples whose function ends the invocation with an error Cognito shows the app. */
const EXPECTED_ERROR: Record<string, RegExp> = {
  "pre-sign-up-external-provider-verified-email": /^ACCOUNT_LINKED/,
  "pre-sign-up-external-provider-lowercase-prefix": /^ACCOUNT_LINKED/,
  "pre-sign-up-external-provider-verified-phone": /^ACCOUNT_LINKED/,
  "pre-sign-up-external-provider-new-person": /^ACCOUNT_LINKED/,
};

const handlers = new Map<string, AnyHandler>();
let logs: LogCapture;

before(async () => {
  setFunctionEnv({
    SIGN_IN_METHODS: "PASSKEY,EMAIL_OTP,SMS_OTP",
    PASSKEY_RP_ID: "localhost",
    PASSKEY_ALLOWED_ORIGINS: "http://localhost:3000",
    LINK_PROVIDERS: "Google,Descope",
  });
  const dynamo = mockClient(DynamoDBDocumentClient);
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  const sample = JSON.parse(readFileSync(new URL("pre-token-v1-authentication.json", folder), "utf8")) as {
    userName: string;
    callerContext: { clientId: string };
  };
  dynamo.on(GetCommand).resolves({
    Item: { clientId: sample.callerContext.clientId, methods: ["email_otp"], level: "urn:cognito:loa:2", verifiedAt: Date.now() },
  });
  mockClient(SESClient).resolves({ MessageId: "m" });
  mockClient(SNSClient).resolves({ MessageId: "s" });
  // The pool has Jane, a native user with her email and phone verified; nobody else.
  const jane = {
    Username: "8f2e4c1a-5b6d-4e7f-9a0b-1c2d3e4f5a6b",
    UserStatus: "CONFIRMED" as const,
    Attributes: [
      { Name: "email", Value: "jane.doe@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "phone_number", Value: "+447700900123" },
      { Name: "phone_number_verified", Value: "true" },
    ],
  };
  const cognito = mockClient(CognitoIdentityProviderClient);
  cognito.resolves({});
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  cognito.on(ListUsersCommand, { Filter: 'email = "jane.doe@example.com"' }).resolves({ Users: [jane] });
  cognito.on(ListUsersCommand, { Filter: 'phone_number = "+447700900123"' }).resolves({ Users: [jane] });
  cognito.on(AdminCreateUserCommand).resolves({ User: { Username: "0b7a6c5d-4e3f-4a2b-9c1d-8e7f6a5b4c3d" } });
  for (const [, name] of FUNCTION_OF_SOURCE) {
    handlers.set(name, (await import(`../../functions/${name}/index.ts`)).handler as AnyHandler);
  }
  logs = captureLogs();
});
after(() => logs.stop());

describe("the sample events", () => {
  it("cover every trigger source the suite handles", () => {
    const sources = new Set(files.map((file) => (JSON.parse(readFileSync(new URL(file, folder), "utf8")) as { triggerSource: string }).triggerSource));
    for (const source of [
      "DefineAuthChallenge_Authentication",
      "CreateAuthChallenge_Authentication",
      "VerifyAuthChallengeResponse_Authentication",
      "PreSignUp_SignUp",
      "PreSignUp_AdminCreateUser",
      "PreSignUp_ExternalProvider",
      "TokenGeneration_Authentication",
      "TokenGeneration_RefreshTokens",
    ]) {
      assert.ok(sources.has(source), `a sample for ${source}`);
    }
    assert.deepEqual(
      files.map((f) => f.replace(/\.json$/, "")).sort(),
      [...Object.keys(EXPECTED), ...Object.keys(EXPECTED_ERROR)].sort(),
      "every sample has an expected outcome",
    );
  });

  for (const file of files) {
    it(`${file} runs through its function with the outcome its name says`, async () => {
      const event = JSON.parse(readFileSync(new URL(file, folder), "utf8")) as { triggerSource: string };
      const name = FUNCTION_OF_SOURCE.find(([pattern]) => pattern.test(event.triggerSource))?.[1];
      assert.ok(name, `a function handles ${event.triggerSource}`);
      const sample = file.replace(/\.json$/, "");
      const error = EXPECTED_ERROR[sample];
      if (error !== undefined) {
        await assert.rejects(handlers.get(name)!(event), (thrown: unknown) => thrown instanceof Error && error.test(thrown.message));
        return;
      }
      const result = await handlers.get(name)!(event);
      EXPECTED[sample]?.(result.response);
    });
  }
});
