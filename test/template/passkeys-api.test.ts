/**
 * The passkey API in template.yaml: an HttpApi whose routes are exactly the contract's
 * (PASSKEY_API_ROUTES), behind a JWT authorizer that takes this pool's tokens for this app client
 * only, with CORS for the app's origins and throttling; and the function behind it, whose
 * environment holds every variable its configuration reads and hands on the template's values.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PASSKEY_API_ROUTES, PUBLIC_PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import { type Env, readAwsCallConfig, readFlowConfig, readNoticeConfig, readPasskeyApiConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { functionEnvironment, type ResolveOptions, resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import { readTemplate, type Template } from "@cognito-passwordless/test-kit/read-template.ts";

const template = readTemplate();
const copy = () => structuredClone(template);
const FUNCTION = "PasskeysApiFunction";
const API = "PasskeysApi";
const RESOLVE: ResolveOptions = {
  resources: { Table: "passwordless-test", UserPool: "eu-west-1_Example01", UserPoolClient: "3n4b5urk1ft4fl3mg5e62d9ado" },
  pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::StackName": "passwordless" },
};
const WITH_PASSKEYS = {
  SignInMethods: "PASSKEY,EMAIL_OTP",
  RelyingPartyId: "example.com",
  PasskeyAllowedOrigins: "https://example.com,https://app.example.com",
};

/** An Android app's origin: the base64url SHA-256 of its signing certificate (43 characters). */
const ANDROID_ORIGIN = `android:apk-key-hash:${"A".repeat(42)}g`;

interface HttpApiEvent {
  Type: string;
  Properties: { ApiId?: unknown; Path?: string; Method?: string };
}

function eventsOf(t: Template): Record<string, HttpApiEvent> {
  return (t.Resources[FUNCTION]?.Properties?.["Events"] ?? {}) as Record<string, HttpApiEvent>;
}

/** What is wrong with the function's events against the contract's routes, as sentences. */
function routeProblems(t: Template): string[] {
  const problems: string[] = [];
  const declared = Object.entries(eventsOf(t)).map(([name, event]) => {
    if (event.Type !== "HttpApi") problems.push(`${name}: Type ${event.Type}, expected HttpApi.`);
    if (JSON.stringify(event.Properties.ApiId) !== JSON.stringify({ Ref: API }))
      problems.push(`${name}: not on ${API} (ApiId ${JSON.stringify(event.Properties.ApiId)}).`);
    return `${event.Properties.Method?.toUpperCase()} ${event.Properties.Path}`;
  });
  const expected = Object.values(PASSKEY_API_ROUTES).map(({ method, path }) => `${method} ${path}`);
  for (const route of declared) if (!expected.includes(route)) problems.push(`${route} is not a route of PASSKEY_API_ROUTES.`);
  for (const route of expected) if (!declared.includes(route)) problems.push(`${route} of PASSKEY_API_ROUTES has no HttpApi event.`);
  if (new Set(declared).size !== declared.length) problems.push("A route is declared twice.");
  return problems;
}

function apiProperties(t: Template = template): Record<string, unknown> {
  return t.Resources[API]?.Properties ?? {};
}

/**
 * Every environment variable a name reader asks for, with the answer `env` gives: the variables
 * the function's configuration reads, whatever their reader does with them.
 */
function recordingEnv(env: Env): { env: Env; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(env, {
    get(target, name) {
      if (typeof name === "string") read.add(name);
      return target[name as string];
    },
  });
  return { env: proxy, read };
}

/** What functions/passkeys-api/index.ts reads at cold start, in the same order. */
function readFunctionConfig(env: Env) {
  const flow = readFlowConfig(env);
  return {
    api: readPasskeyApiConfig(env),
    passkey: readPasskeyConfig(env, flow),
    notice: readNoticeConfig(env, flow),
    store: readStoreConfig(env),
    call: readAwsCallConfig(env),
  };
}

/**
 * Variables the readers ask for that the function does not get, on purpose: its defaults are the
 * ones meant. readNoticeConfig checks the notice's sender as the codes' (readCodeConfig) and so
 * reads the code settings, which no notice uses; the flow's attempts bound sign-in rounds, which
 * this function never poses; the AWS call settings keep their defaults in every function, and so
 * does the WebAuthn timeout (PASSKEY_TIMEOUT_MS), which Create's enrolment round uses as well.
 */
const DEFAULTED = new Set([
  "CODE_MAX_ATTEMPTS",
  "PASSKEY_REGISTRATION_MAX_ATTEMPTS",
  "CODE_LENGTH",
  "CODE_TTL_SECONDS",
  "RATE_LIMIT_WINDOW_SECONDS",
  "RATE_LIMIT_PER_USER",
  "RATE_LIMIT_PER_DESTINATION",
  "EMAIL_SUBJECT",
  "SMS_BUDGET_WINDOW_SECONDS",
  "SMS_BUDGET_PER_WINDOW",
  "SMS_BUDGET_PER_COUNTRY_PER_WINDOW",
  "AWS_CALL_TIMEOUT_MS",
  "AWS_CALL_MAX_ATTEMPTS",
  "PASSKEY_TIMEOUT_MS",
]);

describe("the passkey API in template.yaml", () => {
  it("has an HttpApi event for every route of PASSKEY_API_ROUTES and no other, all on PasskeysApi", () => {
    assert.equal(template.Resources[API]?.Type, "AWS::Serverless::HttpApi");
    assert.deepEqual(routeProblems(template), []);
  });

  it("a route missing, misspelt or on another API is caught", () => {
    const broken = copy();
    const events = eventsOf(broken);
    delete events["RemovePasskey"];
    events["RenamePasskey"]!.Properties.Path = "/passkey/{id}";
    events["ListPasskeys"]!.Properties.ApiId = { Ref: "ServerlessHttpApi" };
    assert.deepEqual(routeProblems(broken).sort(), [
      "DELETE /passkeys/{id} of PASSKEY_API_ROUTES has no HttpApi event.",
      'ListPasskeys: not on PasskeysApi (ApiId {"Ref":"ServerlessHttpApi"}).',
      "PATCH /passkey/{id} is not a route of PASSKEY_API_ROUTES.",
      "PATCH /passkeys/{id} of PASSKEY_API_ROUTES has no HttpApi event.",
    ]);
  });

  it("takes only access tokens of this pool for this app client: the JWT authorizer is the default of every route but the public ones", () => {
    const auth = apiProperties()["Auth"] as { DefaultAuthorizer: string; Authorizers: Record<string, Record<string, unknown>> };
    assert.equal(auth.DefaultAuthorizer, "CognitoAccessToken");
    assert.deepEqual(Object.keys(auth.Authorizers), ["CognitoAccessToken"]);
    const authorizer = auth.Authorizers["CognitoAccessToken"]!;
    assert.equal(authorizer["IdentitySource"], "$request.header.Authorization");
    const jwt = resolveTemplateValue(template, authorizer["JwtConfiguration"], RESOLVE);
    assert.deepEqual(jwt, { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audience: ["3n4b5urk1ft4fl3mg5e62d9ado"] });
    // Only the public routes opt out of the authorizer, and only by NONE.
    for (const [name, event] of Object.entries(eventsOf(template))) {
      const properties = event.Properties as Record<string, unknown>;
      const routeKey = `${String(properties["Method"]).toUpperCase()} ${String(properties["Path"])}`;
      const isPublic = PUBLIC_PASSKEY_API_ROUTES.some((route) => `${PASSKEY_API_ROUTES[route].method} ${PASSKEY_API_ROUTES[route].path}` === routeKey);
      assert.deepEqual(properties["Auth"], isPublic ? { Authorizer: "NONE" } : undefined, name);
    }
  });

  it("throttles the public challenge route below the API's default: each answer is a DynamoDB write, and no WAF can attach to an HTTP API", () => {
    const { method, path } = PASSKEY_API_ROUTES.signInChallenge;
    const event = Object.values(eventsOf(template)).find(({ Properties }) => {
      const properties = Properties as Record<string, unknown>;
      return properties["Method"] === method && properties["Path"] === path;
    });
    const settings = (event?.Properties as Record<string, unknown> | undefined)?.["RouteSettings"] as Record<string, number> | undefined;
    const defaults = apiProperties()["DefaultRouteSettings"] as Record<string, number>;
    assert.ok(settings, "the route has RouteSettings of its own");
    assert.ok(settings["ThrottlingRateLimit"]! < defaults["ThrottlingRateLimit"]!, "rate below the default");
    assert.ok(settings["ThrottlingBurstLimit"]! < defaults["ThrottlingBurstLimit"]!, "burst below the default");
    assert.ok(settings["ThrottlingBurstLimit"]! >= settings["ThrottlingRateLimit"]!, "a burst of at least one second's rate");
  });

  it("answers CORS for the app's origins only, with the routes' methods and the two headers the client sends", () => {
    const cors = resolveTemplateValue(template, apiProperties()["CorsConfiguration"], { ...RESOLVE, parameters: WITH_PASSKEYS }) as Record<string, unknown>;
    assert.deepEqual(cors["AllowOrigins"], ["https://example.com", "https://app.example.com"]);
    assert.deepEqual([...(cors["AllowMethods"] as string[])].sort(), [...new Set(Object.values(PASSKEY_API_ROUTES).map(({ method }) => method))].sort());
    assert.deepEqual(cors["AllowHeaders"], ["authorization", "content-type"]);
    assert.equal(cors["AllowCredentials"], undefined, "tokens travel in a header, never in cookies");
    assert.equal(cors["MaxAge"], 600);
  });

  it("an empty PasskeyAllowedOrigins gives no CORS origin at all, not an empty one", () => {
    // !Split of "" is [""]: an origin no browser sends, and no list of origins either.
    const cors = resolveTemplateValue(template, apiProperties()["CorsConfiguration"], {
      ...RESOLVE,
      parameters: { SignInMethods: "PASSKEY,EMAIL_OTP", RelyingPartyId: "example.com", PasskeyAndroidOrigins: ANDROID_ORIGIN },
    }) as Record<string, unknown>;
    assert.equal(cors["AllowOrigins"], undefined);
    const defaults = resolveTemplateValue(template, apiProperties()["CorsConfiguration"], RESOLVE) as Record<string, unknown>;
    assert.equal(defaults["AllowOrigins"], undefined, "the template's defaults (no PASSKEY) allow no origin either");
  });

  it("CORS holds the web origins only: an Android app's origin is WebAuthn's, never a browser's", () => {
    const parameters = { ...WITH_PASSKEYS, PasskeyAndroidOrigins: ANDROID_ORIGIN };
    const cors = resolveTemplateValue(template, apiProperties()["CorsConfiguration"], { ...RESOLVE, parameters }) as Record<string, unknown>;
    assert.deepEqual(cors["AllowOrigins"], ["https://example.com", "https://app.example.com"]);
    // Every function that checks a ceremony accepts both kinds.
    for (const name of ["PasskeysApiFunction", "CreateAuthChallengeFunction", "VerifyAuthChallengeResponseFunction"]) {
      const env = functionEnvironment(template, name, { ...RESOLVE, parameters }).environment;
      assert.deepEqual(readPasskeyConfig(env, readFlowConfig(env))?.allowedOrigins, ["https://example.com", "https://app.example.com", ANDROID_ORIGIN], name);
    }
  });

  it("an Android app alone (no web origins) still has its origin checked by WebAuthn", () => {
    const parameters = { SignInMethods: "PASSKEY,EMAIL_OTP", RelyingPartyId: "example.com", PasskeyAndroidOrigins: ANDROID_ORIGIN };
    const env = functionEnvironment(template, FUNCTION, { ...RESOLVE, parameters }).environment;
    assert.deepEqual(readPasskeyConfig(env, readFlowConfig(env))?.allowedOrigins, [ANDROID_ORIGIN]);
  });

  it("PasskeyAllowedOrigins takes web origins only, PasskeyAndroidOrigins Android origins only", () => {
    const pattern = (name: string) => new RegExp(String(template.Parameters?.[name]?.["AllowedPattern"]));
    const web = pattern("PasskeyAllowedOrigins");
    const android = pattern("PasskeyAndroidOrigins");
    for (const value of ["", "https://example.com", "https://example.com,https://app.example.com:8443", "http://localhost:3000"]) {
      assert.ok(web.test(value), `PasskeyAllowedOrigins takes "${value}"`);
    }
    for (const value of [
      ANDROID_ORIGIN,
      `https://example.com,${ANDROID_ORIGIN}`,
      "http://example.com",
      "https://example.com/",
      "https://a.com, https://b.com",
      ",",
    ]) {
      assert.ok(!web.test(value), `PasskeyAllowedOrigins refuses "${value}"`);
    }
    for (const value of ["", ANDROID_ORIGIN, `${ANDROID_ORIGIN},${ANDROID_ORIGIN}`]) assert.ok(android.test(value), `PasskeyAndroidOrigins takes "${value}"`);
    for (const value of ["https://example.com", `${ANDROID_ORIGIN},https://example.com`, "android:apk-key-hash:short"]) {
      assert.ok(!android.test(value), `PasskeyAndroidOrigins refuses "${value}"`);
    }
  });

  it("is throttled for every route", () => {
    const settings = apiProperties()["DefaultRouteSettings"] as Record<string, unknown>;
    assert.equal(typeof settings["ThrottlingRateLimit"], "number");
    assert.equal(typeof settings["ThrottlingBurstLimit"], "number");
  });

  it("gives the app its URL", () => {
    const url = resolveTemplateValue(template, template.Outputs?.["PasskeyApiUrl"]?.Value, {
      ...RESOLVE,
      resources: { PasskeysApi: "a1b2c3d4e5" },
      pseudoParameters: { "AWS::Region": "eu-west-1", "AWS::URLSuffix": "amazonaws.com" },
    });
    assert.equal(url, "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com");
  });

  it("its function is no trigger of the pool, so its own policy can name the pool without a dependency cycle", () => {
    const lambdaConfig = JSON.stringify(template.Resources["UserPool"]?.Properties?.["LambdaConfig"]);
    assert.ok(!lambdaConfig.includes(FUNCTION));
  });
});

describe("the passkey API's function environment", () => {
  it("holds every variable its configuration reads, but for those whose defaults are meant", () => {
    const env = functionEnvironment(template, FUNCTION, { ...RESOLVE, parameters: WITH_PASSKEYS }).environment;
    const { env: recording, read } = recordingEnv(env);
    readFunctionConfig(recording);
    const missing = [...read].filter((name) => !(name in env) && !DEFAULTED.has(name)).sort();
    assert.deepEqual(missing, []);
    const unread = Object.keys(env).filter((name) => !read.has(name) && name !== "LOG_LEVEL");
    assert.deepEqual(unread, [], "every variable it gets is read");
  });

  it("hands on the template's values: the pool, the app client, the sign-in age, the passkey settings", () => {
    const env = functionEnvironment(template, FUNCTION, {
      ...RESOLVE,
      parameters: { ...WITH_PASSKEYS, PasskeyReauthMaxAgeSeconds: "600", PasskeyMaxPerUser: "4" },
    }).environment;
    const config = readFunctionConfig(env);
    assert.deepEqual(config.api, { userPoolId: "eu-west-1_Example01", userPoolClientId: "3n4b5urk1ft4fl3mg5e62d9ado", reauthMaxAgeSeconds: 600 });
    assert.equal(config.passkey?.rpId, "example.com");
    assert.equal(config.passkey?.maxPerUser, 4);
    assert.deepEqual(config.passkey?.allowedOrigins, ["https://example.com", "https://app.example.com"]);
    assert.equal(config.notice.emailFrom, "no-reply@example.com");
    assert.equal(config.store.tableName, "passwordless-test");
  });

  it("with the template's defaults (no PASSKEY), its configuration is valid: passkeys can be managed, not added", () => {
    const config = readFunctionConfig(functionEnvironment(template, FUNCTION, RESOLVE).environment);
    assert.equal(config.api.reauthMaxAgeSeconds, 300);
    assert.equal(config.passkey, undefined);
  });

  it("the PasskeyReauthMaxAgeSeconds bounds are values the function accepts", () => {
    const parameter = template.Parameters!["PasskeyReauthMaxAgeSeconds"]!;
    assert.equal(parameter.Type, "Number");
    assert.equal(parameter["Default"], 300);
    for (const bound of [parameter["MinValue"], parameter["MaxValue"]]) {
      const env = functionEnvironment(template, FUNCTION, { ...RESOLVE, parameters: { PasskeyReauthMaxAgeSeconds: String(bound) } }).environment;
      assert.equal(readPasskeyApiConfig(env).reauthMaxAgeSeconds, bound);
    }
  });
});
