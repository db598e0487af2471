/**
 * Every reference in template.yaml names something that exists, and CloudFormation can order
 * the resources: no dependency cycle, the SAM-generated function roles included.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readTemplate } from "../../scripts/lib/read-template.ts";
import { findDependencyCycle, referenceProblems } from "./references.ts";

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

  it("counts a reference to a function's generated role as one to the function", () => {
    const broken = copy();
    broken.Resources["Table"]!.DependsOn = ["CreateAuthChallengeFunctionRole"];
    assert.deepEqual(members(findDependencyCycle(broken)), new Set(["CreateAuthChallengeFunction", "Table"]));
  });
});
