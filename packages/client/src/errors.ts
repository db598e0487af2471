/**
 * Why a sign-in step did not go on: one class per outcome an app must tell apart, each with a
 * stable `code` (also on the class, as `WrongCodeError.code`) that a UI or a log query can
 * branch on. Errors Cognito raises that are none of these (throttling, an outage, a disabled
 * user) are rethrown as the SDK or Amplify raised them. The passkey manager's own outcomes are
 * in passkey-manager-errors.ts, those of a sign-in without a username in usernameless-errors.ts,
 * on the same base class.
 */
import type { SignInMethod } from "@cognito-passwordless/protocol";
import type { PasskeyManagerErrorCode } from "./passkey-manager-errors.ts";
import type { CodeRound } from "./rounds.ts";
import type { UsernamelessErrorCode } from "./usernameless-errors.ts";

/** Every code a PasswordlessError can carry. */
export type PasswordlessErrorCode =
  | "WRONG_CODE"
  | "CODE_EXPIRED"
  | "SIGN_IN_FAILED"
  | "SESSION_EXPIRED"
  | "SESSION_INVALID"
  | "METHOD_NOT_OFFERED"
  | "PASSKEY_CANCELLED"
  | "PASSKEY_FAILED"
  | "UNEXPECTED_RESPONSE"
  | PasskeyManagerErrorCode
  | UsernamelessErrorCode;

/** The base of every error this client throws; `code` tells them apart. */
export abstract class PasswordlessError extends Error {
  abstract readonly code: PasswordlessErrorCode;
}

/**
 * The code was wrong and Cognito offers the same code round again: answer `retry` (no new
 * message is sent). `attemptsLeft` is computed from the client's `codeMaxAttempts`, since
 * Cognito does not say how many remain.
 */
export class WrongCodeError extends PasswordlessError {
  static readonly code = "WRONG_CODE";
  readonly code = "WRONG_CODE";
  override readonly name = "WrongCodeError";
  constructor(
    readonly retry: CodeRound,
    readonly attemptsLeft: number,
  ) {
    super(`Wrong code: ${attemptsLeft} attempt${attemptsLeft === 1 ? "" : "s"} left. Answer the retry round with the code that was sent.`);
  }
}

/** The code round's `expiresAt` has passed: nothing more can be answered; start a new sign-in. */
export class CodeExpiredError extends PasswordlessError {
  static readonly code = "CODE_EXPIRED";
  readonly code = "CODE_EXPIRED";
  override readonly name = "CodeExpiredError";
  constructor(
    readonly expiresAt: Date,
    options?: ErrorOptions,
  ) {
    super(`The code expired at ${expiresAt.toISOString()}: start a new sign-in to get a new one.`, options);
  }
}

/**
 * Cognito ended the sign-in with "Incorrect username or password.": the last allowed wrong
 * code, a passkey it refused, or a claim code (which frees an address and signs nobody in).
 */
export class SignInFailedError extends PasswordlessError {
  static readonly code = "SIGN_IN_FAILED";
  readonly code = "SIGN_IN_FAILED";
  override readonly name = "SignInFailedError";
  constructor(options?: ErrorOptions) {
    super("The sign-in failed: start a new one.", options);
  }
}

/**
 * The sign-in session outlived the app client's AuthSessionValidity; on Amplify, also when
 * Amplify no longer holds the session (a page reload more than its 3 minutes after the last round).
 */
export class SessionExpiredError extends PasswordlessError {
  static readonly code = "SESSION_EXPIRED";
  readonly code = "SESSION_EXPIRED";
  override readonly name = "SessionExpiredError";
  constructor(options?: ErrorOptions) {
    super("The sign-in session expired: start a new sign-in.", options);
  }
}

/** The round was already answered (each round can be answered once), or a newer sign-in replaced it. */
export class SessionInvalidError extends PasswordlessError {
  static readonly code = "SESSION_INVALID";
  readonly code = "SESSION_INVALID";
  override readonly name = "SessionInvalidError";
  constructor(options?: ErrorOptions) {
    super("This round's session is no longer valid: it was already answered, or a newer sign-in started. Answer the latest round.", options);
  }
}

/** The method is not in the SELECT_METHOD round's `methods`; nothing was sent. */
export class MethodNotOfferedError extends PasswordlessError {
  static readonly code = "METHOD_NOT_OFFERED";
  readonly code = "METHOD_NOT_OFFERED";
  override readonly name = "MethodNotOfferedError";
  constructor(
    readonly method: SignInMethod,
    readonly offered: readonly SignInMethod[],
  ) {
    super(`${method} is not offered by this deployment (methods: ${offered.join(", ") || "none"}).`);
  }
}

/** Which WebAuthn ceremony a passkey error comes from. */
export type PasskeyCeremony = "authentication" | "registration";

/**
 * The person dismissed the passkey prompt, it timed out, or (browsers say the same on purpose)
 * this device has no passkey for the site. Nothing was sent: the round can still be answered.
 */
export class PasskeyCancelledError extends PasswordlessError {
  static readonly code = "PASSKEY_CANCELLED";
  readonly code = "PASSKEY_CANCELLED";
  override readonly name = "PasskeyCancelledError";
  constructor(
    readonly ceremony: PasskeyCeremony,
    options?: ErrorOptions,
  ) {
    super(`The passkey ${ceremony} was cancelled or timed out, or no passkey was available. Nothing was sent.`, options);
  }
}

/**
 * The browser could not run the passkey ceremony (no WebAuthn, wrong relying party, an
 * authenticator that already holds a passkey for this account, …). Nothing was sent: the round
 * can still be answered. `reason` is SimpleWebAuthn's error code or the browser's error name.
 */
export class PasskeyFailedError extends PasswordlessError {
  static readonly code = "PASSKEY_FAILED";
  readonly code = "PASSKEY_FAILED";
  override readonly name = "PasskeyFailedError";
  constructor(
    readonly ceremony: PasskeyCeremony,
    readonly reason: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`The passkey ${ceremony} failed (${reason}): ${detail}. Nothing was sent.`, options);
  }
}

/**
 * Cognito or the passkey API answered with something outside the suite's contract (another flow,
 * a missing parameter, a body that is not the route's, a status the API does not give).
 */
export class UnexpectedResponseError extends PasswordlessError {
  static readonly code = "UNEXPECTED_RESPONSE";
  readonly code = "UNEXPECTED_RESPONSE";
  override readonly name = "UnexpectedResponseError";
}
