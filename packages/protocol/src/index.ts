/**
 * The names the app ↔ trigger contract is made of (docs/protocol.md): rounds, their public
 * parameters, the client metadata an app sends, the answers with a meaning of their own, and the
 * claims the tokens carry. The triggers (lib/) and the client package both import them from here,
 * so no name is ever a loose string literal on either side. No dependencies, no I/O.
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

/** The public challenge parameters of the rounds (all values are strings, as Cognito passes them). */
export const PUBLIC_PARAMETERS = {
  /** Every round: which round this is (a Round). */
  type: "type",
  /** SELECT_METHOD: the methods this deployment offers, comma-separated. */
  methods: "methods",
  /** SELECT_METHOD, when PASSKEY is offered: JSON of PublicKeyCredentialRequestOptionsJSON. */
  passkeyOptions: "passkeyOptions",
  /** Code rounds: where the code went, masked as typed, or the channel's wording. */
  destination: "destination",
  /** Code rounds: digits in the code. */
  codeLength: "codeLength",
  /** Code rounds: ISO 8601. */
  expiresAt: "expiresAt",
  /** PASSKEY_REGISTRATION: JSON of PublicKeyCredentialCreationOptionsJSON. */
  options: "options",
} as const;

/** ClientMetadata keys the app sends with RespondToAuthChallenge (InitiateAuth's never reaches the triggers). */
export const CLIENT_METADATA = {
  /** With the SELECT_METHOD answer: the chosen SignInMethod. */
  signInMethod: "signInMethod",
  /** "true" with the answer that completes a factor: a PASSKEY_REGISTRATION round follows. */
  registerPasskey: "registerPasskey",
  /** What the person typed, with the SELECT_METHOD answer: the code round's destination is its mask. */
  login: "login",
  /** The browser's user agent, with the registration answer: names the passkey when its authenticator is not well known. */
  userAgent: "userAgent",
} as const;

/** The answer that declines passkey enrolment. */
export const SKIP_REGISTRATION_ANSWER = "SKIP";

/** Cognito's own challenge name for every round of a custom flow. */
export const CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE";

/** What a code round shows as `destination` when what was typed is not of the channel's kind. */
export const CHANNEL_WORDING: Readonly<Record<CodeMethod, string>> = Object.freeze({
  EMAIL_OTP: "your email address",
  SMS_OTP: "your phone number",
});

export function isSignInMethod(value: unknown): value is SignInMethod {
  return typeof value === "string" && (SIGN_IN_METHODS as readonly string[]).includes(value);
}

export function isCodeMethod(value: unknown): value is CodeMethod {
  return typeof value === "string" && (CODE_METHODS as readonly string[]).includes(value);
}

export function isRound(value: unknown): value is Round {
  return typeof value === "string" && (ROUNDS as readonly string[]).includes(value);
}

/** The claims PreTokenGeneration adds (Cognito reserves `amr` and `acr`, which no trigger can set). */
export const AUTH_CLAIM_NAMES = { methods: "auth_methods", level: "auth_level" } as const;

/**
 * Values of the `auth_methods` claim, in Cognito's own AMR vocabulary (AWS developer guide, "Pre
 * token generation Lambda trigger"): `swk` a passkey that may be backed up and synced, `hwk` a
 * device-bound key.
 */
export type AuthMethodClaim = "email_otp" | "sms" | "swk" | "hwk";
export const AUTH_METHOD_CLAIMS: readonly AuthMethodClaim[] = ["email_otp", "sms", "swk", "hwk"];

/** Values of the `auth_level` claim: the levels Cognito's step-up feature uses. */
export const AUTH_LEVEL = {
  code: "urn:cognito:loa:2",
  passkey: "urn:cognito:loa:3",
} as const;
export type AuthLevel = (typeof AUTH_LEVEL)[keyof typeof AUTH_LEVEL];
