/**
 * The local stack reads template.yaml as CloudFormation would for the parameters it runs with:
 * TriggerLayout chooses which functions the pool's triggers run on, and a resource whose Condition
 * fails is neither served nor routed to.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { poolFromTemplate } from "@cognito-passwordless/local/cognito/pool-config.ts";
import { httpApisFromTemplate } from "@cognito-passwordless/local/http-api/api-definition.ts";
import { resourceExists } from "@cognito-passwordless/local/template-conditions.ts";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";

const template = readTemplate();
const SEPARATE = {
  PreSignUp: "PreSignUpFunction",
  DefineAuthChallenge: "DefineAuthChallengeFunction",
  CreateAuthChallenge: "CreateAuthChallengeFunction",
  VerifyAuthChallengeResponse: "VerifyAuthChallengeResponseFunction",
  PreTokenGeneration: "PreTokenGenerationFunction",
};

describe("the local stack's reading of TriggerLayout", () => {
  it("by default, each trigger runs on its own function, as before", () => {
    assert.deepEqual(poolFromTemplate(template).triggers, SEPARATE);
    assert.deepEqual(poolFromTemplate(template, { parameters: { TriggerLayout: "Separate" } }).triggers, SEPARATE);
  });

  it("with TriggerLayout Combined, every trigger runs on SignInTriggersFunction", () => {
    const { triggers, pool } = poolFromTemplate(template, { parameters: { TriggerLayout: "Combined" } });
    assert.deepEqual(triggers, Object.fromEntries(Object.keys(SEPARATE).map((trigger) => [trigger, "SignInTriggersFunction"])));
    assert.equal(pool.preTokenGenerationVersion, "2", "the V2 event, as with the separate function");
  });

  it("a resource exists only where its Condition holds", () => {
    const combined = { parameters: { TriggerLayout: "Combined" } };
    assert.equal(resourceExists(template, "SignInTriggersFunction", combined), true);
    assert.equal(resourceExists(template, "SignInTriggersFunction", {}), false);
    assert.equal(resourceExists(template, "DefineAuthChallengeFunction", combined), false);
    assert.equal(resourceExists(template, "UserPool", combined), true);
    assert.equal(resourceExists(template, "NoSuchResource", {}), false);
  });

  it("refuses a pool whose trigger names a function its Condition leaves out, as CloudFormation would", () => {
    const broken = structuredClone(template);
    const lambdaConfig = broken.Resources["UserPool"]!.Properties!["LambdaConfig"] as Record<string, unknown>;
    lambdaConfig["DefineAuthChallenge"] = { "Fn::GetAtt": ["DefineAuthChallengeFunction", "Arn"] };
    assert.throws(
      () => poolFromTemplate(broken, { parameters: { TriggerLayout: "Combined" } }),
      /runs DefineAuthChallenge on DefineAuthChallengeFunction, which does not exist with these parameters \(its Condition SeparateTriggers fails\)/,
    );
  });

  it("the passkey API's routes are the same in both layouts", () => {
    const resolve = { resources: { UserPool: "us-east-1_Local0001", UserPoolClient: "client" }, pseudoParameters: { "AWS::Region": "us-east-1" } };
    const routes = (layout: string) =>
      httpApisFromTemplate(template, { ...resolve, parameters: { TriggerLayout: layout } }).flatMap((api) =>
        api.routes.map((route) => `${route.method} ${route.path} → ${route.functionId}`),
      );
    assert.ok(routes("Separate").length >= 6);
    assert.deepEqual(routes("Combined"), routes("Separate"));
  });
});
