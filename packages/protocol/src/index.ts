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
  /**
   * With a PASSKEY answer to SELECT_METHOD in a sign-in without a username: the `challengeId` of
   * `POST /passkeys/challenge`, whose stored challenge the assertion was signed over.
   */
  passkeyChallenge: "passkeyChallenge",
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

/**
 * The passkey API (HTTP, beside Cognito; docs/protocol.md, "Passkey API"): its routes, as
 * template.yaml declares them and the client calls them. `{id}` is a credential id (base64url).
 */
export const PASSKEY_API_ROUTES = {
  list: { method: "GET", path: "/passkeys" },
  rename: { method: "PATCH", path: "/passkeys/{id}" },
  remove: { method: "DELETE", path: "/passkeys/{id}" },
  registrationOptions: { method: "POST", path: "/passkeys/registration-options" },
  add: { method: "POST", path: "/passkeys" },
  /** Public (no token): `{ challengeId, options }` for a sign-in without a username. */
  signInChallenge: { method: "POST", path: "/passkeys/challenge" },
} as const;
export type PasskeyApiRoute = keyof typeof PASSKEY_API_ROUTES;

/** The routes that take no token: API Gateway's authorizer is off for them (template.yaml). */
export const PUBLIC_PASSKEY_API_ROUTES = ["signInChallenge"] as const satisfies readonly PasskeyApiRoute[];
export type PublicPasskeyApiRoute = (typeof PUBLIC_PASSKEY_API_ROUTES)[number];

export function isPublicPasskeyApiRoute(route: PasskeyApiRoute): route is PublicPasskeyApiRoute {
  return (PUBLIC_PASSKEY_API_ROUTES as readonly string[]).includes(route);
}

/**
 * The `error` of every refusal the passkey API's function gives, `{ error, message }`, with its
 * HTTP status. (A request API Gateway's JWT authorizer refuses never reaches the function: it is
 * answered `401 {"message":"Unauthorized"}` by API Gateway itself, with no `error`.)
 */
export const PASSKEY_API_ERRORS = {
  /** 400: a body that is not the JSON the route takes, or a name out of bounds. */
  invalid_request: 400,
  /** 400: the registration did not verify (signature, origin, RP id, user verification, challenge). */
  registration_failed: 400,
  /** 400: the challenge id is unknown, used already, expired, or another user's. */
  challenge_invalid: 400,
  /** 401: no access token of this app client: none, expired, an ID token, another client's. */
  unauthorized: 401,
  /** 403: adding a passkey needs a sign-in newer than the configured age: sign in again. */
  reauthentication_required: 403,
  /** 404: no passkey of the caller's has this id (none, another user's, or a malformed id). */
  not_found: 404,
  /**
   * 404, on the two add routes and the sign-in challenge route only: this deployment does not offer
   * passkeys (no PASSKEY in SignInMethods), so none can be added or sign in; passkeys the users have
   * are still listed, renamed, removed.
   */
  passkeys_not_offered: 404,
  /** 409: this authenticator's passkey is registered already. */
  credential_already_registered: 409,
  /** 409: the user has as many passkeys as the deployment allows. */
  passkey_limit_reached: 409,
  /** 413: a body larger than the API takes. */
  payload_too_large: 413,
  /** 503: the store or Cognito did not answer in time; nothing was changed that refuses a retry. */
  service_unavailable: 503,
} as const;
export type PasskeyApiErrorCode = keyof typeof PASSKEY_API_ERRORS;

export function isPasskeyApiErrorCode(value: unknown): value is PasskeyApiErrorCode {
  return typeof value === "string" && Object.hasOwn(PASSKEY_API_ERRORS, value);
}

/** The body of every refusal by the passkey API's function. */
export interface PasskeyApiErrorBody {
  readonly error: PasskeyApiErrorCode;
  readonly message: string;
}

/** One of the caller's passkeys, as `GET /passkeys` lists it and `POST /passkeys` returns it. */
export interface PasskeySummary {
  /** The credential id, base64url: the `{id}` of the routes. */
  readonly id: string;
  /** The friendly name: given by the user, else the provider's or the browser's. */
  readonly name: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601; absent when it never signed in. */
  readonly lastUsedAt?: string;
  /** True when the provider syncs it (multi-device); false for a device-bound key. */
  readonly backedUp: boolean;
  readonly transports: readonly string[];
  /** The authenticator's name when its AAGUID is well known. */
  readonly authenticator?: string;
}

/** Bounds of a passkey's name (`PATCH /passkeys/{id}`, `POST /passkeys`): 1 to this many characters, no control characters. */
export const PASSKEY_NAME_MAX_CHARS = 64;
