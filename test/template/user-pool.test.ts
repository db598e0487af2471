/**
 * The user pool, its triggers and app client in template.yaml: what docs/protocol.md and
 * COGNITO.md require of them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import { readTemplate, type Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { PUBLIC_KEY_ATTRIBUTE, PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH } from "../../lib/passkey/public-key-cache.ts";
import { COMBINED_FUNCTION, TRIGGER_LAYOUTS, type TriggerLayout, withLayout } from "./trigger-layout.ts";

const template = readTemplate();
const copy = () => structuredClone(template);

/** LambdaConfig key → the function serving it, in each TriggerLayout. */
const TRIGGERS: Record<TriggerLayout, Record<string, string>> = {
  Separate: {
    DefineAuthChallenge: "DefineAuthChallengeFunction",
    CreateAuthChallenge: "CreateAuthChallengeFunction",
    VerifyAuthChallengeResponse: "VerifyAuthChallengeResponseFunction",
    PreSignUp: "PreSignUpFunction",
    "PreTokenGenerationConfig.LambdaArn": "PreTokenGenerationFunction",
  },
  Combined: {
    DefineAuthChallenge: COMBINED_FUNCTION,
    CreateAuthChallenge: COMBINED_FUNCTION,
    VerifyAuthChallengeResponse: COMBINED_FUNCTION,
    PreSignUp: COMBINED_FUNCTION,
    "PreTokenGenerationConfig.LambdaArn": COMBINED_FUNCTION,
  },
};

function poolsOf(t: Template): string[] {
  return Object.entries(t.Resources)
    .filter(([, resource]) => resource.Type === "AWS::Cognito::UserPool")
    .map(([logicalId]) => logicalId);
}

function properties(t: Template, logicalId: string): Record<string, unknown> {
  return t.Resources[logicalId]?.Properties ?? {};
}

/** The function a `!GetAtt X.Arn` (or `!Ref X`) names, or undefined. */
function functionNamed(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const getAtt = (value as { "Fn::GetAtt"?: [string, string] })["Fn::GetAtt"];
  if (getAtt !== undefined) return getAtt[1] === "Arn" ? getAtt[0] : undefined;
  const ref = (value as { Ref?: string }).Ref;
  return ref;
}

/** Trigger key → function, flattened (`PreTokenGenerationConfig.LambdaArn`). */
function lambdaConfig(t: Template, pool: string): Record<string, string | undefined> {
  const config = (properties(t, pool)["LambdaConfig"] ?? {}) as Record<string, unknown>;
  const flat: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "PreTokenGenerationConfig") flat[`${key}.LambdaArn`] = functionNamed((value as { LambdaArn?: unknown }).LambdaArn);
    else if (key !== "KMSKeyID") flat[key] = functionNamed(value);
  }
  return flat;
}

/** Every trigger of every pool must have a Lambda permission for Cognito, from that pool only. */
function triggerPermissionProblems(t: Template): string[] {
  const problems: string[] = [];
  const permissions = Object.entries(t.Resources).filter(([, resource]) => resource.Type === "AWS::Lambda::Permission");
  for (const pool of poolsOf(t)) {
    for (const [trigger, fn] of Object.entries(lambdaConfig(t, pool))) {
      const granted = permissions.some(([, { Properties: p = {} }]) => {
        return (
          functionNamed(p["FunctionName"]) === fn &&
          p["Action"] === "lambda:InvokeFunction" &&
          p["Principal"] === "cognito-idp.amazonaws.com" &&
          JSON.stringify(p["SourceArn"]) === JSON.stringify({ "Fn::GetAtt": [pool, "Arn"] })
        );
      });
      if (!granted) problems.push(`${pool} ${trigger}: no permission lets Cognito invoke ${fn} with SourceArn !GetAtt ${pool}.Arn.`);
    }
  }
  return problems;
}

describe("user pool triggers in template.yaml", () => {
  for (const layout of TRIGGER_LAYOUTS) {
    it(`the pool runs the five triggers of the suite (TriggerLayout ${layout})`, () => {
      const deployed = withLayout(template, layout);
      assert.deepEqual(poolsOf(deployed), ["UserPool"]);
      assert.deepEqual(lambdaConfig(deployed, "UserPool"), TRIGGERS[layout]);
    });

    it(`every trigger has a Lambda permission for Cognito, with the pool's ARN as SourceArn (TriggerLayout ${layout})`, () => {
      assert.deepEqual(triggerPermissionProblems(withLayout(template, layout)), []);
    });
  }

  it("each LambdaConfig key chooses the combined function on CombinedTriggers and its own otherwise", () => {
    const config = properties(template, "UserPool")["LambdaConfig"] as Record<string, unknown>;
    const flat: Record<string, unknown> = {
      ...config,
      "PreTokenGenerationConfig.LambdaArn": (config["PreTokenGenerationConfig"] as { LambdaArn: unknown }).LambdaArn,
    };
    for (const [key, separate] of Object.entries(TRIGGERS.Separate)) {
      assert.deepEqual(flat[key], { "Fn::If": ["CombinedTriggers", { "Fn::GetAtt": [COMBINED_FUNCTION, "Arn"] }, { "Fn::GetAtt": [separate, "Arn"] }] }, key);
    }
  });

  it("a missing permission, or one open to any pool, is caught", () => {
    const broken = withLayout(copy(), "Separate");
    delete broken.Resources["VerifyAuthChallengeResponsePermission"];
    delete properties(broken, "PreSignUpPermission")["SourceArn"];
    assert.deepEqual(triggerPermissionProblems(broken), [
      "UserPool VerifyAuthChallengeResponse: no permission lets Cognito invoke VerifyAuthChallengeResponseFunction with SourceArn !GetAtt UserPool.Arn.",
      "UserPool PreSignUp: no permission lets Cognito invoke PreSignUpFunction with SourceArn !GetAtt UserPool.Arn.",
    ]);
  });

  it("pre token generation gets the V2 event, and V1 on the Lite plan that cannot run V2", () => {
    const config = properties(template, "UserPool")["LambdaConfig"] as { PreTokenGenerationConfig: { LambdaVersion: unknown } };
    const version = (tier?: string) =>
      resolveTemplateValue(template, config.PreTokenGenerationConfig.LambdaVersion, tier === undefined ? {} : { parameters: { UserPoolTier: tier } });
    assert.equal(version(), "V2_0", "the default tier is Essentials");
    assert.equal(version("ESSENTIALS"), "V2_0");
    assert.equal(version("PLUS"), "V2_0");
    assert.equal(version("LITE"), "V1_0");
    assert.equal(resolveTemplateValue(template, properties(template, "UserPool")["UserPoolTier"], { parameters: { UserPoolTier: "LITE" } }), "LITE");
  });

  it("does not also set the legacy PreTokenGeneration key, which would have to repeat the same ARN", () => {
    const config = properties(template, "UserPool")["LambdaConfig"] as Record<string, unknown>;
    assert.equal(config["PreTokenGeneration"], undefined);
  });
});

describe("user pool settings in template.yaml", () => {
  const pool = properties(template, "UserPool");

  it("users sign in with their email address or phone number", () => {
    assert.deepEqual(pool["UsernameAttributes"], ["email", "phone_number"]);
  });

  it("Cognito verifies nothing by itself: only an entered code marks an address verified", () => {
    assert.equal(pool["AutoVerifiedAttributes"], undefined);
  });

  it("the pool is protected from deletion, and its plan is a parameter defaulting to Essentials", () => {
    assert.equal(pool["DeletionProtection"], "ACTIVE");
    assert.deepEqual(pool["UserPoolTier"], { Ref: "UserPoolTier" });
    assert.equal(template.Parameters?.["UserPoolTier"]?.Default, "ESSENTIALS");
    assert.deepEqual(template.Parameters?.["UserPoolTier"]?.["AllowedValues"], ["LITE", "ESSENTIALS", "PLUS"]);
  });

  it("declares custom:passkeys, where enrolment caches public keys, at Cognito's longest 2048 characters", () => {
    const declared = (pool["Schema"] as Record<string, unknown>[]).find((attribute) => `custom:${String(attribute["Name"])}` === PUBLIC_KEY_ATTRIBUTE);
    assert.ok(declared, "the attribute Verify reads the keys from");
    assert.equal(declared["AttributeDataType"], "String");
    assert.equal(declared["Mutable"], true, "enrolment adds keys to it");
    assert.deepEqual(declared["StringAttributeConstraints"], { MinLength: "0", MaxLength: String(PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH) });
  });
});

describe("app client in template.yaml", () => {
  const client = properties(template, "UserPoolClient");

  it("allows only custom auth and refresh, so no password or SRP sign-in goes around the triggers", () => {
    assert.deepEqual([...(client["ExplicitAuthFlows"] as string[])].sort(), ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
  });

  it("does not reveal whether a user exists (PreventUserExistenceErrors ENABLED)", () => {
    assert.equal(client["PreventUserExistenceErrors"], "ENABLED");
  });

  it("is a public client without a secret, with revocable tokens", () => {
    assert.equal(client["GenerateSecret"], false);
    assert.equal(client["EnableTokenRevocation"], true);
  });

  it("neither reads nor writes custom:passkeys: it stays out of tokens, and only enrolment writes it", () => {
    for (const list of ["ReadAttributes", "WriteAttributes"]) {
      const names = client[list] as string[] | undefined;
      assert.ok(Array.isArray(names), `${list} is listed: without it Cognito's defaults apply`);
      assert.ok(!names.includes(PUBLIC_KEY_ATTRIBUTE), `${list} leaves out ${PUBLIC_KEY_ATTRIBUTE}`);
    }
  });

  it("cannot write email_verified or phone_number_verified", () => {
    const writable = client["WriteAttributes"] as string[];
    assert.ok(writable.includes("email") && writable.includes("phone_number"), "SignUp must be able to set the address");
    assert.deepEqual(
      writable.filter((name) => name.endsWith("_verified")),
      [],
    );
  });

  it("gives the user 15 minutes per challenge by default, within Cognito's 3 to 15", () => {
    assert.deepEqual(client["AuthSessionValidity"], { Ref: "AuthSessionValidityMinutes" });
    const parameter = template.Parameters?.["AuthSessionValidityMinutes"];
    assert.equal(parameter?.Default, 15);
    assert.equal(parameter?.["MinValue"], 3);
    assert.equal(parameter?.["MaxValue"], 15);
  });

  it("issues ID and access tokens for 60 minutes and refresh tokens for 30 days", () => {
    assert.equal(client["IdTokenValidity"], 60);
    assert.equal(client["AccessTokenValidity"], 60);
    assert.equal(client["RefreshTokenValidity"], 30);
    assert.deepEqual(client["TokenValidityUnits"], { IdToken: "minutes", AccessToken: "minutes", RefreshToken: "days" });
  });
});

describe("outputs of template.yaml", () => {
  it("tell the app and the operator what they need", () => {
    assert.deepEqual(Object.keys(template.Outputs ?? {}).sort(), [
      "HostedDomain",
      "PasskeyApiUrl",
      "Region",
      "TableName",
      "UserPoolArn",
      "UserPoolClientId",
      "UserPoolId",
    ]);
    // HostedDomain exists only with an OIDC provider (its Condition); the rest always.
    const always = Object.entries(template.Outputs ?? {}).filter(([, output]) => (output as { Condition?: string }).Condition === undefined);
    const resolved = resolveTemplateValue(template, Object.fromEntries(always.map(([name, output]) => [name, output.Value])), {
      resources: { UserPool: "eu-west-1_abc", UserPoolClient: "client", Table: "table", "UserPool.Arn": "arn:pool", PasskeysApi: "a1b2c3d4e5" },
      pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::URLSuffix": "amazonaws.com" },
    });
    assert.deepEqual(resolved, {
      UserPoolId: "eu-west-1_abc",
      UserPoolClientId: "client",
      UserPoolArn: "arn:pool",
      TableName: "table",
      Region: "eu-west-1",
      // The HttpApi's default endpoint (its $default stage needs no path): what the client is given.
      PasskeyApiUrl: "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
    });
  });
});
