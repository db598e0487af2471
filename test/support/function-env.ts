/**
 * The environment a deployed function gets from template.yaml, for the tests' pool. The handler
 * tests read their configuration from it as a literal (test/unit/handlers/handler-kit.ts); tests
 * that import the real function entry points (functions/<name>/index.ts: the fuzz tests, the
 * sample-event test) set it with setFunctionEnv before the first import, since configuration is
 * read at cold start.
 */
export const UNIT_ENV: Record<string, string> = {
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  TABLE_NAME: "passwordless-test",
  SIGN_IN_METHODS: "EMAIL_OTP,SMS_OTP",
  EMAIL_FROM: "Example <no-reply@example.com>",
  APP_NAME: "Example",
  SMS_ALLOWED_COUNTRY_CODES: "44,49",
  CODE_LENGTH: "6",
  CODE_TTL_SECONDS: "300",
  CODE_MAX_ATTEMPTS: "3",
  LOG_LEVEL: "DEBUG",
  // Decoy rounds would otherwise wait a realistic 100 ms before the instance has timed a real round.
  DECOY_INITIAL_DELAY_MS: "0",
};

export function setFunctionEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, UNIT_ENV, extra);
}
