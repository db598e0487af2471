/**
 * The five trigger functions of template.yaml: how they run (runtime, timeout), which variables
 * they get, which AWS calls they may make, and that their code is where the template says.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readCodeConfig, readFlowConfig, readLinkConfig, readStoreConfig } from "../../lib/config.ts";
import { functionEnvironment, listFunctions, type ResolveOptions } from "../../scripts/lib/function-environment.ts";
import { readTemplate, type Template } from "../../scripts/lib/read-template.ts";

const template = readTemplate();
const copy = () => structuredClone(template);
const ROOT = join(import.meta.dirname, "..", "..");
const RESOLVE: ResolveOptions = {
  resources: { Table: "passwordless-test" },
  pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::StackName": "passwordless" },
};

const FLOW = ["SIGN_IN_METHODS", "CODE_MAX_ATTEMPTS", "PASSKEY_REGISTRATION_MAX_ATTEMPTS"];
// Each function names its own service in its logs (lib/logger.ts); only the level is configured.
const LOGGING = ["POWERTOOLS_LOG_LEVEL"];
const CODES = [
  "CODE_LENGTH", "CODE_TTL_SECONDS", "RATE_LIMIT_WINDOW_SECONDS", "RATE_LIMIT_PER_USER", "RATE_LIMIT_PER_DESTINATION",
  "SMS_ALLOWED_COUNTRY_CODES", "SMS_SENDER_ID", "EMAIL_FROM", "EMAIL_SUBJECT", "APP_NAME",
];

const PASSKEYS = [
  "PASSKEY_RP_ID", "PASSKEY_RP_NAME", "PASSKEY_ALLOWED_ORIGINS", "PASSKEY_USER_VERIFICATION", "PASSKEY_MAX_PER_USER",
];

/** Each function, the folder its code is built from, the variables it reads, and the AWS actions it may call. */
const EXPECTED: Record<string, { folder: string; variables: string[]; actions: string[] }> = {
  DefineAuthChallengeFunction: { folder: "define-auth-challenge", variables: [...LOGGING, ...FLOW], actions: [] },
  CreateAuthChallengeFunction: {
    folder: "create-auth-challenge",
    variables: [...LOGGING, ...FLOW, ...CODES, ...PASSKEYS, "TABLE_NAME"],
    actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "ses:SendEmail", "sns:Publish"],
  },
  VerifyAuthChallengeResponseFunction: {
    folder: "verify-auth-challenge-response",
    variables: [...LOGGING, ...FLOW, ...PASSKEYS, "APP_NAME", "EMAIL_FROM", "SMS_ALLOWED_COUNTRY_CODES", "SMS_SENDER_ID", "TABLE_NAME"],
    actions: [
      "cognito-idp:AdminDeleteUserAttributes",
      "cognito-idp:AdminUpdateUserAttributes",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
      "ses:SendEmail",
      "sns:Publish",
    ],
  },
  PreSignUpFunction: {
    folder: "pre-sign-up",
    variables: [...LOGGING, "LINK_PROVIDERS", "LINK_CREATES_NATIVE_USER"],
    actions: ["cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser", "cognito-idp:AdminLinkProviderForUser", "cognito-idp:ListUsers"],
  },
  PreTokenGenerationFunction: { folder: "pre-token-generation", variables: [...LOGGING, "TABLE_NAME"], actions: ["dynamodb:GetItem"] },
};

const USER_POOLS_OF_THIS_ACCOUNT = "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/*";
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A function's policy statements; anything other than a plain policy document is reported, not read. */
function statementsOf(t: Template, logicalId: string): { statements: Statement[]; problems: string[] } {
  const problems: string[] = [];
  const statements: Statement[] = [];
  for (const policy of list(t.Resources[logicalId]?.Properties?.["Policies"] as unknown)) {
    if (typeof policy === "object" && policy !== null && "Statement" in policy) statements.push(...list((policy as { Statement: Statement[] }).Statement));
    else problems.push(`${logicalId}: policy ${JSON.stringify(policy)} is a managed policy or SAM template, whose reach this test cannot see.`);
  }
  return { statements, problems };
}

/** Least privilege, as sentences: exactly the expected actions, no wildcards, resources scoped. */
function permissionProblems(t: Template): string[] {
  const problems: string[] = [];
  for (const [logicalId, expected] of Object.entries(EXPECTED)) {
    const { statements, problems: unreadable } = statementsOf(t, logicalId);
    problems.push(...unreadable);
    const allowed = new Set<string>();
    for (const statement of statements) {
      const where = `${logicalId} statement ${statement.Sid ?? "(no Sid)"}`;
      for (const key of Object.keys(statement)) if (!STATEMENT_KEYS.has(key)) problems.push(`${where}: ${key} is not an IAM statement key.`);
      if (statement.Effect !== "Allow" && statement.Effect !== "Deny") problems.push(`${where}: Effect must be Allow or Deny.`);
      if ("NotAction" in statement || "NotResource" in statement) problems.push(`${where}: NotAction/NotResource grant more than they name.`);
      if (statement.Effect !== "Allow") continue;
      const actions = list(statement.Action);
      for (const action of actions) {
        if (action.includes("*")) problems.push(`${where}: wildcard action ${action}.`);
        allowed.add(action);
      }
      for (const resource of list(statement.Resource)) {
        const text = JSON.stringify(resource);
        if (resource === "*" && !(actions.length === 1 && actions[0] === "sns:Publish")) {
          problems.push(`${where}: Resource "*" for ${actions.join(", ")} (only SMS publishing needs it).`);
        }
        if (actions.some((action) => action.startsWith("dynamodb:")) && !/"Table(\.Arn)?"|\$\{Table\.Arn\}/.test(text)) {
          problems.push(`${where}: DynamoDB access to ${text}, not to the suite's table.`);
        }
        if (actions.some((action) => action.startsWith("cognito-idp:")) && text !== JSON.stringify({ "Fn::Sub": USER_POOLS_OF_THIS_ACCOUNT })) {
          problems.push(`${where}: Cognito access to ${text}, not to this account's user pools in this region.`);
        }
      }
    }
    const actual = [...allowed].sort();
    if (JSON.stringify(actual) !== JSON.stringify([...expected.actions].sort())) {
      problems.push(`${logicalId}: may call ${actual.join(", ") || "nothing"}; expected ${expected.actions.join(", ") || "nothing"}.`);
    }
  }
  return problems;
}

/** Runtime and timeout of every function, after Globals: Node.js 22 or newer, at most Cognito's 5 seconds. */
function runtimeProblems(t: Template): string[] {
  return listFunctions(t).flatMap((logicalId) => {
    const fn = functionEnvironment(t, logicalId, RESOLVE);
    const problems: string[] = [];
    const major = /^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1];
    if (major === undefined || Number(major) < 22) problems.push(`${logicalId}: runtime ${fn.runtime}, expected nodejs22.x or newer.`);
    if (fn.timeoutSeconds > 5) problems.push(`${logicalId}: timeout ${fn.timeoutSeconds} s, but Cognito waits only 5 s.`);
    return problems;
  });
}

describe("trigger functions in template.yaml", () => {
  it("are exactly the five triggers, each built from its own functions/ folder", () => {
    assert.deepEqual(listFunctions(template).sort(), Object.keys(EXPECTED).sort());
    for (const [logicalId, { folder }] of Object.entries(EXPECTED)) {
      assert.equal(functionEnvironment(template, logicalId, RESOLVE).codeUri, `dist/${folder}/`);
    }
  });

  it("run on Node.js 22 or newer on arm64, with at most Cognito's 5 second limit", () => {
    assert.deepEqual(runtimeProblems(template), []);
    assert.deepEqual(template.Globals?.["Function"]?.["Architectures"], ["arm64"]);
  });

  it("an older runtime or a longer timeout on one function is caught", () => {
    const broken = copy();
    broken.Resources["PreSignUpFunction"]!.Properties!["Runtime"] = "nodejs20.x";
    broken.Resources["PreTokenGenerationFunction"]!.Properties!["Timeout"] = 10;
    assert.deepEqual(runtimeProblems(broken), [
      "PreSignUpFunction: runtime nodejs20.x, expected nodejs22.x or newer.",
      "PreTokenGenerationFunction: timeout 10 s, but Cognito waits only 5 s.",
    ]);
  });

  for (const [logicalId, { variables }] of Object.entries(EXPECTED)) {
    it(`${logicalId} gets only the variables it reads`, () => {
      assert.deepEqual(Object.keys(functionEnvironment(template, logicalId, RESOLVE).environment).sort(), [...variables].sort());
    });
  }

  it("PreSignUp trusts the template's OIDC provider and the further providers named, nothing else", () => {
    const env = functionEnvironment(template, "PreSignUpFunction", {
      ...RESOLVE,
      parameters: { OidcProviderName: "Descope", LinkProviders: "Google", LinkCreatesNativeUser: "false" },
    }).environment;
    const link = readLinkConfig(env);
    assert.deepEqual(link.trustedProviders, ["Descope", "Google"]);
    assert.equal(link.createNativeUser, false);
  });

  it("with the template's defaults, every function's configuration is valid", () => {
    const env = (logicalId: string) => functionEnvironment(template, logicalId, RESOLVE).environment;
    const flow = readFlowConfig(env("DefineAuthChallengeFunction"));
    assert.deepEqual(flow.signInMethods, ["EMAIL_OTP", "SMS_OTP"]);
    const create = env("CreateAuthChallengeFunction");
    const codes = readCodeConfig(create, readFlowConfig(create));
    assert.equal(codes.codeLength, 6);
    assert.equal(codes.emailFrom, "no-reply@example.com");
    assert.deepEqual(codes.smsAllowedCountryCodes, ["1", "44"]);
    assert.equal(codes.smsSenderId, undefined, "an empty SmsSenderId means none");
    assert.equal(readStoreConfig(create).tableName, "passwordless-test");
    const verify = env("VerifyAuthChallengeResponseFunction");
    assert.equal(readFlowConfig(verify).codeMaxAttempts, 3);
    assert.equal(readStoreConfig(verify).tableName, "passwordless-test");
    assert.equal(readStoreConfig(env("PreTokenGenerationFunction")).tableName, "passwordless-test");
    // No identity provider by default: nothing is ever linked until the operator names one.
    const link = readLinkConfig(env("PreSignUpFunction"));
    assert.deepEqual(link.trustedProviders, []);
    assert.equal(link.createNativeUser, true);
  });

  it("may call only the AWS actions they need, on the suite's table and this account's user pools", () => {
    assert.deepEqual(permissionProblems(template), []);
  });

  it("an extra action, a wildcard or an unscoped resource is caught", () => {
    const broken = copy();
    const verify = statementsOf(broken, "VerifyAuthChallengeResponseFunction").statements;
    verify[0]!.Action = [...list(verify[0]!.Action), "dynamodb:DeleteItem"];
    verify.find((statement) => statement.Sid === "MaintainAddressesAndCachePasskeyKeys")!.Resource = "*";
    statementsOf(broken, "PreTokenGenerationFunction").statements[0]!.Action = "dynamodb:*";
    const problems = permissionProblems(broken).join("\n");
    assert.match(problems, /VerifyAuthChallengeResponseFunction: may call .*dynamodb:DeleteItem/);
    assert.match(problems, /VerifyAuthChallengeResponseFunction statement MaintainAddressesAndCachePasskeyKeys: Resource "\*"/);
    assert.match(problems, /PreTokenGenerationFunction statement ReadSignInRecord: wildcard action dynamodb:\*/);
  });

  for (const sender of ["CreateAuthChallengeFunction", "VerifyAuthChallengeResponseFunction"]) {
    it(`${sender} sends email only from the configured sender, and SMS never to a topic`, () => {
      const { statements } = statementsOf(template, sender);
      const email = statements.find((statement) => list(statement.Action).includes("ses:SendEmail"));
      assert.deepEqual(email?.Condition, { StringEquals: { "ses:FromAddress": { Ref: "EmailFrom" } } });
      const denyTopics = statements.find((statement) => statement.Effect === "Deny");
      assert.deepEqual(denyTopics?.Action, "sns:Publish");
      assert.deepEqual(denyTopics?.Resource, { "Fn::Sub": "arn:${AWS::Partition}:sns:*:*:*" });
    });
  }

  it("are not wired to the pool through SAM's Cognito event (it would set only the V1 pre token key)", () => {
    for (const logicalId of listFunctions(template)) {
      const events = (template.Resources[logicalId]!.Properties!["Events"] ?? {}) as Record<string, { Type: string }>;
      assert.deepEqual(Object.values(events).filter((event) => event.Type === "Cognito"), [], logicalId);
    }
  });
});

describe("built code of the trigger functions (npm run build, which npm test runs first)", () => {
  for (const [logicalId, { folder }] of Object.entries(EXPECTED)) {
    it(`${logicalId}: CodeUri and Handler point at the bundle built from functions/${folder}/index.ts`, () => {
      assert.ok(existsSync(join(ROOT, "functions", folder, "index.ts")), `functions/${folder}/index.ts does not exist yet`);
      const fn = functionEnvironment(template, logicalId, RESOLVE);
      assert.equal(fn.handlerFile, join(ROOT, "dist", folder, "index.mjs"));
      assert.equal(fn.exportName, "handler");
      assert.ok(existsSync(fn.handlerFile), `${fn.handlerFile} is missing: run npm run build`);
    });
  }

  it("every function folder with an index.ts is deployed by the template", () => {
    const folders = existsSync(join(ROOT, "functions"))
      ? readdirSync(join(ROOT, "functions")).filter((name) => existsSync(join(ROOT, "functions", name, "index.ts")))
      : [];
    const deployed = new Set(Object.values(EXPECTED).map(({ folder }) => folder));
    assert.deepEqual(folders.filter((folder) => !deployed.has(folder)), []);
  });
});
