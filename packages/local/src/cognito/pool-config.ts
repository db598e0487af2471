/**
 * The one user pool and app client the local endpoint serves, read from template.yaml's
 * AWS::Cognito::UserPool and AWS::Cognito::UserPoolClient the way CloudFormation would create them,
 * defaults included. Sources:
 * - CloudFormation, AWS::Cognito::UserPoolClient (ExplicitAuthFlows, PreventUserExistenceErrors,
 *   AuthSessionValidity, *TokenValidity, TokenValidityUnits, EnableTokenRevocation):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolclient.html
 * - CloudFormation, AWS::Cognito::UserPool LambdaConfig and PreTokenGenerationConfig:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cognito-userpool-lambdaconfig.html
 * - SAM, the Cognito event source of AWS::Serverless::Function (sets LambdaConfig for its triggers):
 *   https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-cognito.html
 */
import { type ResolveOptions, resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { type AttributeSchema, attributeSchemaFrom } from "./attribute-schema.ts";
import { resourceExists } from "../template-conditions.ts";
import { type FederationConfig, identityProviderFrom, oauthClientFrom } from "./federation-config.ts";

export const TRIGGERS = ["PreSignUp", "DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse", "PreTokenGeneration"] as const;
export type TriggerName = (typeof TRIGGERS)[number];

export type UsernameAttribute = "email" | "phone_number";

/** The pool's password policy: SignUp checks a password even though passwordless sign-in never uses it. */
export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

export interface PoolConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Empty: users sign in with a username. Else the internal username is a UUID and users sign in with these. */
  readonly usernameAttributes: readonly UsernameAttribute[];
  readonly passwordPolicy: PasswordPolicy;
  readonly explicitAuthFlows: readonly string[];
  readonly preventUserExistenceErrors: boolean;
  readonly authSessionValidityMinutes: number;
  readonly idTokenValiditySeconds: number;
  readonly accessTokenValiditySeconds: number;
  readonly refreshTokenValiditySeconds: number;
  readonly enableTokenRevocation: boolean;
  /** Event version of the pre token generation trigger: "1" (V1_0, ID token) or "2" (V2_0, both tokens). */
  readonly preTokenGenerationVersion: "1" | "2";
  /** Declared custom attributes, and what the app client may read and write. */
  readonly attributes: AttributeSchema;
}

/** Which function (template logical id) serves each trigger. */
export type TriggerFunctions = Partial<Record<TriggerName, string>>;

export const DEFAULT_POOL: PoolConfig = Object.freeze<PoolConfig>({
  region: "us-east-1",
  userPoolId: "us-east-1_Local0001",
  clientId: "localpasswordlessclient001",
  usernameAttributes: ["email", "phone_number"],
  // Cognito's default policy: eight characters with lower case, upper case, numbers and symbols.
  passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
  // CreateUserPoolClient: "If you don't specify a value for ExplicitAuthFlows, your app client
  // supports ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH."
  explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"],
  // CloudFormation: PreventUserExistenceErrors "Defaults to LEGACY when you don't provide a value."
  preventUserExistenceErrors: false,
  // AuthSessionValidity: 3 to 15 minutes, default 3.
  authSessionValidityMinutes: 3,
  idTokenValiditySeconds: 3600,
  accessTokenValiditySeconds: 3600,
  refreshTokenValiditySeconds: 30 * 86_400,
  enableTokenRevocation: true,
  preTokenGenerationVersion: "1",
  attributes: attributeSchemaFrom({}, {}),
});

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

function resourcesOfType(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => [logicalId, resource.Properties ?? {}]);
}

function validity(value: unknown, unit: unknown, defaultUnit: string, fallbackSeconds: number): number {
  if (typeof value !== "number" && typeof value !== "string") return fallbackSeconds;
  const seconds = UNIT_SECONDS[typeof unit === "string" ? unit : defaultUnit] ?? 3600;
  return Number(value) * seconds;
}

const LOCAL_ACCOUNT = "000000000000";
const FUNCTION_ARN = /^arn:aws:lambda:[^:]*:[0-9]{12}:function:([A-Za-z0-9]+)$/;

const IDENTITY_PROVIDER = "AWS::Cognito::UserPoolIdentityProvider";

/**
 * Physical values for every resource: a function's ARN names its logical id, so LambdaConfig can be
 * read back; an identity provider's !Ref is its ProviderName, as in CloudFormation, so the client's
 * SupportedIdentityProviders names the provider and not the resource.
 */
function resolveOptions(template: Template, region: string, parameters: Record<string, string> | undefined): ResolveOptions {
  const resources: Record<string, string> = {};
  for (const logicalId of Object.keys(template.Resources)) {
    resources[logicalId] = logicalId;
    resources[`${logicalId}.Arn`] = `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${logicalId}`;
  }
  const base: ResolveOptions = {
    resources,
    pseudoParameters: { "AWS::Region": region, "AWS::AccountId": LOCAL_ACCOUNT, "AWS::StackName": "local" },
    ...(parameters === undefined ? {} : { parameters }),
  };
  for (const [logicalId, properties] of resourcesOfType(template, IDENTITY_PROVIDER)) {
    resources[logicalId] = String(resolveTemplateValue(template, properties["ProviderName"], base, `${logicalId} ProviderName`) ?? "");
  }
  return base;
}

/** The identity providers and hosted domain that exist with these parameters, and the client's OAuth settings. */
function federationFromTemplate(template: Template, options: ResolveOptions, clientProperties: Record<string, unknown>): FederationConfig {
  const resolved = (type: string) =>
    resourcesOfType(template, type)
      .filter(([logicalId]) => resourceExists(template, logicalId, options))
      .map(([logicalId, properties]) => resolveTemplateValue(template, properties, options, logicalId) as Record<string, unknown>);
  const domain = resolved("AWS::Cognito::UserPoolDomain")[0]?.["Domain"];
  return Object.freeze({
    domainPrefix: typeof domain === "string" && domain !== "" ? domain : undefined,
    identityProviders: Object.freeze(resolved(IDENTITY_PROVIDER).map(identityProviderFrom)),
    oauthClient: oauthClientFrom(clientProperties),
  });
}

function referencedResource(value: unknown): string | undefined {
  return typeof value === "string" ? FUNCTION_ARN.exec(value)?.[1] : undefined;
}

function triggersFromLambdaConfig(lambdaConfig: Record<string, unknown>, triggers: Record<string, string>): "1" | "2" | undefined {
  for (const trigger of TRIGGERS) {
    const target = referencedResource(lambdaConfig[trigger]);
    if (target !== undefined) triggers[trigger] = target;
  }
  const v2 = lambdaConfig["PreTokenGenerationConfig"] as Record<string, unknown> | undefined;
  if (v2 === undefined) return undefined;
  const target = referencedResource(v2["LambdaArn"]);
  if (target !== undefined) triggers["PreTokenGeneration"] = target;
  return v2["LambdaVersion"] === "V2_0" || v2["LambdaVersion"] === "V3_0" ? "2" : "1";
}

/** SAM's `Events: { X: { Type: Cognito, Properties: { UserPool, Trigger } } }` on a function. */
function triggersFromSamEvents(template: Template, options: ResolveOptions, triggers: Record<string, string>): void {
  for (const [logicalId, properties] of resourcesOfType(template, "AWS::Serverless::Function")) {
    if (!resourceExists(template, logicalId, options)) continue;
    const events = (properties["Events"] ?? {}) as Record<string, { Type?: unknown; Properties?: Record<string, unknown> }>;
    for (const event of Object.values(events)) {
      if (event.Type !== "Cognito") continue;
      const trigger = resolveTemplateValue(template, event.Properties?.["Trigger"], options, `${logicalId} Events`);
      for (const name of Array.isArray(trigger) ? trigger : [trigger]) {
        if (typeof name === "string") triggers[name] = logicalId;
      }
    }
  }
}

export interface PoolFromTemplate {
  readonly pool: PoolConfig;
  readonly triggers: TriggerFunctions;
  /** Identity providers, hosted domain and the client's OAuth settings (hosted-UI endpoints). */
  readonly federation: FederationConfig;
}

/**
 * The pool and client of template.yaml, with ids and region chosen by the caller
 * (ids are stable so `npm start` can print them once and apps keep working across restarts).
 */
export function poolFromTemplate(
  template: Template,
  ids: { region?: string; userPoolId?: string; clientId?: string; parameters?: Record<string, string> } = {},
): PoolFromTemplate {
  const region = ids.region ?? DEFAULT_POOL.region;
  const options = resolveOptions(template, region, ids.parameters);
  const pools = resourcesOfType(template, "AWS::Cognito::UserPool");
  const clients = resourcesOfType(template, "AWS::Cognito::UserPoolClient");
  if (pools.length !== 1) throw new Error(`template.yaml should declare one AWS::Cognito::UserPool; it declares ${pools.length}.`);
  if (clients.length < 1) throw new Error("template.yaml declares no AWS::Cognito::UserPoolClient.");
  const poolProperties = resolveTemplateValue(template, pools[0]![1], options, pools[0]![0]) as Record<string, unknown>;
  const clientProperties = resolveTemplateValue(template, clients[0]![1], options, clients[0]![0]) as Record<string, unknown>;

  const triggers: Record<string, string> = {};
  triggersFromSamEvents(template, options, triggers);
  const version = triggersFromLambdaConfig((poolProperties["LambdaConfig"] ?? {}) as Record<string, unknown>, triggers);
  for (const [trigger, logicalId] of Object.entries(triggers)) {
    // CloudFormation would refuse the stack: the pool would name a function it did not create.
    if (!resourceExists(template, logicalId, options)) {
      const condition = template.Resources[logicalId]?.Condition;
      throw new Error(
        `template.yaml's user pool runs ${trigger} on ${logicalId}, which does not exist with these parameters${condition === undefined ? "" : ` (its Condition ${condition} fails)`}.`,
      );
    }
  }
  const tier = String(poolProperties["UserPoolTier"] ?? "ESSENTIALS").toUpperCase();
  const advancedSecurity = (poolProperties["UserPoolAddOns"] as Record<string, unknown> | undefined)?.["AdvancedSecurityMode"];
  if (version === "2" && tier === "LITE" && advancedSecurity !== "ENFORCED" && advancedSecurity !== "AUDIT") {
    // Cognito refuses this configuration when the stack is deployed; say so before anyone relies on it locally.
    throw new Error(
      "template.yaml asks for PreTokenGenerationConfig LambdaVersion V2_0 on a LITE user pool: Cognito only accepts V2_0 on the ESSENTIALS or PLUS plan.",
    );
  }

  const usernameAttributes = Array.isArray(poolProperties["UsernameAttributes"])
    ? (poolProperties["UsernameAttributes"] as unknown[]).filter((a): a is UsernameAttribute => a === "email" || a === "phone_number")
    : [];
  const policy = ((poolProperties["Policies"] as Record<string, unknown> | undefined)?.["PasswordPolicy"] ?? {}) as Record<string, unknown>;
  const flag = (value: unknown, fallback: boolean) => (value === undefined ? fallback : value === true || value === "true");
  const defaults = DEFAULT_POOL.passwordPolicy;
  const passwordPolicy: PasswordPolicy = {
    minimumLength: policy["MinimumLength"] === undefined ? defaults.minimumLength : Number(policy["MinimumLength"]),
    requireLowercase: flag(policy["RequireLowercase"], defaults.requireLowercase),
    requireUppercase: flag(policy["RequireUppercase"], defaults.requireUppercase),
    requireNumbers: flag(policy["RequireNumbers"], defaults.requireNumbers),
    requireSymbols: flag(policy["RequireSymbols"], defaults.requireSymbols),
  };
  const units = (clientProperties["TokenValidityUnits"] ?? {}) as Record<string, unknown>;
  const flows = clientProperties["ExplicitAuthFlows"];
  const sessionValidity = clientProperties["AuthSessionValidity"];
  const pool: PoolConfig = Object.freeze({
    region,
    userPoolId: ids.userPoolId ?? `${region}_Local0001`,
    clientId: ids.clientId ?? DEFAULT_POOL.clientId,
    usernameAttributes: Object.freeze(usernameAttributes),
    passwordPolicy: Object.freeze(passwordPolicy),
    explicitAuthFlows: Object.freeze(Array.isArray(flows) ? flows.map(String) : [...DEFAULT_POOL.explicitAuthFlows]),
    preventUserExistenceErrors: clientProperties["PreventUserExistenceErrors"] === "ENABLED",
    authSessionValidityMinutes: sessionValidity === undefined ? DEFAULT_POOL.authSessionValidityMinutes : Number(sessionValidity),
    idTokenValiditySeconds: validity(clientProperties["IdTokenValidity"], units["IdToken"], "hours", DEFAULT_POOL.idTokenValiditySeconds),
    accessTokenValiditySeconds: validity(clientProperties["AccessTokenValidity"], units["AccessToken"], "hours", DEFAULT_POOL.accessTokenValiditySeconds),
    refreshTokenValiditySeconds: validity(clientProperties["RefreshTokenValidity"], units["RefreshToken"], "days", DEFAULT_POOL.refreshTokenValiditySeconds),
    enableTokenRevocation: clientProperties["EnableTokenRevocation"] !== false && clientProperties["EnableTokenRevocation"] !== "false",
    preTokenGenerationVersion: version ?? "1",
    attributes: attributeSchemaFrom(poolProperties, clientProperties),
  });
  return { pool, triggers, federation: federationFromTemplate(template, options, clientProperties) };
}
