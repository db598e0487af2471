/**
 * Why a passkey manager call did not go on: one class per outcome an app must tell apart, each
 * with a stable `code`, on the same PasswordlessError base as the sign-in errors. A person
 * dismissing the browser's prompt is the sign-in's PasskeyCancelledError (ceremony
 * "registration"), a browser that cannot run it PasskeyFailedError, and an answer outside the
 * API's contract UnexpectedResponseError.
 */
import { PASSKEY_NAME_MAX_CHARS, type PasskeyApiErrorCode } from "@cognito-passwordless/protocol";
import { PasswordlessError } from "./errors.ts";

/** Every code the passkey manager's own errors carry. */
export type PasskeyManagerErrorCode =
  | "REAUTHENTICATION_REQUIRED"
  | "NOT_SIGNED_IN"
  | "PASSKEY_NOT_FOUND"
  | "PASSKEY_LIMIT_REACHED"
  | "PASSKEYS_NOT_OFFERED"
  | "PASSKEY_ALREADY_REGISTERED"
  | "PASSKEY_REGISTRATION_REFUSED"
  | "INVALID_PASSKEY_NAME"
  | "PASSKEY_API_UNAVAILABLE";

/**
 * Adding a passkey needs a sign-in newer than the deployment allows (403
 * reauthentication_required; 5 minutes by default). Refreshing the tokens does not help, since
 * they keep the original sign-in time: sign the person out and in again, then add it.
 */
export class ReauthenticationRequiredError extends PasswordlessError {
  static readonly code = "REAUTHENTICATION_REQUIRED";
  readonly code = "REAUTHENTICATION_REQUIRED";
  override readonly name = "ReauthenticationRequiredError";
  constructor(options?: ErrorOptions) {
    super("Adding a passkey needs a recent sign-in: sign in again, then add it.", options);
  }
}

/**
 * No access token to send (the token getter gave none), or the API refused it (any 401: API
 * Gateway's own for a missing, expired or foreign token, the function's for an ID token). Sign in.
 */
export class NotSignedInError extends PasswordlessError {
  static readonly code = "NOT_SIGNED_IN";
  readonly code = "NOT_SIGNED_IN";
  override readonly name = "NotSignedInError";
  constructor(
    /** False when there was no token to send, so nothing was sent. */
    readonly tokenRefused: boolean,
    options?: ErrorOptions,
  ) {
    super(
      tokenRefused
        ? "The passkey API refused the access token (expired, revoked, an ID token or another app client's): sign in again."
        : "There is no access token to send: nobody is signed in. Nothing was sent.",
      options,
    );
  }
}

/** None of the signed-in user's passkeys has this id (404 not_found): removed already, or never theirs. Nothing changed. */
export class PasskeyNotFoundError extends PasswordlessError {
  static readonly code = "PASSKEY_NOT_FOUND";
  readonly code = "PASSKEY_NOT_FOUND";
  override readonly name = "PasskeyNotFoundError";
  constructor(
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`You have no passkey with id ${id}: nothing was changed.`, options);
  }
}

/** The user has as many passkeys as the deployment allows (409 passkey_limit_reached): remove one first. */
export class PasskeyLimitReachedError extends PasswordlessError {
  static readonly code = "PASSKEY_LIMIT_REACHED";
  readonly code = "PASSKEY_LIMIT_REACHED";
  override readonly name = "PasskeyLimitReachedError";
  constructor(options?: ErrorOptions) {
    super("You have as many passkeys as this app allows: remove one, then add the new one.", options);
  }
}

/**
 * This deployment does not offer passkeys (404 passkeys_not_offered, from either add route): none
 * can be added. The passkeys users have are still listed, renamed and removed.
 */
export class PasskeysNotOfferedError extends PasswordlessError {
  static readonly code = "PASSKEYS_NOT_OFFERED";
  readonly code = "PASSKEYS_NOT_OFFERED";
  override readonly name = "PasskeysNotOfferedError";
  constructor(options?: ErrorOptions) {
    super("This app does not offer passkeys: none can be added. The ones you have can still be removed.", options);
  }
}

/**
 * This authenticator holds one of the user's passkeys already: the browser said so (the options'
 * excludeCredentials listed it), or the API did (409 credential_already_registered).
 */
export class PasskeyAlreadyRegisteredError extends PasswordlessError {
  static readonly code = "PASSKEY_ALREADY_REGISTERED";
  readonly code = "PASSKEY_ALREADY_REGISTERED";
  override readonly name = "PasskeyAlreadyRegisteredError";
  constructor(options?: ErrorOptions) {
    super("This authenticator already holds a passkey for this account: there is nothing to add.", options);
  }
}

/** The reasons the API refuses a new passkey with a 400. */
export type RegistrationRefusal = Extract<PasskeyApiErrorCode, "registration_failed" | "challenge_invalid">;

/**
 * The API refused the new passkey: it did not verify (`registration_failed`), or its challenge
 * was unknown, used or expired (`challenge_invalid`). `addPasskey` again asks for a new challenge.
 */
export class PasskeyRegistrationRefusedError extends PasswordlessError {
  static readonly code = "PASSKEY_REGISTRATION_REFUSED";
  readonly code = "PASSKEY_REGISTRATION_REFUSED";
  override readonly name = "PasskeyRegistrationRefusedError";
  constructor(
    readonly reason: RegistrationRefusal,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`The passkey API refused the new passkey (${reason}): ${detail}`, options);
  }
}

/**
 * The name is empty, longer than PASSKEY_NAME_MAX_CHARS characters or holds control or format
 * characters: checked before sending, and the API's own 400 invalid_request to a request with a name.
 */
export class InvalidPasskeyNameError extends PasswordlessError {
  static readonly code = "INVALID_PASSKEY_NAME";
  readonly code = "INVALID_PASSKEY_NAME";
  override readonly name = "InvalidPasskeyNameError";
  constructor(
    readonly passkeyName: string,
    options?: ErrorOptions,
  ) {
    super(`A passkey's name is 1 to ${PASSKEY_NAME_MAX_CHARS} characters, without control or format characters.`, options);
  }
}

/**
 * The passkey API did not serve the request now: no answer (a network error, a CORS refusal),
 * 503 service_unavailable, throttling (429) or another 5xx. Nothing was changed that refuses a retry.
 */
export class PasskeyApiUnavailableError extends PasswordlessError {
  static readonly code = "PASSKEY_API_UNAVAILABLE";
  readonly code = "PASSKEY_API_UNAVAILABLE";
  override readonly name = "PasskeyApiUnavailableError";
  constructor(
    /** The HTTP status, or undefined when nothing answered. */
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      status === undefined
        ? "The passkey API did not answer (network error or CORS refusal): try again later."
        : `The passkey API is unavailable (HTTP ${status}): try again later.`,
      options,
    );
  }
}
