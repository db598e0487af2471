/**
 * TriggerLayout: the five trigger functions (Separate, the default) or one function serving all
 * five (Combined). The combined function must be able to do exactly what the five can do together:
 * the same variables and every one of their IAM statements, compared with theirs programmatically,
 * so a statement added to one side and not the other fails here. And each layout must deploy on its
 * own: nothing that exists in one layout names a function of the other.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionEnvironment, type ResolveOptions } from "@cognito-passwordless/test-kit/function-environment.ts";
import { type PolicyStatement, attachedPolicies, functionStatements } from "@cognito-passwordless/test-kit/function-policies.ts";
import { readTemplate, type Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { referenceProblems } from "./references.ts";
import { checkTemplateAgainstSpec } from "./spec-check.ts";
import { COMBINED_FUNCTION, SEPARATE_TRIGGER_FUNCTIONS, TRIGGER_LAYOUTS, deployedTemplate, withLayout } from "./trigger-layout.ts";

const template = readTemplate();
const SEPARATE = Object.values(SEPARATE_TRIGGER_FUNCTIONS);
const RESOLVE: ResolveOptions = {
  resources: { Table: "passwordless-test", UserPool: "eu-west-1_Example01", UserPoolClient: "3n4b5urk1ft4fl3mg5e62d9ado" },
  pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::StackName": "passwordless" },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Logical ids a value names (Ref, GetAtt, ${…} of Sub), leaving out what an Fn::If on the layout's conditions chooses between. */
function namedOutsideLayoutChoice(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(namedOutsideLayoutChoice);
  if (typeof value === "string") return [];
  if (!isRecord(value)) return [];
  const [key, argument] = Object.entries(value)[0] ?? [];
  if (Object.keys(value).length === 1) {
    if (key === "Fn::If" && Array.isArray(argument) && (argument[0] === "CombinedTriggers" || argument[0] === "SeparateTriggers")) return [];
    if (key === "Ref") return [String(argument)];
    if (key === "Fn::GetAtt") return [Array.isArray(argument) ? String(argument[0]) : String(argument).split(".")[0]!];
    if (key === "Fn::Sub") {
      const text = Array.isArray(argument) ? String(argument[0]) : String(argument);
      const names = [...text.matchAll(/\$\{([^!}][^}.]*)[^}]*\}/g)].map((match) => match[1]!);
      return [...names, ...namedOutsideLayoutChoice(Array.isArray(argument) ? argument[1] : undefined)];
    }
  }
  return Object.values(value).flatMap(namedOutsideLayoutChoice);
}

/** A function and the role SAM generates for it: a resource naming either depends on the function. */
function isOrServes(name: string, functions: readonly string[]): boolean {
  return functions.some((fn) => name === fn || name === `${fn}Role`);
}

/** The resources that need these functions, and what is wrong with their conditions. */
function conditionProblems(t: Template): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(t.Resources)) {
    const named = [...namedOutsideLayoutChoice(resource.Properties), ...([] as string[]).concat(resource.DependsOn ?? [])];
    const own = SEPARATE.includes(logicalId) ? "SeparateTriggers" : logicalId === COMBINED_FUNCTION ? "CombinedTriggers" : undefined;
    const needs = new Set<string>(own === undefined ? [] : [own]);
    if (named.some((name) => isOrServes(name, SEPARATE))) needs.add("SeparateTriggers");
    if (named.some((name) => isOrServes(name, [COMBINED_FUNCTION]))) needs.add("CombinedTriggers");
    if (needs.size > 1) problems.push(`${logicalId}: needs functions of both layouts.`);
    const [needed] = [...needs];
    if (needed !== undefined && resource.Condition !== needed) {
      problems.push(`${logicalId}: has Condition ${resource.Condition ?? "(none)"}, but exists only with ${needed}.`);
    }
  }
  for (const [name, output] of Object.entries(t.Outputs ?? {})) {
    const named = namedOutsideLayoutChoice(output.Value);
    if (named.some((id) => isOrServes(id, SEPARATE)) && output["Condition"] !== "SeparateTriggers")
      problems.push(`Outputs.${name}: names a separate trigger function.`);
    if (named.some((id) => isOrServes(id, [COMBINED_FUNCTION])) && output["Condition"] !== "CombinedTriggers")
      problems.push(`Outputs.${name}: names ${COMBINED_FUNCTION}.`);
  }
  return problems;
}

const key = (statement: PolicyStatement) => JSON.stringify(statement);

/** What the combined function's statements lack, and what they have beyond the five functions'. */
function statementProblems(t: Template): string[] {
  const problems: string[] = [];
  const combined = functionStatements(t, COMBINED_FUNCTION);
  problems.push(...combined.problems);
  const have = new Set(combined.statements.map(key));
  const theirs = new Set<string>();
  for (const logicalId of SEPARATE) {
    const { statements, problems: unreadable } = functionStatements(t, logicalId);
    problems.push(...unreadable);
    for (const statement of statements) {
      theirs.add(key(statement));
      if (!have.has(key(statement))) problems.push(`${COMBINED_FUNCTION} lacks ${logicalId}'s statement ${statement.Sid ?? key(statement)}.`);
    }
  }
  for (const statement of combined.statements) {
    if (!theirs.has(key(statement)))
      problems.push(`${COMBINED_FUNCTION} has statement ${statement.Sid ?? key(statement)}, which none of the five functions has.`);
  }
  return problems;
}

/** The Sids a policy document holds more than once (IAM wants them unique within a policy). */
function repeatedSids(statements: readonly PolicyStatement[]): string[] {
  const sids = statements.map((statement) => statement.Sid).filter((sid): sid is string => sid !== undefined);
  return sids.filter((sid, index) => sids.indexOf(sid) !== index);
}

/** How the combined function's variables differ from the union of the five functions'. */
function environmentProblems(t: Template, parameters: Record<string, string> = {}): string[] {
  const problems: string[] = [];
  const environmentOf = (logicalId: string) => functionEnvironment(t, logicalId, { ...RESOLVE, parameters }).environment;
  const union: Record<string, string> = {};
  for (const logicalId of SEPARATE) {
    for (const [name, value] of Object.entries(environmentOf(logicalId))) {
      if (union[name] !== undefined && union[name] !== value) problems.push(`${name} differs between the functions that read it.`);
      union[name] = value;
    }
  }
  const combined = environmentOf(COMBINED_FUNCTION);
  for (const [name, value] of Object.entries(union)) {
    if (combined[name] !== value)
      problems.push(`${COMBINED_FUNCTION}: ${name} is ${JSON.stringify(combined[name])}, the separate functions' ${JSON.stringify(value)}.`);
  }
  for (const name of Object.keys(combined)) if (!(name in union)) problems.push(`${COMBINED_FUNCTION}: ${name} is read by none of the five functions.`);
  return problems;
}

describe("TriggerLayout in template.yaml", () => {
  it("is a parameter with Separate as its default and Combined as the one other value, its trade-off said", () => {
    const parameter = template.Parameters?.["TriggerLayout"];
    assert.ok(parameter);
    assert.equal(parameter.Type, "String");
    assert.equal(parameter.Default, "Separate");
    assert.deepEqual(parameter["AllowedValues"], ["Separate", "Combined"]);
    assert.match(String(parameter["Description"]), /Combined.*once.*union of their permissions/);
  });

  it("chooses the five functions or the combined one, never both", () => {
    for (const layout of TRIGGER_LAYOUTS) {
      const deployed = withLayout(template, layout);
      const present = [...SEPARATE, COMBINED_FUNCTION].filter((logicalId) => deployed.Resources[logicalId] !== undefined);
      assert.deepEqual(present, layout === "Combined" ? [COMBINED_FUNCTION] : SEPARATE, layout);
    }
    assert.ok(deployedTemplate(template, {}).Resources["DefineAuthChallengeFunction"], "Separate is what a deployment without the parameter gets");
  });

  it("every resource that needs a separate trigger function carries Condition SeparateTriggers, and those of the combined one CombinedTriggers", () => {
    assert.deepEqual(conditionProblems(template), []);
    assert.ok(template.Resources["SignInTriggersCognitoPolicy"]?.Condition === "CombinedTriggers");
    assert.ok(template.Resources["SignInTriggersPermission"]?.Condition === "CombinedTriggers");
  });

  it("a permission of a separate function left without its condition is caught", () => {
    const broken = structuredClone(template);
    delete broken.Resources["PreSignUpPermission"]!.Condition;
    broken.Resources["SignInTriggersCognitoPolicy"]!.Condition = "SeparateTriggers";
    assert.deepEqual(conditionProblems(broken), [
      "SignInTriggersCognitoPolicy: has Condition SeparateTriggers, but exists only with CombinedTriggers.",
      "PreSignUpPermission: has Condition (none), but exists only with SeparateTriggers.",
    ]);
  });

  for (const layout of TRIGGER_LAYOUTS) {
    it(`with TriggerLayout ${layout}, every reference names something that exists, and the template validates`, () => {
      const deployed = withLayout(template, layout);
      assert.deepEqual(referenceProblems(deployed), []);
      assert.deepEqual(checkTemplateAgainstSpec(deployed), []);
    });
  }

  it("the combined function is built from functions/sign-in-triggers", () => {
    assert.equal(functionEnvironment(template, COMBINED_FUNCTION, RESOLVE).codeUri, "dist/sign-in-triggers/");
  });

  it("the combined function gets exactly the union of the five functions' variables, with the same values", () => {
    assert.deepEqual(environmentProblems(template), []);
    const chosen = { SignInMethods: "PASSKEY,EMAIL_OTP", RelyingPartyId: "example.com", OidcProviderName: "Descope", CodeLength: "8" };
    assert.deepEqual(environmentProblems(template, chosen), []);
  });

  it("the combined function has every IAM statement of the five functions (LeadingKeys and pool ARN as they are), and no other", () => {
    assert.deepEqual(statementProblems(template), []);
    const combined = functionStatements(template, COMBINED_FUNCTION).statements;
    assert.deepEqual(repeatedSids(combined.filter((statement) => !String(statement.Action).startsWith("cognito-idp:"))), []);
    // The Cognito calls are on the generated role, as for the separate functions (see the note in template.yaml).
    const attached = attachedPolicies(template, COMBINED_FUNCTION);
    assert.deepEqual(
      attached.map(({ policyId }) => policyId),
      ["SignInTriggersCognitoPolicy"],
    );
  });

  it("a statement added to one separate function only, or to the combined function only, is caught", () => {
    const broken = structuredClone(template);
    const extra: PolicyStatement = { Sid: "ReadCodes", Effect: "Allow", Action: "dynamodb:GetItem", Resource: { "Fn::GetAtt": ["Table", "Arn"] } };
    const statementsOf = (logicalId: string) => (broken.Resources[logicalId]!.Properties!["Policies"] as Array<{ Statement: PolicyStatement[] }>)[0]!.Statement;
    statementsOf("PreTokenGenerationFunction").push(extra);
    const verifyEmail = statementsOf("VerifyAuthChallengeResponseFunction").find((statement) => statement.Sid === "SendPasskeyNoticeEmail")!;
    verifyEmail.Condition = { StringEquals: { "ses:FromAddress": "someone@example.com" } };
    statementsOf(COMBINED_FUNCTION).push({ ...extra, Sid: "Extra" });
    assert.deepEqual(statementProblems(broken), [
      `${COMBINED_FUNCTION} lacks VerifyAuthChallengeResponseFunction's statement SendPasskeyNoticeEmail.`,
      `${COMBINED_FUNCTION} lacks PreTokenGenerationFunction's statement ReadCodes.`,
      `${COMBINED_FUNCTION} has statement SendPasskeyNoticeEmail, which none of the five functions has.`,
      `${COMBINED_FUNCTION} has statement Extra, which none of the five functions has.`,
    ]);
  });

  it("a variable one separate function reads that the combined function lacks, or one it has beyond them, is caught", () => {
    const broken = structuredClone(template);
    const variables = (logicalId: string) => (broken.Resources[logicalId]!.Properties!["Environment"] as { Variables: Record<string, unknown> }).Variables;
    variables("PreSignUpFunction")["LINK_SOMETHING"] = "x";
    variables(COMBINED_FUNCTION)["EMAIL_SUBJECT"] = "Another subject";
    variables(COMBINED_FUNCTION)["UNUSED"] = "y";
    assert.deepEqual(environmentProblems(broken), [
      `${COMBINED_FUNCTION}: EMAIL_SUBJECT is "Another subject", the separate functions' "Your sign-in code".`,
      `${COMBINED_FUNCTION}: LINK_SOMETHING is undefined, the separate functions' "x".`,
      `${COMBINED_FUNCTION}: UNUSED is read by none of the five functions.`,
    ]);
  });
});
