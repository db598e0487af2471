/**
 * template.yaml uses only resource types and properties that CloudFormation and the SAM
 * transform know, at every depth, with values of the right shape.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { checkTemplateAgainstSpec } from "./spec-check.ts";

const template = readTemplate();
const copy = () => structuredClone(template);

describe("template.yaml against the CloudFormation resource specification", () => {
  it("uses only resource types and property names the specification knows, at every depth", () => {
    assert.deepEqual(checkTemplateAgainstSpec(template), []);
  });

  it("is checked for real: a misspelt property of a resource is caught", () => {
    const broken = copy();
    broken.Resources["UserPoolClient"]!.Properties!["PreventUserExistenceError"] = "ENABLED";
    assert.match(checkTemplateAgainstSpec(broken).join("\n"), /UserPoolClient\.PreventUserExistenceError: no such property/);
  });

  it("is checked for real: a property nested two levels down is caught", () => {
    const broken = copy();
    const lambdaConfig = broken.Resources["UserPool"]!.Properties!["LambdaConfig"] as Record<string, Record<string, unknown>>;
    lambdaConfig["PreTokenGenerationConfig"]!["LambdaVersoin"] = "V2_0";
    assert.match(checkTemplateAgainstSpec(broken).join("\n"), /UserPool\.LambdaConfig\.PreTokenGenerationConfig\.LambdaVersoin: no such property/);
  });

  it("is checked for real: a property inside a list of objects is caught", () => {
    const broken = copy();
    const table = broken.Resources["Table"]!.Properties!;
    (table["GlobalSecondaryIndexes"] as Array<Record<string, unknown>>)[0]!["Projections"] = { ProjectionType: "ALL" };
    assert.match(checkTemplateAgainstSpec(broken).join("\n"), /Table\.GlobalSecondaryIndexes\[0\]\.Projections: no such property/);
  });

  it("is checked for real: an unknown resource type and a list where a string belongs are caught", () => {
    const broken = copy();
    broken.Resources["Extra"] = { Type: "AWS::Cognito::UserPoolClients", Properties: {} };
    broken.Resources["UserPool"]!.Properties!["DeletionProtection"] = ["ACTIVE"];
    const problems = checkTemplateAgainstSpec(broken).join("\n");
    assert.match(problems, /Extra: resource type AWS::Cognito::UserPoolClients does not exist/);
    assert.match(problems, /UserPool\.DeletionProtection: expected a string/);
  });

  it("is checked for real: a value outside the specification's allowed values is caught", () => {
    const broken = copy();
    broken.Resources["UserPool"]!.Properties!["UserPoolTier"] = "PREMIUM";
    assert.match(checkTemplateAgainstSpec(broken).join("\n"), /UserPool\.UserPoolTier: "PREMIUM" is not one of LITE, ESSENTIALS, PLUS/);
  });

  it("checks SAM functions too, Globals.Function included", () => {
    const broken = copy();
    broken.Globals!["Function"]!["Runtimes"] = "nodejs22.x";
    broken.Resources["PreSignUpFunction"]!.Properties!["Enviroment"] = { Variables: {} };
    const problems = checkTemplateAgainstSpec(broken).join("\n");
    assert.match(problems, /Globals\.Function\.Runtimes: no such property/);
    assert.match(problems, /PreSignUpFunction\.Enviroment: no such property/);
  });

  it("reports a required property that is missing", () => {
    const broken = copy();
    delete broken.Resources["PreSignUpPermission"]!.Properties!["Principal"];
    assert.match(checkTemplateAgainstSpec(broken).join("\n"), /PreSignUpPermission\.Principal: required, but missing/);
  });
});
