/**
 * Why a sign-in without a username (`signInWithPasskey()` on the client, or passkey autofill) did
 * not go on, beyond the outcomes it shares with every passkey sign-in (PasskeyCancelledError when
 * no passkey was chosen, SignInFailedError when the pool refused it). Each has a stable `code`, on
 * the same PasswordlessError base as the rest.
 */
import { PasswordlessError } from "./errors.ts";

/** Every code these errors carry. */
export type UsernamelessErrorCode = "PASSKEY_CHALLENGE_UNAVAILABLE" | "PASSKEY_USER_HANDLE_INVALID" | "PASSKEY_ABORTED";

/**
 * `POST /passkeys/challenge` gave no challenge: nothing answered (network, CORS, the client's
 * timeout), the deployment has no such route (404: a stack from before it, or a wrong
 * `passkeyApiUrl`), it is throttled (429) or failing (5xx). No passkey was asked for; a sign-in
 * that starts with a username still works.
 */
export class PasskeyChallengeUnavailableError extends PasswordlessError {
  static readonly code = "PASSKEY_CHALLENGE_UNAVAILABLE";
  readonly code = "PASSKEY_CHALLENGE_UNAVAILABLE";
  override readonly name = "PasskeyChallengeUnavailableError";
  constructor(
    /** The HTTP status, or undefined when nothing answered in time. */
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      status === undefined
        ? "The passkey API's POST /passkeys/challenge did not answer (network error, CORS refusal or timeout): sign in with a username, or try again later."
        : status === 404
          ? "The passkey API has no POST /passkeys/challenge (HTTP 404): the deployment predates sign-in without a username, or passkeyApiUrl is not the API's base URL."
          : `The passkey API could not give a sign-in challenge (HTTP ${status}): try again later, or sign in with a username.`,
      options,
    );
  }
}

/** Why an assertion's user handle names no one this client can send to Cognito. */
export type UserHandleProblem = "missing" | "undecodable";

/**
 * The passkey's assertion has no user handle (a credential that is not discoverable, or an
 * authenticator that leaves it out), or one that is not base64url of UTF-8 text, so there is no
 * USERNAME to start the sign-in with. Nothing was sent to Cognito: sign in with a username.
 */
export class PasskeyUserHandleError extends PasswordlessError {
  static readonly code = "PASSKEY_USER_HANDLE_INVALID";
  readonly code = "PASSKEY_USER_HANDLE_INVALID";
  override readonly name = "PasskeyUserHandleError";
  constructor(
    readonly problem: UserHandleProblem,
    options?: ErrorOptions,
  ) {
    super(
      problem === "missing"
        ? "The passkey's assertion has no user handle, so it does not say whose it is. Nothing was sent: sign in with a username."
        : "The passkey's user handle is not base64url of UTF-8 text, so it names no username. Nothing was sent: sign in with a username.",
      options,
    );
  }
}

/**
 * The app aborted the sign-in (its AbortSignal, or a passkey autofill's `abort()`), or a modal
 * passkey prompt of this client took over from a pending autofill (browsers allow one pending
 * request). Nothing more is sent.
 */
export class PasskeyAbortedError extends PasswordlessError {
  static readonly code = "PASSKEY_ABORTED";
  readonly code = "PASSKEY_ABORTED";
  override readonly name = "PasskeyAbortedError";
  constructor(options?: ErrorOptions) {
    super("The passkey sign-in was aborted. Nothing more was sent.", options);
  }
}
