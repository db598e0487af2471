/**
 * Every sample in events/ runs through the function its triggerSource names, as
 * `sam local invoke` would run it, and gives the outcome its name promises: the round Define asks
 * for (or tokens, or the end of the sign-in), the round Create builds with its public parameters
 * and what it sent, Verify's answer and why, what PreSignUp confirmed or linked, the claims, and
 * the passkey API's answer to each API Gateway sample (routeKey instead of triggerSource).
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  AdminCreateUserCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { setFunctionEnv } from "../support/function-env.ts";
import { type LogCapture, type LogLine, captureLogs } from "../support/log-capture.ts";

type AnyHandler = (event: unknown) => Promise<{ response: Record<string, unknown> }>;
const folder = new URL("../../events/", import.meta.url);
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".json"))
  .sort();

const FUNCTION_OF_SOURCE: Array<[RegExp, string]> = [
  [/^DefineAuthChallenge_/, "define-auth-challenge"],
  [/^CreateAuthChallenge_/, "create-auth-challenge"],
  [/^VerifyAuthChallengeResponse_/, "verify-auth-challenge-response"],
  [/^PreSignUp_/, "pre-sign-up"],
  [/^TokenGeneration_/, "pre-token-generation"],
];
/** API Gateway's events (payload 2.0) carry a routeKey instead: all of them go to the passkey API. */
const PASSKEYS_API = "passkeys-api";

function functionOf(event: { triggerSource?: string; routeKey?: string }): string | undefined {
  if (typeof event.routeKey === "string") return PASSKEYS_API;
  return FUNCTION_OF_SOURCE.find(([pattern]) => pattern.test(event.triggerSource ?? ""))?.[1];
}

/** What a sample's function did besides answering: its log lines, and the messages it had SES and SNS send. */
interface Seen {
  readonly logs: readonly LogLine[];
  readonly emails: readonly string[];
  readonly sms: readonly string[];
  readonly cognitoCalls: number;
}

type Expectation = (response: Record<string, unknown>, seen: Seen) => void;

/** The one log line with this message, and its fields. */
function logged(seen: Seen, message: string): LogLine {
  const lines = seen.logs.filter((line) => line.message === message);
  assert.equal(lines.length, 1, `one "${message}" line, in ${JSON.stringify(seen.logs.map((line) => line.message))}`);
  return lines[0]!;
}

/** Define asks for this round (its log line names it: the response says only CUSTOM_CHALLENGE). */
function defineAsksFor(round: string, retry = false): Expectation {
  return (r, seen) => {
    assert.deepEqual(r, { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
    const line = logged(seen, "Next round");
    assert.equal(line["round"], round);
    assert.equal(line["retry"], retry);
  };
}

const defineIssuesTokens: Expectation = (r, seen) => {
  assert.deepEqual(r, { issueTokens: true, failAuthentication: false });
  logged(seen, "Sign-in complete: issuing tokens");
};

function defineFails(reason: string): Expectation {
  return (r, seen) => {
    assert.deepEqual(r, { issueTokens: false, failAuthentication: true });
    assert.equal(logged(seen, "Sign-in failed")["reason"], reason);
  };
}

function publicParameters(r: Record<string, unknown>): Record<string, string> {
  return r.publicChallengeParameters as Record<string, string>;
}

/** A code round with these public parameters (expiresAt: when it was sent, as the clock says), and these messages sent. */
function createsCodeRound(type: string, destination: string, sent: { emails?: string[]; sms?: string[]; expiresAt?: string }): Expectation {
  return (r, seen) => {
    const parameters = publicParameters(r);
    assert.deepEqual(Object.keys(parameters).sort(), ["codeLength", "destination", "expiresAt", "type"]);
    assert.equal(parameters.type, type);
    assert.equal(parameters.destination, destination);
    assert.equal(parameters.codeLength, "6");
    if (sent.expiresAt !== undefined) assert.equal(parameters.expiresAt, sent.expiresAt);
    else assert.ok(Math.abs(Date.parse(parameters.expiresAt ?? "") - (Date.now() + 300_000)) < 60_000, "expires in CODE_TTL_SECONDS from now");
    assert.deepEqual(seen.emails, sent.emails ?? []);
    assert.deepEqual(seen.sms, sent.sms ?? []);
  };
}

function verifyAnswers(answerCorrect: boolean, detail: { reason?: string; message?: string }): Expectation {
  return (r, seen) => {
    assert.deepEqual(r, { answerCorrect });
    if (detail.reason !== undefined) assert.equal(logged(seen, "Answer rejected")["reason"], detail.reason);
    if (detail.message !== undefined) logged(seen, detail.message);
  };
}

function signUpAnswers(autoConfirmUser: boolean, cognitoCalls = 0): Expectation {
  return (r, seen) => {
    assert.deepEqual(r, { autoConfirmUser, autoVerifyEmail: false, autoVerifyPhone: false });
    assert.equal(seen.cognitoCalls, cognitoCalls, "Cognito calls");
  };
}

/** The passkey API answers with this status and, for a refusal, this error, and logs it so. */
function apiAnswers(statusCode: number, detail: { error?: string; reason?: string; body?: unknown }): Expectation {
  return (r, seen) => {
    assert.equal(r.statusCode, statusCode);
    const body = JSON.parse(String(r.body)) as Record<string, unknown>;
    if (detail.body !== undefined) assert.deepEqual(body, detail.body);
    if (detail.error !== undefined) {
      assert.equal(body.error, detail.error);
      assert.equal(logged(seen, "Passkey API request refused")["reason"], detail.reason);
    }
  };
}

const EMAIL_CODE_CLAIMS = { auth_methods: "email_otp", auth_level: "urn:cognito:loa:2" };

/** What each sample must produce: the names say it, this checks it. */
const EXPECTED: Record<string, Expectation> = {
  "define-first-call": defineAsksFor("SELECT_METHOD"),
  "define-after-choosing-email": defineAsksFor("EMAIL_OTP"),
  "define-after-choosing-sms": defineAsksFor("SMS_OTP"),
  "define-after-wrong-code": defineAsksFor("EMAIL_OTP", true),
  "define-after-third-wrong-code": defineFails("too_many_attempts"),
  "define-after-correct-code": defineIssuesTokens,
  "define-user-not-found": defineAsksFor("EMAIL_OTP"),
  "define-after-passkey": defineIssuesTokens,
  "define-after-code-asking-for-passkey": defineAsksFor("PASSKEY_REGISTRATION"),
  "define-after-passkey-enrolment": defineIssuesTokens,
  "create-select-method": (r, seen) => {
    const parameters = publicParameters(r);
    assert.deepEqual(Object.keys(parameters).sort(), ["methods", "passkeyOptions", "type"]);
    assert.equal(parameters.type, "SELECT_METHOD");
    assert.equal(parameters.methods, "PASSKEY,EMAIL_OTP,SMS_OTP");
    const options = JSON.parse(parameters.passkeyOptions ?? "{}") as Record<string, unknown>;
    assert.match(String(options.challenge), /^[A-Za-z0-9_-]{43}$/, "a fresh 32-byte challenge");
    assert.deepEqual(
      { ...options, challenge: "…" },
      { challenge: "…", rpId: "localhost", timeout: 120_000, userVerification: "required", allowCredentials: [] },
    );
    assert.deepEqual([seen.emails, seen.sms], [[], []]);
  },
  "create-email-code": createsCodeRound("EMAIL_OTP", "j***@e***.com", { emails: ["jane.doe@example.com"] }),
  "create-sms-code": createsCodeRound("SMS_OTP", "+********0123", { sms: ["+447700900123"] }),
  // A retry shows the round it retries (the sample's code expires in 2099) and sends nothing.
  "create-email-code-retry": createsCodeRound("EMAIL_OTP", "j***@e***.com", { expiresAt: "2099-01-01T00:00:00.000Z" }),
  "create-user-not-found": createsCodeRound("EMAIL_OTP", "n***@e***.org", {}),
  "create-passkey-registration": (r, seen) => {
    const parameters = publicParameters(r);
    assert.deepEqual(Object.keys(parameters).sort(), ["options", "type"]);
    assert.equal(parameters.type, "PASSKEY_REGISTRATION");
    const options = JSON.parse(parameters.options ?? "{}") as {
      rp: { id: string };
      user: { name: string };
      authenticatorSelection: Record<string, unknown>;
      attestation: string;
      excludeCredentials: unknown[];
    };
    assert.equal(options.rp.id, "localhost");
    assert.equal(options.user.name, "jane.doe@example.com");
    assert.equal(options.authenticatorSelection.residentKey, "required");
    assert.equal(options.authenticatorSelection.userVerification, "preferred");
    assert.equal(options.attestation, "none");
    assert.deepEqual(options.excludeCredentials, [], "the sample user has no passkey yet");
    assert.deepEqual([seen.emails, seen.sms], [[], []]);
  },
  "verify-method-choice": verifyAnswers(false, { reason: "not_a_factor" }),
  "verify-email-code-correct": verifyAnswers(true, { message: "Answer accepted" }),
  "verify-email-code-wrong": verifyAnswers(false, { reason: "wrong_code" }),
  "verify-sms-code-correct": verifyAnswers(true, { message: "Answer accepted" }),
  "verify-passkey-registration-skip": verifyAnswers(true, { message: "Passkey enrolment declined" }),
  "verify-user-not-found": verifyAnswers(false, { reason: "user_not_found" }),
  "pre-sign-up-sign-up": signUpAnswers(true),
  "pre-sign-up-admin-create-user": signUpAnswers(false),
  // The IdP did not verify the email: nobody is looked up.
  "pre-sign-up-external-provider-unverified-email": signUpAnswers(false),
  // Facebook is not a provider the deployment trusts: nobody is looked up.
  "pre-sign-up-external-provider-untrusted-provider": signUpAnswers(false),
  "pre-token-v1-authentication": (r) => assert.deepEqual(r, { claimsOverrideDetails: { claimsToAddOrOverride: EMAIL_CODE_CLAIMS } }),
  "pre-token-v2-authentication": (r) =>
    assert.deepEqual(r, {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: EMAIL_CODE_CLAIMS },
        accessTokenGeneration: { claimsToAddOrOverride: EMAIL_CODE_CLAIMS },
      },
    }),
  "pre-token-v2-refresh": (r) => assert.deepEqual(r, { claimsAndScopeOverrideDetails: null }),
  "passkeys-api-list": apiAnswers(200, { body: { passkeys: [] } }),
  "passkeys-api-list-with-id-token": apiAnswers(401, { error: "unauthorized", reason: "not_an_access_token" }),
  "passkeys-api-rename-unknown-passkey": apiAnswers(404, { error: "not_found", reason: "passkey_not_found" }),
  "passkeys-api-registration-options-after-old-sign-in": apiAnswers(403, { error: "reauthentication_required", reason: "sign_in_too_old" }),
};

const JANE = "8f2e4c1a-5b6d-4e7f-9a0b-1c2d3e4f5a6b";
const CREATED = "0b7a6c5d-4e3f-4a2b-9c1d-8e7f6a5b4c3d";

/**
 * Samples whose function ends the invocation with an error Cognito shows the app: PreSignUp
 * linked the federated identity (README, "Account linking"), to this native user, as this provider
 * and subject, having created the user first or not.
 */
const EXPECTED_ERROR: Record<string, { link: { user: string; provider: string; subject: string }; created: string[] }> = {
  "pre-sign-up-external-provider-verified-email": { link: { user: JANE, provider: "Google", subject: "107316791239512345678" }, created: [] },
  "pre-sign-up-external-provider-lowercase-prefix": { link: { user: JANE, provider: "Google", subject: "107316791239512345678" }, created: [] },
  "pre-sign-up-external-provider-verified-phone": { link: { user: JANE, provider: "Descope", subject: "U2ZmYjM0Mzk2NzRhNDg" }, created: [] },
  "pre-sign-up-external-provider-new-person": {
    link: { user: CREATED, provider: "Descope", subject: "U2NjYTk5ZDc4ZjQ0OTE" },
    created: ["new.person@example.com"],
  },
};

const handlers = new Map<string, AnyHandler>();
let logs: LogCapture;
const ses = mockClient(SESClient);
const sns = mockClient(SNSClient);
const cognito = mockClient(CognitoIdentityProviderClient);

before(async () => {
  setFunctionEnv({
    SIGN_IN_METHODS: "PASSKEY,EMAIL_OTP,SMS_OTP",
    PASSKEY_RP_ID: "localhost",
    PASSKEY_ALLOWED_ORIGINS: "http://localhost:3000",
    LINK_PROVIDERS: "Google,Descope",
    // The pool and app client the samples name (test-kit events.ts), as template.yaml gives them to the passkey API.
    USER_POOL_ID: "eu-west-1_Example01",
    USER_POOL_CLIENT_ID: "3n4b5urk1ft4fl3mg5e62d9ado",
  });
  const dynamo = mockClient(DynamoDBDocumentClient);
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  // No passkey has the id the rename sample names: the conditional update is refused.
  dynamo
    .on(UpdateCommand, { Key: { pk: "PASSKEY#bm8tc3VjaC1wYXNza2V5", sk: "PASSKEY" } })
    .rejects(new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }));
  dynamo.on(PutCommand).resolves({});
  const sample = JSON.parse(readFileSync(new URL("pre-token-v1-authentication.json", folder), "utf8")) as {
    userName: string;
    callerContext: { clientId: string };
  };
  dynamo.on(GetCommand).resolves({
    Item: { clientId: sample.callerContext.clientId, methods: ["email_otp"], level: "urn:cognito:loa:2", verifiedAt: Date.now() },
  });
  ses.resolves({ MessageId: "m" });
  sns.resolves({ MessageId: "s" });
  // The pool has Jane, a native user with her email and phone verified; nobody else.
  const jane = {
    Username: JANE,
    UserStatus: "CONFIRMED" as const,
    Attributes: [
      { Name: "email", Value: "jane.doe@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "phone_number", Value: "+447700900123" },
      { Name: "phone_number_verified", Value: "true" },
    ],
  };
  cognito.resolves({});
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  cognito.on(ListUsersCommand, { Filter: 'email = "jane.doe@example.com"' }).resolves({ Users: [jane] });
  cognito.on(ListUsersCommand, { Filter: 'phone_number = "+447700900123"' }).resolves({ Users: [jane] });
  cognito.on(AdminCreateUserCommand).resolves({ User: { Username: CREATED } });
  for (const name of [...FUNCTION_OF_SOURCE.map(([, name]) => name), PASSKEYS_API]) {
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
      const event = JSON.parse(readFileSync(new URL(file, folder), "utf8")) as { triggerSource?: string; routeKey?: string };
      const name = functionOf(event);
      assert.ok(name, `a function handles ${event.triggerSource ?? event.routeKey}`);
      const sample = file.replace(/\.json$/, "");
      logs.clear();
      ses.resetHistory();
      sns.resetHistory();
      cognito.resetHistory();
      const error = EXPECTED_ERROR[sample];
      if (error !== undefined) {
        await assert.rejects(handlers.get(name)!(event), (thrown: unknown) => thrown instanceof Error && /^ACCOUNT_LINKED: /.test(thrown.message));
        const links = cognito.commandCalls(AdminLinkProviderForUserCommand).map((call) => call.args[0].input);
        assert.deepEqual(links, [
          {
            UserPoolId: "eu-west-1_Example01",
            DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: error.link.user },
            SourceUser: { ProviderName: error.link.provider, ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: error.link.subject },
          },
        ]);
        assert.deepEqual(
          cognito.commandCalls(AdminCreateUserCommand).map((call) => call.args[0].input.Username),
          error.created,
        );
        return;
      }
      const result = await handlers.get(name)!(event);
      const expectation = EXPECTED[sample];
      assert.ok(expectation, `an expected outcome for ${sample}`);
      // A trigger answers with its event's response; the API with the HTTP response itself.
      expectation(name === PASSKEYS_API ? (result as unknown as Record<string, unknown>) : result.response, {
        logs: [...logs.lines],
        emails: ses.commandCalls(SendEmailCommand).flatMap((call) => call.args[0].input.Destination?.ToAddresses ?? []),
        sms: sns.commandCalls(PublishCommand).map((call) => call.args[0].input.PhoneNumber ?? ""),
        cognitoCalls: cognito.calls().length,
      });
    });
  }
});
