/**
 * Configuration, read from the environment once per cold start.
 * Each function reads only the sections it uses; a missing or invalid variable
 * throws a ConfigError naming the variable and what it should hold, so a broken
 * deployment fails on its first invocation with a message that says why.
 */
import { ConfigError } from "./errors.ts";
import { SIGN_IN_METHODS, type SignInMethod, isSignInMethod } from "@cognito-passwordless/protocol";

export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function required(env: Env, name: string, what: string): string {
  const value = raw(env, name);
  if (value === undefined) throw new ConfigError(`${name} is not set: it should hold ${what}.`);
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} is "${value}": it should be a whole number from ${min} to ${max}.`);
  }
  return Number(value);
}

function list(env: Env, name: string): string[] | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

export interface FlowConfig {
  /** Methods offered in SELECT_METHOD, in the order the app sees them. Deployment-wide, never per user. */
  readonly signInMethods: readonly SignInMethod[];
  /** Wrong answers allowed per code before the session fails. */
  readonly codeMaxAttempts: number;
  /** How many times a failed passkey registration is offered again before tokens are issued anyway. */
  readonly registrationMaxAttempts: number;
}

export function readFlowConfig(env: Env): FlowConfig {
  const methods = list(env, "SIGN_IN_METHODS") ?? ["EMAIL_OTP", "SMS_OTP"];
  if (methods.length === 0) {
    throw new ConfigError(`SIGN_IN_METHODS is empty: it should list one or more of ${SIGN_IN_METHODS.join(", ")}.`);
  }
  for (const method of methods) {
    if (!isSignInMethod(method)) {
      throw new ConfigError(`SIGN_IN_METHODS has "${method}": it should list one or more of ${SIGN_IN_METHODS.join(", ")}, comma-separated.`);
    }
  }
  return Object.freeze({
    signInMethods: Object.freeze([...new Set(methods)] as SignInMethod[]),
    codeMaxAttempts: integer(env, "CODE_MAX_ATTEMPTS", 3, 1, 10),
    registrationMaxAttempts: integer(env, "PASSKEY_REGISTRATION_MAX_ATTEMPTS", 2, 1, 5),
  });
}

export interface CodeConfig {
  readonly codeLength: number;
  readonly codeTtlSeconds: number;
  readonly rateLimitWindowSeconds: number;
  /** Codes one user may be sent to one destination per window. */
  readonly rateLimitPerUser: number;
  /** Codes one destination may receive per window, across all users. */
  readonly rateLimitPerDestination: number;
  /** Country calling codes (digits, no "+") SMS may be sent to. */
  readonly smsAllowedCountryCodes: readonly string[];
  readonly emailFrom: string | undefined;
  readonly emailSubject: string;
  readonly appName: string;
  readonly smsSenderId: string | undefined;
  /** The deployment's SMS budget (lib/store/sms-budget.ts). */
  readonly smsBudget: {
    readonly windowSeconds: number;
    readonly perWindow: number;
    readonly perCountryPerWindow: number;
  };
}

export function readCodeConfig(env: Env, flow: FlowConfig): CodeConfig {
  const countryCodes = list(env, "SMS_ALLOWED_COUNTRY_CODES") ?? [];
  for (const code of countryCodes) {
    if (!/^[1-9]\d{0,2}$/.test(code)) {
      throw new ConfigError(`SMS_ALLOWED_COUNTRY_CODES has "${code}": it should list country calling codes such as 1,44,49 (digits, no "+").`);
    }
  }
  if (flow.signInMethods.includes("SMS_OTP") && countryCodes.length === 0) {
    throw new ConfigError("SMS_ALLOWED_COUNTRY_CODES is not set: SMS_OTP is enabled, so it should list the country calling codes SMS may go to, such as 1,44.");
  }
  const emailFrom = raw(env, "EMAIL_FROM");
  if (flow.signInMethods.includes("EMAIL_OTP")) {
    if (emailFrom === undefined) {
      throw new ConfigError("EMAIL_FROM is not set: EMAIL_OTP is enabled, so it should hold the SES-verified sender address.");
    }
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(emailFrom.replace(/^.*<(.+)>\s*$/, "$1"))) {
      throw new ConfigError(`EMAIL_FROM is "${emailFrom}": it should be an email address, optionally as "Name <address>".`);
    }
  }
  const smsSenderId = raw(env, "SMS_SENDER_ID");
  if (smsSenderId !== undefined && !/^(?=.*[A-Za-z])[A-Za-z0-9-]{1,11}$/.test(smsSenderId)) {
    throw new ConfigError(`SMS_SENDER_ID is "${smsSenderId}": it should be 1 to 11 letters, digits or hyphens, with at least one letter.`);
  }
  return Object.freeze({
    codeLength: integer(env, "CODE_LENGTH", 6, 6, 10),
    codeTtlSeconds: integer(env, "CODE_TTL_SECONDS", 300, 60, 900),
    rateLimitWindowSeconds: integer(env, "RATE_LIMIT_WINDOW_SECONDS", 3600, 60, 86_400),
    rateLimitPerUser: integer(env, "RATE_LIMIT_PER_USER", 5, 1, 1000),
    rateLimitPerDestination: integer(env, "RATE_LIMIT_PER_DESTINATION", 10, 1, 10_000),
    smsAllowedCountryCodes: Object.freeze(countryCodes),
    emailFrom,
    emailSubject: raw(env, "EMAIL_SUBJECT") ?? "Your sign-in code",
    appName: raw(env, "APP_NAME") ?? "your account",
    smsSenderId,
    smsBudget: Object.freeze({
      windowSeconds: integer(env, "SMS_BUDGET_WINDOW_SECONDS", 3600, 60, 86_400),
      perWindow: integer(env, "SMS_BUDGET_PER_WINDOW", 500, 1, 1_000_000),
      perCountryPerWindow: integer(env, "SMS_BUDGET_PER_COUNTRY_PER_WINDOW", 200, 1, 1_000_000),
    }),
  });
}

export interface NoticeConfig {
  /** APP_NAME: the app a notice speaks of. */
  readonly appName: string;
  /** EMAIL_FROM; without it notices can go by SMS only. */
  readonly emailFrom: string | undefined;
  readonly smsSenderId: string | undefined;
  readonly smsAllowedCountryCodes: readonly string[];
}

/**
 * What VerifyAuthChallengeResponse needs to tell an account's owner of a new passkey: the same
 * sender, app name and SMS countries as the codes, read and checked by the same rules.
 */
export function readNoticeConfig(env: Env, flow: FlowConfig): NoticeConfig {
  const code = readCodeConfig(env, flow);
  return Object.freeze({
    appName: code.appName,
    emailFrom: code.emailFrom,
    smsSenderId: code.smsSenderId,
    smsAllowedCountryCodes: code.smsAllowedCountryCodes,
  });
}

export interface PacingConfig {
  /** How long a decoy code round waits before the instance has timed a real round. */
  readonly decoyInitialDelayMs: number;
}

export function readPacingConfig(env: Env): PacingConfig {
  return Object.freeze({ decoyInitialDelayMs: integer(env, "DECOY_INITIAL_DELAY_MS", 100, 0, 1000) });
}

export interface StoreConfig {
  readonly tableName: string;
}

export function readStoreConfig(env: Env): StoreConfig {
  const tableName = required(env, "TABLE_NAME", "the name of the DynamoDB table the suite keeps its records in");
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigError(`TABLE_NAME is "${tableName}": it should be a DynamoDB table name (3–255 of A-Z a-z 0-9 _ . -).`);
  }
  return Object.freeze({ tableName });
}

export interface AwsCallConfig {
  /** Per-attempt timeout of every AWS call, well inside Cognito's 5 s limit per trigger. */
  readonly timeoutMs: number;
  readonly maxAttempts: number;
}

export function readAwsCallConfig(env: Env): AwsCallConfig {
  return Object.freeze({
    timeoutMs: integer(env, "AWS_CALL_TIMEOUT_MS", 1000, 100, 2000),
    maxAttempts: integer(env, "AWS_CALL_MAX_ATTEMPTS", 2, 1, 3),
  });
}

export interface LinkConfig {
  /**
   * Identity providers, as named in the pool, whose verified email or phone may link a federated
   * user to a native one. Empty: nothing is ever linked.
   */
  readonly trustedProviders: readonly string[];
  /** Create a native user for a verified address nobody holds, and link to it. */
  readonly createNativeUser: boolean;
  /** Timeout of each change (create, link): one attempt, since neither may run twice. */
  readonly changeTimeoutMs: number;
  /** Time linking may take in all, inside Cognito's 5 s for the trigger. */
  readonly budgetMs: number;
}

/** Cognito's ProviderName: 1 to 32 characters, no spaces. */
const PROVIDER_NAME = /^[^\s]{1,32}$/;

export function readLinkConfig(env: Env): LinkConfig {
  const providers = list(env, "LINK_PROVIDERS") ?? [];
  for (const provider of providers) {
    if (!PROVIDER_NAME.test(provider) || provider.toLowerCase() === "cognito") {
      throw new ConfigError(
        `LINK_PROVIDERS has "${provider}": it should list identity provider names as the user pool spells them (1 to 32 characters, no spaces), comma-separated.`,
      );
    }
  }
  const create = raw(env, "LINK_CREATES_NATIVE_USER") ?? "true";
  if (create !== "true" && create !== "false") {
    throw new ConfigError(`LINK_CREATES_NATIVE_USER is "${create}": it should be true or false.`);
  }
  return Object.freeze({
    trustedProviders: Object.freeze([...new Set(providers)]),
    createNativeUser: create === "true",
    changeTimeoutMs: integer(env, "LINK_CHANGE_TIMEOUT_MS", 1500, 200, 2000),
    budgetMs: 4500,
  });
}

export interface PasskeyConfig {
  /** The WebAuthn relying party id: the site's registrable domain, e.g. example.com. */
  readonly rpId: string;
  readonly rpName: string;
  /** Origins an assertion or registration may come from: https web origins and android:apk-key-hash: origins. */
  readonly allowedOrigins: readonly string[];
  readonly userVerification: "required" | "preferred";
  readonly maxPerUser: number;
  readonly timeoutMs: number;
}

/**
 * Passkey settings; undefined when PASSKEY is not offered (then no passkey round can exist:
 * Define offers enrolment only where PASSKEY is in SIGN_IN_METHODS).
 */
export function readPasskeyConfig(env: Env, flow: FlowConfig): PasskeyConfig | undefined {
  if (!flow.signInMethods.includes("PASSKEY")) return undefined;
  const rpId = required(env, "PASSKEY_RP_ID", "the WebAuthn relying party id: your site's domain, such as example.com");
  if (!/^(localhost|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/.test(rpId)) {
    throw new ConfigError(`PASSKEY_RP_ID is "${rpId}": it should be a lower-case domain name such as example.com (no scheme, port or path).`);
  }
  const origins = list(env, "PASSKEY_ALLOWED_ORIGINS") ?? [];
  if (origins.length === 0) {
    throw new ConfigError(
      "PASSKEY_ALLOWED_ORIGINS is not set: it should list the origins passkeys are used from, such as https://example.com,android:apk-key-hash:<hash>.",
    );
  }
  for (const origin of origins) {
    const web = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/.test(origin) || /^http:\/\/localhost(:\d{1,5})?$/.test(origin);
    const android = /^android:apk-key-hash:[A-Za-z0-9_-]{43}$/.test(origin);
    if (!web && !android) {
      throw new ConfigError(
        `PASSKEY_ALLOWED_ORIGINS has "${origin}": each origin should be https://host[:port] (http only for localhost) or android:apk-key-hash:<base64url SHA-256>.`,
      );
    }
  }
  const userVerification = raw(env, "PASSKEY_USER_VERIFICATION") ?? "required";
  if (userVerification !== "required" && userVerification !== "preferred") {
    throw new ConfigError(`PASSKEY_USER_VERIFICATION is "${userVerification}": it should be required or preferred.`);
  }
  return Object.freeze({
    rpId,
    rpName: raw(env, "PASSKEY_RP_NAME") ?? raw(env, "APP_NAME") ?? rpId,
    allowedOrigins: Object.freeze(origins),
    userVerification,
    maxPerUser: integer(env, "PASSKEY_MAX_PER_USER", 10, 1, 100),
    timeoutMs: integer(env, "PASSKEY_TIMEOUT_MS", 120_000, 30_000, 600_000),
  });
}

export interface PasskeyApiConfig {
  /** The user pool whose users the API serves (AdminGetUser, the `custom:passkeys` cache). */
  readonly userPoolId: string;
  /** The app client whose access tokens the API takes; API Gateway's authorizer checks it too. */
  readonly userPoolClientId: string;
  /** How old a sign-in (`auth_time`) may be for a passkey to be added without signing in again. */
  readonly reauthMaxAgeSeconds: number;
}

/** Cognito's UserPoolId pattern (API reference, UserPoolIdType): `<region>_<id>`. */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
/** Cognito's ClientIdType: 1 to 128 of `[\w+]`. */
const USER_POOL_CLIENT_ID = /^[\w+]{1,128}$/;

/** What the passkey API's function needs beyond the passkey, notice and store settings. */
export function readPasskeyApiConfig(env: Env): PasskeyApiConfig {
  const userPoolId = required(env, "USER_POOL_ID", "the id of the user pool, such as eu-west-1_AbCdEf123");
  if (!USER_POOL_ID.test(userPoolId) || userPoolId.length > 55) {
    throw new ConfigError(`USER_POOL_ID is "${userPoolId}": it should be a user pool id such as eu-west-1_AbCdEf123.`);
  }
  const userPoolClientId = required(env, "USER_POOL_CLIENT_ID", "the id of the app client whose access tokens the API takes");
  if (!USER_POOL_CLIENT_ID.test(userPoolClientId)) {
    throw new ConfigError(`USER_POOL_CLIENT_ID is "${userPoolClientId}": it should be an app client id (1 to 128 letters, digits, _ or +).`);
  }
  return Object.freeze({
    userPoolId,
    userPoolClientId,
    // 30 s at least: less would refuse a person who signed in and went straight on to add one.
    // A day at most: past that, "recent" means nothing a stolen session could not also claim.
    reauthMaxAgeSeconds: integer(env, "PASSKEY_REAUTH_MAX_AGE_SECONDS", 300, 30, 86_400),
  });
}
