/**
 * functionEnvironment(): a function's code, handler and environment, resolved from a template
 * as SAM and CloudFormation would, for `npm run invoke` and the local stack.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  functionEnvironment,
  listFunctions,
  resolveTemplateValue,
  TemplateResolutionError,
  type ResolveOptions,
} from "@cognito-passwordless/test-kit/function-environment.ts";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { FIXTURES } from "./fixture-build.ts";

const template = readTemplate(join(FIXTURES, "template.yaml"));
const OPTIONS: ResolveOptions = {
  resources: { Table: "local-table", "Table.Arn": "arn:aws:dynamodb:eu-west-1:123456789012:table/local-table" },
  pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::StackName": "demo" },
  rootDir: "/srv/app",
};

describe("functionEnvironment", () => {
  it("lists the template's functions in template order", () => {
    assert.deepEqual(listFunctions(template), ["EchoFunction", "FailingFunction", "SlowFunction", "NotBuiltFunction"]);
  });

  it("merges Globals.Function with the function's own variables and resolves their intrinsics", () => {
    const echo = functionEnvironment(template, "EchoFunction", OPTIONS);
    assert.deepEqual(echo.environment, {
      GREETING: "hello",
      SERVICE: "demo-eu-west-1",
      TABLE_NAME: "local-table",
      CODE_LENGTH: "6",
      TABLE_ARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/local-table",
      INDEXES: "arn:aws:dynamodb:eu-west-1:123456789012:table/local-table/index/*",
      LITERAL: "${NotAVariable}",
    });
  });

  it("uses parameter overrides in place of defaults, and Fn::If follows the conditions", () => {
    const echo = functionEnvironment(template, "EchoFunction", { ...OPTIONS, parameters: { Greeting: "hi", CodeLength: "8", Tier: "LITE" } });
    assert.equal(echo.environment["GREETING"], "hi");
    assert.equal(echo.environment["CODE_LENGTH"], "8");
    assert.equal(echo.environment["PLAN"], "lite");
  });

  it("finds the code and handler, with settings from Globals where the function has none", () => {
    const echo = functionEnvironment(template, "EchoFunction", OPTIONS);
    assert.equal(echo.codeUri, "dist/echo/");
    assert.equal(echo.codeDir, "/srv/app/dist/echo");
    assert.equal(echo.handlerFile, "/srv/app/dist/echo/index.mjs");
    assert.equal(echo.exportName, "handler");
    assert.equal(echo.runtime, "nodejs22.x");
    assert.equal(echo.timeoutSeconds, 2);
    assert.equal(echo.memorySizeMb, 128, "Lambda's default when neither sets it");
    const other = functionEnvironment(template, "NotBuiltFunction", OPTIONS);
    assert.equal(other.handlerFile, "/srv/app/dist/never-built/app.mjs");
    assert.equal(other.exportName, "main");
  });

  it("says which value cannot be resolved and what to pass", () => {
    assert.throws(
      () => functionEnvironment(template, "EchoFunction", { ...OPTIONS, resources: {} }),
      (error: unknown) =>
        error instanceof TemplateResolutionError &&
        /EchoFunction Environment\.Variables\.TABLE_NAME needs !Ref Table: pass its physical name in resources\.Table/.test(error.message),
    );
    assert.throws(
      () => functionEnvironment(template, "EchoFunction", { ...OPTIONS, pseudoParameters: {} }),
      /Globals\.Function Environment\.Variables\.SERVICE needs AWS::StackName: pass it in pseudoParameters/,
    );
    assert.throws(
      () => functionEnvironment(template, "EchoFunction", { ...OPTIONS, resources: { Table: "t" } }),
      /TABLE_ARN needs !GetAtt Table\.Arn: pass its value in resources\["Table\.Arn"\]/,
    );
  });

  it("rejects parameter values CloudFormation would reject, and parameters the template does not have", () => {
    assert.throws(
      () => functionEnvironment(template, "EchoFunction", { ...OPTIONS, parameters: { CodeLength: "4" } }),
      /Parameter CodeLength is "4": it should be at least 6/,
    );
    assert.throws(
      () => functionEnvironment(template, "EchoFunction", { ...OPTIONS, parameters: { Greeting: "hey" } }),
      /Parameter Greeting is "hey": it should be one of hello, hi/,
    );
    assert.throws(() => functionEnvironment(template, "EchoFunction", { ...OPTIONS, parameters: { Greting: "hi" } }), /There is no parameter Greting/);
  });

  it("names the functions there are when asked for one that is not", () => {
    assert.throws(
      () => functionEnvironment(template, "Table", OPTIONS),
      /Table is not an AWS::Serverless::Function in the template \(functions: EchoFunction, FailingFunction, SlowFunction, NotBuiltFunction\)/,
    );
  });
});

describe("resolveTemplateValue", () => {
  it("resolves any value of the template with the same rules", () => {
    const value = { Name: { "Fn::Sub": "${AWS::StackName}-users" }, Plan: { "Fn::If": ["IsLite", "V1_0", "V2_0"] }, Gone: { Ref: "AWS::NoValue" } };
    assert.deepEqual(resolveTemplateValue(template, value, OPTIONS), { Name: "demo-users", Plan: "V2_0" });
    assert.deepEqual(resolveTemplateValue(template, value, { ...OPTIONS, parameters: { Tier: "LITE" } }), { Name: "demo-users", Plan: "V1_0" });
  });
});
