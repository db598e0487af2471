import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAwsCallConfig, readCodeConfig, readFlowConfig, readPasskeyApiConfig, readStoreConfig } from "../../lib/config.ts";
import { ConfigError } from "../../lib/errors.ts";

const codeEnv = { EMAIL_FROM: "Sign-in <no-reply@example.com>", SMS_ALLOWED_COUNTRY_CODES: "1,44" };

function configError(fn: () => unknown, variable: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.code, "CONFIG_INVALID");
    assert.match(error.message, new RegExp(`^${variable} `), "the message starts with the variable's name");
    return true;
  });
}

describe("configuration", () => {
  it("has safe defaults for the flow", () => {
    const flow = readFlowConfig({});
    assert.deepEqual(flow.signInMethods, ["EMAIL_OTP", "SMS_OTP"]);
    assert.equal(flow.codeMaxAttempts, 3);
    assert.ok(Object.isFrozen(flow));
  });

  it("keeps the order of SIGN_IN_METHODS, which is the order the app sees", () => {
    assert.deepEqual(readFlowConfig({ SIGN_IN_METHODS: " SMS_OTP , EMAIL_OTP " }).signInMethods, ["SMS_OTP", "EMAIL_OTP"]);
  });

  it("names the variable and what it should hold when a value is wrong", () => {
    configError(() => readFlowConfig({ SIGN_IN_METHODS: "EMAIL_OTP,MAGIC_LINK" }), "SIGN_IN_METHODS");
    configError(() => readFlowConfig({ SIGN_IN_METHODS: "," }), "SIGN_IN_METHODS");
    configError(() => readFlowConfig({ CODE_MAX_ATTEMPTS: "0" }), "CODE_MAX_ATTEMPTS");
    configError(() => readFlowConfig({ CODE_MAX_ATTEMPTS: "three" }), "CODE_MAX_ATTEMPTS");
    configError(() => readCodeConfig({ ...codeEnv, CODE_LENGTH: "4" }, readFlowConfig({})), "CODE_LENGTH");
    configError(() => readCodeConfig({ ...codeEnv, CODE_TTL_SECONDS: "3600" }, readFlowConfig({})), "CODE_TTL_SECONDS");
    configError(() => readCodeConfig({ ...codeEnv, SMS_ALLOWED_COUNTRY_CODES: "+44" }, readFlowConfig({})), "SMS_ALLOWED_COUNTRY_CODES");
    configError(() => readCodeConfig({ ...codeEnv, EMAIL_FROM: "not an address" }, readFlowConfig({})), "EMAIL_FROM");
    configError(() => readCodeConfig({ ...codeEnv, SMS_SENDER_ID: "far-too-long-id" }, readFlowConfig({})), "SMS_SENDER_ID");
    configError(() => readStoreConfig({ TABLE_NAME: "no spaces allowed" }), "TABLE_NAME");
    configError(() => readAwsCallConfig({ AWS_CALL_TIMEOUT_MS: "10000" }), "AWS_CALL_TIMEOUT_MS");
  });

  it("requires what an enabled method needs, and only then", () => {
    configError(() => readStoreConfig({}), "TABLE_NAME");
    configError(() => readCodeConfig({ SMS_ALLOWED_COUNTRY_CODES: "44" }, readFlowConfig({})), "EMAIL_FROM");
    configError(() => readCodeConfig({ EMAIL_FROM: "a@example.com" }, readFlowConfig({})), "SMS_ALLOWED_COUNTRY_CODES");
    const emailOnly = readCodeConfig({ EMAIL_FROM: "a@example.com" }, readFlowConfig({ SIGN_IN_METHODS: "EMAIL_OTP" }));
    assert.deepEqual(emailOnly.smsAllowedCountryCodes, []);
    const smsOnly = readCodeConfig({ SMS_ALLOWED_COUNTRY_CODES: "44" }, readFlowConfig({ SIGN_IN_METHODS: "SMS_OTP" }));
    assert.equal(smsOnly.emailFrom, undefined);
  });

  it("keeps every AWS call well inside Cognito's 5 second limit", () => {
    const call = readAwsCallConfig({});
    assert.ok(call.timeoutMs * call.maxAttempts <= 2000);
  });

  it("reads the passkey API's pool, app client and sign-in age, and names what is wrong", () => {
    const apiEnv = { USER_POOL_ID: "eu-west-1_AbCdEf123", USER_POOL_CLIENT_ID: "3n4b5urk1ft4fl3mg5e62d9ado" };
    const api = readPasskeyApiConfig(apiEnv);
    assert.deepEqual(api, { userPoolId: "eu-west-1_AbCdEf123", userPoolClientId: "3n4b5urk1ft4fl3mg5e62d9ado", reauthMaxAgeSeconds: 300 });
    assert.ok(Object.isFrozen(api));
    assert.equal(readPasskeyApiConfig({ ...apiEnv, PASSKEY_REAUTH_MAX_AGE_SECONDS: "30" }).reauthMaxAgeSeconds, 30);
    assert.equal(readPasskeyApiConfig({ ...apiEnv, PASSKEY_REAUTH_MAX_AGE_SECONDS: "86400" }).reauthMaxAgeSeconds, 86_400);
    configError(() => readPasskeyApiConfig({ ...apiEnv, PASSKEY_REAUTH_MAX_AGE_SECONDS: "29" }), "PASSKEY_REAUTH_MAX_AGE_SECONDS");
    configError(() => readPasskeyApiConfig({ ...apiEnv, PASSKEY_REAUTH_MAX_AGE_SECONDS: "86401" }), "PASSKEY_REAUTH_MAX_AGE_SECONDS");
    configError(() => readPasskeyApiConfig({ ...apiEnv, PASSKEY_REAUTH_MAX_AGE_SECONDS: "5m" }), "PASSKEY_REAUTH_MAX_AGE_SECONDS");
    configError(() => readPasskeyApiConfig({ USER_POOL_CLIENT_ID: "client" }), "USER_POOL_ID");
    configError(() => readPasskeyApiConfig({ ...apiEnv, USER_POOL_ID: "not a pool" }), "USER_POOL_ID");
    configError(() => readPasskeyApiConfig({ USER_POOL_ID: "eu-west-1_AbCdEf123" }), "USER_POOL_CLIENT_ID");
    configError(() => readPasskeyApiConfig({ ...apiEnv, USER_POOL_CLIENT_ID: "has spaces" }), "USER_POOL_CLIENT_ID");
  });
});
