/**
 * The names the app ↔ trigger contract is made of (see README, "Protocol").
 * One typed place for them, so no challenge name is ever a loose string literal.
 */

/** The sign-in methods an app may choose in the SELECT_METHOD round. */
export const SIGN_IN_METHODS = ["PASSKEY", "EMAIL_OTP", "SMS_OTP"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** The one-time-code methods: a code is sent to an address the user holds. */
export const CODE_METHODS = ["EMAIL_OTP", "SMS_OTP"] as const;
export type CodeMethod = (typeof CODE_METHODS)[number];

/** Every round the suite can pose; it is the `type` public parameter of each challenge. */
export const ROUNDS = ["SELECT_METHOD", "EMAIL_OTP", "SMS_OTP", "PASSKEY_REGISTRATION"] as const;
export type Round = (typeof ROUNDS)[number];

/** ClientMetadata keys the app sends with RespondToAuthChallenge. */
export const CLIENT_METADATA = {
  signInMethod: "signInMethod",
  registerPasskey: "registerPasskey",
  /** What the person typed, so an unknown user's decoy round masks it like a real one (README, "Unknown users"). */
  login: "login",
} as const;

/** The answer that declines passkey enrolment. */
export const SKIP_REGISTRATION_ANSWER = "SKIP";

/** Cognito's own challenge name for every round of a custom flow. */
export const CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE";

export function isSignInMethod(value: unknown): value is SignInMethod {
  return typeof value === "string" && (SIGN_IN_METHODS as readonly string[]).includes(value);
}

export function isCodeMethod(value: unknown): value is CodeMethod {
  return typeof value === "string" && (CODE_METHODS as readonly string[]).includes(value);
}

/**
 * Values of the `auth_methods` claim, in Cognito's own AMR vocabulary
 * (AWS developer guide, "Pre token generation Lambda trigger").
 */
export type AuthMethodClaim = "email_otp" | "sms" | "swk" | "hwk";

/** Values of the `auth_level` claim: the levels Cognito's step-up feature uses. */
export const AUTH_LEVEL = {
  code: "urn:cognito:loa:2",
  passkey: "urn:cognito:loa:3",
} as const;
export type AuthLevel = (typeof AUTH_LEVEL)[keyof typeof AUTH_LEVEL];
