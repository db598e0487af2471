/**
 * Every reference in template.yaml names something that exists, and CloudFormation can order
 * the resources: no dependency cycle, the SAM-generated function roles included.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { dependencyGraph, findDependencyCycle, referenceProblems } from "./references.ts";

const template = readTemplate();
const copy = () => structuredClone(template);

type Statement = { Resource: unknown };

/** The resources around a cycle, wherever the search happened to enter it. */
function members(cycle: string[] | undefined): Set<string> | undefined {
  return cycle === undefined ? undefined : new Set(cycle);
}
function firstStatement(t: ReturnType<typeof copy>, logicalId: string): Statement {
  const policies = t.Resources[logicalId]!.Properties!["Policies"] as Array<{ Statement: Statement[] }>;
  return policies[0]!.Statement[0]!;
}

describe("references in template.yaml", () => {
  it("every !Ref, !GetAtt, ${…} in !Sub, DependsOn and condition names something that exists", () => {
    assert.deepEqual(referenceProblems(template), []);
  });

  it("catches !GetAtt of an attribute the resource type does not have", () => {
    const broken = copy();
    broken.Outputs!["UserPoolArn"]!.Value = { "Fn::GetAtt": ["UserPool", "ARN"] };
    assert.match(referenceProblems(broken).join("\n"), /Outputs\.UserPoolArn\.Value: AWS::Cognito::UserPool has no attribute ARN/);
  });

  it("catches !GetAtt and ${…} of a resource that does not exist", () => {
    const broken = copy();
    broken.Resources["PreSignUpPermission"]!.Properties!["SourceArn"] = { "Fn::GetAtt": ["Pool", "Arn"] };
    firstStatement(broken, "PreTokenGenerationFunction").Resource = { "Fn::Sub": "${Tabel.Arn}/index/*" };
    const problems = referenceProblems(broken).join("\n");
    assert.match(problems, /!GetAtt Pool\.Arn names no resource/);
    assert.match(problems, /!GetAtt Tabel\.Arn names no resource/);
  });

  it("catches !Ref of an unknown parameter and Fn::If on an unknown condition", () => {
    const broken = copy();
    const variables = (broken.Resources["DefineAuthChallengeFunction"]!.Properties!["Environment"] as { Variables: Record<string, unknown> }).Variables;
    variables["SIGN_IN_METHODS"] = { Ref: "SignInMethod" };
    variables["CODE_MAX_ATTEMPTS"] = { "Fn::If": ["IsLite", "3", "5"] };
    const problems = referenceProblems(broken).join("\n");
    assert.match(problems, /!Ref SignInMethod names no parameter/);
    assert.match(problems, /there is no condition IsLite/);
  });

  it("reads !Ref <Function>Role as the role SAM generates, and only for a function without its own Role", () => {
    // The template's role policies name generated roles: the first test above passes with them.
    assert.deepEqual(template.Resources["PreSignUpCognitoPolicy"]!.Properties!["RoleName"], { Ref: "PreSignUpFunctionRole" });
    const misspelt = copy();
    misspelt.Resources["PreSignUpCognitoPolicy"]!.Properties!["RoleName"] = { Ref: "PreSignUpRole" };
    assert.match(
      referenceProblems(misspelt).join("\n"),
      /PreSignUpCognitoPolicy\.Properties\.RoleName: !Ref PreSignUpRole names no parameter, resource or pseudo parameter/,
    );
    const ownRole = copy();
    ownRole.Resources["PreSignUpFunction"]!.Properties!["Role"] = { "Fn::GetAtt": ["CognitoSmsRole", "Arn"] };
    assert.match(referenceProblems(ownRole).join("\n"), /!Ref PreSignUpFunctionRole names no parameter, resource or pseudo parameter/);
  });

  it("reads a function's attributes as those of the Lambda function SAM generates", () => {
    const broken = copy();
    broken.Resources["PreSignUpPermission"]!.Properties!["FunctionName"] = { "Fn::GetAtt": ["PreSignUpFunction", "FunctionArn"] };
    assert.match(referenceProblems(broken).join("\n"), /AWS::Serverless::Function has no attribute FunctionArn \(it has .*Arn/);
  });
});

describe("dependency order of template.yaml", () => {
  it("has no dependency cycle among its resources", () => {
    assert.equal(findDependencyCycle(template), undefined);
  });

  it("sees the cycle when a function's policy refers to the user pool that refers to the function", () => {
    const broken = copy();
    firstStatement(broken, "PreTokenGenerationFunction").Resource = { "Fn::GetAtt": ["UserPool", "Arn"] };
    assert.deepEqual(members(findDependencyCycle(broken)), new Set(["PreTokenGenerationFunction", "UserPool"]));
  });

  it("sees the cycle when it goes through Globals, a !Sub and DependsOn", () => {
    const viaGlobals = copy();
    (viaGlobals.Globals!["Function"]!["Environment"] as { Variables: Record<string, unknown> }).Variables["POOL"] = { "Fn::Sub": "${UserPool}" };
    assert.ok(findDependencyCycle(viaGlobals)?.includes("UserPool"));

    const viaDependsOn = copy();
    viaDependsOn.Resources["DefineAuthChallengeFunction"]!.DependsOn = "DefineAuthChallengePermission";
    assert.deepEqual(members(findDependencyCycle(viaDependsOn)), new Set(["DefineAuthChallengeFunction", "DefineAuthChallengePermission"]));
  });

  it("orders each Cognito role policy after its function's role and the pool, and nothing after it", () => {
    const graph = dependencyGraph(template);
    for (const [policy, fn] of [
      ["VerifyAuthChallengeResponseCognitoPolicy", "VerifyAuthChallengeResponseFunction"],
      ["PreSignUpCognitoPolicy", "PreSignUpFunction"],
    ] as const) {
      assert.deepEqual([...graph.get(policy)!].sort(), [fn, "UserPool"].sort(), policy);
      assert.deepEqual(
        [...graph.entries()].filter(([, needs]) => needs.has(policy)).map(([name]) => name),
        [],
        `nothing waits for ${policy}`,
      );
    }
  });

  it("sees the cycle when the pool waits for a role policy that names it", () => {
    const broken = copy();
    broken.Resources["UserPool"]!.DependsOn = ["PreSignUpCognitoPolicy"];
    assert.deepEqual(members(findDependencyCycle(broken)), new Set(["PreSignUpCognitoPolicy", "UserPool"]));
  });

  it("counts a reference to a function's generated role as one to the function", () => {
    const broken = copy();
    broken.Resources["Table"]!.DependsOn = ["CreateAuthChallengeFunctionRole"];
    assert.deepEqual(members(findDependencyCycle(broken)), new Set(["CreateAuthChallengeFunction", "Table"]));
  });
});
