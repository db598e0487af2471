/**
 * The functions of template.yaml, the five triggers (or, with TriggerLayout Combined, the one
 * function serving all five) and the passkey API's: how they run (runtime,
 * timeout), which variables they get, which AWS calls they may make, and that their code is where
 * the template says. (test/template/passkeys-api.test.ts has the passkey API's HttpApi.)
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readCodeConfig, readFlowConfig, readLinkConfig, readStoreConfig } from "../../lib/config.ts";
import { functionEnvironment, listFunctions, type ResolveOptions } from "@cognito-passwordless/test-kit/function-environment.ts";
import { type PolicyStatement, attachedPolicies, functionStatements } from "@cognito-passwordless/test-kit/function-policies.ts";
import { readTemplate, type Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { COMBINED_FUNCTION, SEPARATE_TRIGGER_FUNCTIONS } from "./trigger-layout.ts";

const template = readTemplate();
const copy = () => structuredClone(template);
const ROOT = join(import.meta.dirname, "..", "..");
const RESOLVE: ResolveOptions = {
  resources: { Table: "passwordless-test", UserPool: "eu-west-1_Example01", UserPoolClient: "3n4b5urk1ft4fl3mg5e62d9ado" },
  pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::StackName": "passwordless" },
};

const FLOW = ["SIGN_IN_METHODS", "CODE_MAX_ATTEMPTS", "PASSKEY_REGISTRATION_MAX_ATTEMPTS"];
// Each function names its own service in its logs (lib/logger.ts); only the level is configured.
const LOGGING = ["LOG_LEVEL"];
const CODES = [
  "CODE_LENGTH",
  "CODE_TTL_SECONDS",
  "RATE_LIMIT_WINDOW_SECONDS",
  "RATE_LIMIT_PER_USER",
  "RATE_LIMIT_PER_DESTINATION",
  "SMS_ALLOWED_COUNTRY_CODES",
  "SMS_SENDER_ID",
  "EMAIL_FROM",
  "EMAIL_SUBJECT",
  "APP_NAME",
];

const PASSKEYS = ["PASSKEY_RP_ID", "PASSKEY_RP_NAME", "PASSKEY_ALLOWED_ORIGINS", "PASSKEY_USER_VERIFICATION", "PASSKEY_MAX_PER_USER"];
// The deployment-wide SMS budget (lib/store/sms-budget.ts), counted by CreateAuthChallenge.
const SMS_BUDGET = ["SMS_BUDGET_WINDOW_SECONDS", "SMS_BUDGET_PER_WINDOW", "SMS_BUDGET_PER_COUNTRY_PER_WINDOW"];

/** Where in the suite's table a DynamoDB statement acts. */
const TABLE = "the table";
const GSI1 = "index gsi1";
/**
 * DynamoDB actions on the table or on index gsi1, for items whose partition key (the index's, on
 * gsi1) matches one of `keys` (IAM StringLike patterns). lib/store/keys.ts has the key design.
 */
interface ItemGrant {
  actions: string[];
  on: typeof TABLE | typeof GSI1;
  keys: string[];
}

/** Each function, the folder its code is built from, the variables it reads, the AWS actions it may call, and the items it may reach. */
const EXPECTED: Record<string, { folder: string; variables: string[]; actions: string[]; items: ItemGrant[] }> = {
  DefineAuthChallengeFunction: { folder: "define-auth-challenge", variables: [...LOGGING, ...FLOW], actions: [], items: [] },
  CreateAuthChallengeFunction: {
    folder: "create-auth-challenge",
    variables: [...LOGGING, ...FLOW, ...CODES, ...SMS_BUDGET, ...PASSKEYS, "TABLE_NAME"],
    actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "ses:SendEmail", "sns:Publish"],
    items: [
      // code-sends.ts: rate-limit counters and codes; sms-budget.ts: the one SMSBUDGET partition.
      { actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], on: TABLE, keys: ["CODES#*", "SMSBUDGET"] },
      // sign-in-records.ts findFirstProof: read only.
      { actions: ["dynamodb:GetItem"], on: TABLE, keys: ["SIGNIN#*"] },
      // passkey-credentials.ts listForUser, for the enrolment options.
      { actions: ["dynamodb:Query"], on: GSI1, keys: ["USER#*"] },
    ],
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
    items: [
      { actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], on: TABLE, keys: ["SIGNIN#*"] },
      { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], on: TABLE, keys: ["PASSKEY#*"] },
      { actions: ["dynamodb:Query"], on: GSI1, keys: ["USER#*"] },
      // passkey-challenges.ts takeForSignIn: a sign-in without a username takes its challenge.
      { actions: ["dynamodb:UpdateItem"], on: TABLE, keys: ["CHALLENGE#*"] },
    ],
  },
  PreSignUpFunction: {
    folder: "pre-sign-up",
    variables: [...LOGGING, "LINK_PROVIDERS", "LINK_CREATES_NATIVE_USER"],
    actions: ["cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser", "cognito-idp:AdminLinkProviderForUser", "cognito-idp:ListUsers"],
    items: [],
  },
  PreTokenGenerationFunction: {
    folder: "pre-token-generation",
    variables: [...LOGGING, "TABLE_NAME"],
    actions: ["dynamodb:GetItem"],
    items: [{ actions: ["dynamodb:GetItem"], on: TABLE, keys: ["SIGNIN#*"] }],
  },
  PasskeysApiFunction: {
    folder: "passkeys-api",
    variables: [
      ...LOGGING,
      ...PASSKEYS,
      "TABLE_NAME",
      "USER_POOL_ID",
      "USER_POOL_CLIENT_ID",
      "SIGN_IN_METHODS",
      "PASSKEY_REAUTH_MAX_AGE_SECONDS",
      "APP_NAME",
      "EMAIL_FROM",
      "SMS_ALLOWED_COUNTRY_CODES",
      "SMS_SENDER_ID",
    ],
    actions: [
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminUpdateUserAttributes",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
      "ses:SendEmail",
      "sns:Publish",
    ],
    items: [
      // sign-in-records.ts: passkeyStates and the revocation's refused-write read; revokePasskeyKey and addPasskeyKey.
      { actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], on: TABLE, keys: ["SIGNIN#*"] },
      // passkey-credentials.ts: get, create, renameForUser, deleteForUser.
      { actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], on: TABLE, keys: ["PASSKEY#*"] },
      // passkey-challenges.ts: issue and consume, nothing else.
      { actions: ["dynamodb:PutItem", "dynamodb:DeleteItem"], on: TABLE, keys: ["CHALLENGE#*"] },
      // passkey-credentials.ts listForUser.
      { actions: ["dynamodb:Query"], on: GSI1, keys: ["USER#*"] },
    ],
  },
};

/**
 * TriggerLayout Combined: one function in place of the five triggers', reading every variable any
 * of them reads and allowed exactly what they are allowed together (test/template/trigger-layout.test.ts
 * compares its statements with theirs one by one).
 */
const TRIGGER_FUNCTIONS = Object.values(SEPARATE_TRIGGER_FUNCTIONS).map((logicalId) => EXPECTED[logicalId]!);
EXPECTED[COMBINED_FUNCTION] = {
  folder: "sign-in-triggers",
  variables: [...new Set(TRIGGER_FUNCTIONS.flatMap(({ variables }) => variables))],
  actions: [...new Set(TRIGGER_FUNCTIONS.flatMap(({ actions }) => actions))],
  items: TRIGGER_FUNCTIONS.flatMap(({ items }) => items),
};

/** The one user pool of the template; every Cognito admin permission names it and no other. */
const THIS_POOL = { "Fn::GetAtt": ["UserPool", "Arn"] };
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
type Statement = PolicyStatement;

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every statement a function runs with (packages/test-kit/src/function-policies.ts). */
function statementsOf(t: Template, logicalId: string): { statements: Statement[]; problems: string[] } {
  return functionStatements(t, logicalId);
}

/** `dynamodb:GetItem on the table for SIGNIN#*`: one action, where, for which partition keys. */
function itemGrants(grants: ItemGrant[]): string[] {
  return grants.flatMap(({ actions, on, keys }) => actions.flatMap((action) => keys.map((key) => `${action} on ${on} for ${key}`)));
}

function tablePart(resource: unknown): string {
  const text = JSON.stringify(resource);
  if (text === JSON.stringify({ "Fn::GetAtt": ["Table", "Arn"] })) return TABLE;
  if (text === JSON.stringify({ "Fn::Sub": "${Table.Arn}/index/gsi1" })) return GSI1;
  return text;
}

/**
 * The items a DynamoDB statement reaches, and what is wrong with its key condition. Without a
 * `ForAllValues:StringLike` on dynamodb:LeadingKeys it reaches every partition key (`*`); without
 * `Null: "false"` beside it, a request carrying no leading key would pass the ForAllValues test.
 */
function dynamoReach(statement: Statement, where: string): { grants: ItemGrant[]; problems: string[] } {
  const problems: string[] = [];
  const leading = statement.Condition?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"];
  const keys = leading === undefined ? ["*"] : list(leading as string | string[]);
  if (leading === undefined) problems.push(`${where}: no ForAllValues:StringLike condition on dynamodb:LeadingKeys, so it reaches every item.`);
  else if (String(statement.Condition?.["Null"]?.["dynamodb:LeadingKeys"]) !== "false") {
    problems.push(`${where}: no Null "false" guard on dynamodb:LeadingKeys (ForAllValues is true for a request without leading keys).`);
  }
  const actions = list(statement.Action).filter((action) => action.startsWith("dynamodb:"));
  const grants = list(statement.Resource).map((resource) => ({ actions, on: tablePart(resource) as ItemGrant["on"], keys }));
  return { grants, problems };
}

/** Least privilege, as sentences: exactly the expected actions, no wildcards, resources scoped. */
function permissionProblems(t: Template): string[] {
  const problems: string[] = [];
  for (const [logicalId, expected] of Object.entries(EXPECTED)) {
    const { statements, problems: unreadable } = statementsOf(t, logicalId);
    problems.push(...unreadable);
    const allowed = new Set<string>();
    const reached: ItemGrant[] = [];
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
      if (actions.some((action) => action.startsWith("dynamodb:"))) {
        const { grants, problems: keyProblems } = dynamoReach(statement, where);
        reached.push(...grants);
        problems.push(...keyProblems);
      }
      for (const resource of list(statement.Resource)) {
        const text = JSON.stringify(resource);
        if (resource === "*" && !(actions.length === 1 && actions[0] === "sns:Publish")) {
          problems.push(`${where}: Resource "*" for ${actions.join(", ")} (only SMS publishing needs it).`);
        }
        if (actions.some((action) => action.startsWith("dynamodb:")) && !/"Table(\.Arn)?"|\$\{Table\.Arn\}/.test(text)) {
          problems.push(`${where}: DynamoDB access to ${text}, not to the suite's table.`);
        }
        if (actions.some((action) => action.startsWith("cognito-idp:"))) {
          if (text.includes("userpool/*")) problems.push(`${where}: Cognito access to every user pool of the account (${text}), not to UserPool alone.`);
          else if (text !== JSON.stringify(THIS_POOL)) problems.push(`${where}: Cognito access to ${text}, not to this pool (!GetAtt UserPool.Arn).`);
        }
      }
    }
    const actual = [...allowed].sort();
    if (JSON.stringify(actual) !== JSON.stringify([...expected.actions].sort())) {
      problems.push(`${logicalId}: may call ${actual.join(", ") || "nothing"}; expected ${expected.actions.join(", ") || "nothing"}.`);
    }
    const granted = new Set(itemGrants(reached));
    const needed = new Set(itemGrants(expected.items));
    for (const grant of [...granted].sort()) if (!needed.has(grant)) problems.push(`${logicalId}: may ${grant}, which its code does not need.`);
    for (const grant of [...needed].sort()) if (!granted.has(grant)) problems.push(`${logicalId}: may not ${grant}, which its code needs.`);
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

describe("functions in template.yaml", () => {
  it("are exactly the five triggers, their combined function and the passkey API, each built from its own functions/ folder", () => {
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
    assert.deepEqual(codes.smsBudget, { windowSeconds: 3600, perWindow: 500, perCountryPerWindow: 200 });
    const verify = env("VerifyAuthChallengeResponseFunction");
    assert.equal(readFlowConfig(verify).codeMaxAttempts, 3);
    assert.equal(readStoreConfig(verify).tableName, "passwordless-test");
    assert.equal(readStoreConfig(env("PreTokenGenerationFunction")).tableName, "passwordless-test");
    // No identity provider by default: nothing is ever linked until the operator names one.
    const link = readLinkConfig(env("PreSignUpFunction"));
    assert.deepEqual(link.trustedProviders, []);
    assert.equal(link.createNativeUser, true);
  });

  it("the SMS budget parameters' bounds are values CreateAuthChallenge accepts", () => {
    for (const name of ["SmsBudgetWindowSeconds", "SmsBudgetPerWindow", "SmsBudgetPerCountryPerWindow"]) {
      const parameter = template.Parameters![name]!;
      assert.equal(parameter.Type, "Number", name);
      for (const bound of [parameter["MinValue"], parameter["MaxValue"]]) {
        assert.equal(typeof bound, "number", `${name} has a MinValue and a MaxValue`);
        const env = functionEnvironment(template, "CreateAuthChallengeFunction", { ...RESOLVE, parameters: { [name]: String(bound) } }).environment;
        assert.doesNotThrow(() => readCodeConfig(env, readFlowConfig(env)), `${name} = ${String(bound)}`);
      }
    }
  });

  it("may call only the AWS actions they need, on the suite's table (only the partition keys their code uses) and this user pool", () => {
    assert.deepEqual(permissionProblems(template), []);
  });

  it("every DynamoDB permission is conditioned on the partition keys, with the Null guard", () => {
    for (const logicalId of Object.keys(EXPECTED)) {
      for (const statement of statementsOf(template, logicalId).statements) {
        if (!list(statement.Action).some((action) => action.startsWith("dynamodb:"))) continue;
        assert.ok(Array.isArray(statement.Condition?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"]), `${logicalId} ${statement.Sid}`);
        assert.equal(statement.Condition?.["Null"]?.["dynamodb:LeadingKeys"], "false", `${logicalId} ${statement.Sid}`);
      }
    }
  });

  it("a DynamoDB statement without the key condition, with a wider prefix or without the Null guard is caught", () => {
    const broken = copy();
    const sid = (logicalId: string, name: string) => statementsOf(broken, logicalId).statements.find((statement) => statement.Sid === name)!;
    delete sid("PreTokenGenerationFunction", "ReadSignInRecord").Condition;
    sid("VerifyAuthChallengeResponseFunction", "SignInRecords").Condition!["ForAllValues:StringLike"]!["dynamodb:LeadingKeys"] = ["*"];
    delete sid("CreateAuthChallengeFunction", "ListUserPasskeysForEnrolment").Condition!["Null"];
    sid("CreateAuthChallengeFunction", "CodeRecordsAndSmsBudget").Condition!["ForAllValues:StringLike"]!["dynamodb:LeadingKeys"] = ["CODES#*", "SMSBUDGET*"];
    const problems = permissionProblems(broken);
    const text = problems.join("\n");
    assert.match(text, /PreTokenGenerationFunction statement ReadSignInRecord: no ForAllValues:StringLike condition on dynamodb:LeadingKeys/);
    assert.ok(problems.includes("PreTokenGenerationFunction: may dynamodb:GetItem on the table for *, which its code does not need."), text);
    assert.ok(problems.includes("VerifyAuthChallengeResponseFunction: may dynamodb:UpdateItem on the table for *, which its code does not need."), text);
    assert.ok(problems.includes("VerifyAuthChallengeResponseFunction: may not dynamodb:UpdateItem on the table for SIGNIN#*, which its code needs."), text);
    assert.match(text, /CreateAuthChallengeFunction statement ListUserPasskeysForEnrolment: no Null "false" guard/);
    assert.ok(problems.includes("CreateAuthChallengeFunction: may dynamodb:UpdateItem on the table for SMSBUDGET*, which its code does not need."), text);
  });

  it("a key prefix granted for the wrong action or on the wrong part of the table is caught", () => {
    const broken = copy();
    const verify = statementsOf(broken, "VerifyAuthChallengeResponseFunction").statements;
    // Passkey items may be read and put, never updated; and gsi1 is queried only by user.
    verify.find((statement) => statement.Sid === "Passkeys")!.Action = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
    verify.find((statement) => statement.Sid === "ListUserPasskeys")!.Resource = { "Fn::GetAtt": ["Table", "Arn"] };
    const problems = permissionProblems(broken);
    assert.ok(problems.includes("VerifyAuthChallengeResponseFunction: may dynamodb:UpdateItem on the table for PASSKEY#*, which its code does not need."));
    assert.ok(problems.includes("VerifyAuthChallengeResponseFunction: may dynamodb:Query on the table for USER#*, which its code does not need."));
    assert.ok(problems.includes("VerifyAuthChallengeResponseFunction: may not dynamodb:Query on index gsi1 for USER#*, which its code needs."));
  });

  it("call Cognito only on this user pool, through role policies on the role SAM generates for them", () => {
    for (const logicalId of ["VerifyAuthChallengeResponseFunction", "PreSignUpFunction", COMBINED_FUNCTION]) {
      const own = list(template.Resources[logicalId]!.Properties!["Policies"] as { Statement?: Statement[] }[]).flatMap((policy) => list(policy.Statement));
      assert.deepEqual(
        own.filter((statement) => list(statement.Action).some((action) => action.startsWith("cognito-idp:"))),
        [],
        `${logicalId}'s own Policies cannot name the pool`,
      );
      const attached = attachedPolicies(template, logicalId);
      assert.equal(attached.length, 1, `${logicalId}: one policy on ${logicalId}Role`);
      assert.equal(template.Resources[attached[0]!.policyId]!.Type, "AWS::IAM::RolePolicy");
      for (const statement of (attached[0]!.document as { Statement: Statement[] }).Statement) {
        assert.ok(
          list(statement.Action).every((action) => action.startsWith("cognito-idp:")),
          attached[0]!.policyId,
        );
        assert.deepEqual(statement.Resource, THIS_POOL, attached[0]!.policyId);
      }
    }
  });

  it("Cognito access to every pool of the account (userpool/*), or an attached policy's extra action, is caught", () => {
    const broken = copy();
    const everyPool = { "Fn::Sub": "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/*" };
    statementsOf(broken, "PreSignUpFunction").statements.find((statement) => statement.Sid === "LinkFederatedUsers")!.Resource = everyPool;
    // A policy on another function's generated role counts as that function's permission.
    broken.Resources["ExtraPolicy"] = {
      Type: "AWS::IAM::Policy",
      Properties: {
        PolicyName: "extra",
        Roles: [{ Ref: "PreTokenGenerationFunctionRole" }],
        PolicyDocument: { Version: "2012-10-17", Statement: [{ Sid: "Extra", Effect: "Allow", Action: "cognito-idp:AdminDeleteUser", Resource: THIS_POOL }] },
      },
    };
    const problems = permissionProblems(broken).join("\n");
    assert.match(problems, /PreSignUpFunction statement LinkFederatedUsers: Cognito access to every user pool of the account/);
    assert.match(problems, /PreTokenGenerationFunction: may call cognito-idp:AdminDeleteUser, dynamodb:GetItem; expected dynamodb:GetItem\./);
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

  for (const sender of ["CreateAuthChallengeFunction", "VerifyAuthChallengeResponseFunction", COMBINED_FUNCTION]) {
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
      assert.deepEqual(
        Object.values(events).filter((event) => event.Type === "Cognito"),
        [],
        logicalId,
      );
    }
  });
});

describe("built code of the functions (npm run build, which npm test runs first)", () => {
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
    assert.deepEqual(
      folders.filter((folder) => !deployed.has(folder)),
      [],
    );
  });
});
