/**
 * What a person reads when a step fails: a plain sentence first, then the error underneath, so a
 * developer can match it to the API reference. Sign-in failures are @cognito-passwordless/client's
 * typed errors (told apart by class); their detail is Cognito's own exception name and message
 * where Cognito refused, the browser's where a passkey ceremony did. Everything else (SignUp,
 * sign-out, throttling, a trigger that failed, no endpoint) is the SDK's error, told apart by name.
 */
import {
  type CodeRound,
  CodeExpiredError,
  MethodNotOfferedError,
  type PasskeyCeremony,
  PasskeyAbortedError,
  PasskeyCancelledError,
  PasskeyChallengeUnavailableError,
  PasskeyFailedError,
  PasskeyUserHandleError,
  PasswordlessError,
  SessionExpiredError,
  SessionInvalidError,
  SignInFailedError,
  UnexpectedResponseError,
  WrongCodeError,
} from "@cognito-passwordless/client";
import { PasskeysUnsupportedError } from "./passkey-support.ts";

export interface ErrorMessage {
  headline: string;
  detail: string;
  /** The sign-in cannot go on: the page returns to its first step. */
  restart: boolean;
  /** The code was wrong and may be tried again: the page shows this round (the same code; nothing new was sent). */
  retry?: CodeRound;
}

/** Steps whose failures read differently from a code sign-in's. */
export type FailedStep = "passkey-sign-in" | "usernameless-passkey-sign-in";

export interface FailureContext {
  readonly cognitoEndpoint: string;
  readonly step?: FailedStep | undefined;
  /** The relying party of the passkey asked for, when the page knows it (a registration round names it). */
  readonly rpId?: string | undefined;
}

export function describeError(error: unknown, context: FailureContext): ErrorMessage {
  if (error instanceof PasswordlessError) return describeSignInError(error, context);
  if (error instanceof PasskeysUnsupportedError) {
    return {
      headline:
        error.ceremony === "authentication"
          ? "This browser can't use passkeys. Sign in with a code instead."
          : "This browser can't create passkeys. Choose “Not now” to finish signing in.",
      detail: error.message,
      restart: false,
    };
  }
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${name}: ${message}`;
  switch (name) {
    case "NotAuthorizedException":
      // The client names the sign-in's own refusals; what is left is about tokens (sign-out) or the account.
      if (/revoked|expired/i.test(message)) {
        return { headline: "These tokens are no longer valid.", detail, restart: true };
      }
      return { headline: "Cognito refused: this account can't sign in this way.", detail, restart: true };
    case "UserNotFoundException":
      return { headline: "There is no account with that email or phone number. Create one below.", detail, restart: true };
    case "UsernameExistsException":
    case "AliasExistsException":
      return { headline: "An account with that email or phone number already exists. Sign in instead.", detail, restart: false };
    case "InvalidParameterException":
      return { headline: "Cognito refused what was sent. Check the email address or phone number (+ and country code).", detail, restart: false };
    case "UserLambdaValidationException":
      return { headline: "A trigger refused the request (for example, too many codes were sent recently).", detail, restart: true };
    case "InvalidLambdaResponseException":
    case "UnexpectedLambdaException":
      return { headline: "A trigger failed. Its log is in the terminal running npm start.", detail, restart: true };
    case "TooManyRequestsException":
    case "LimitExceededException":
      return { headline: "Too many attempts. Wait a little and try again.", detail, restart: true };
    case "TypeError":
      // fetch() fails with a TypeError when nothing answers.
      return {
        headline: `Can't reach the local Cognito endpoint at ${context.cognitoEndpoint}. Is npm start still running?`,
        detail,
        restart: false,
      };
    default:
      return { headline: "Something went wrong.", detail, restart: false };
  }
}

function describeSignInError(error: PasswordlessError, context: FailureContext): ErrorMessage {
  const detail = detailOf(error);
  if (error instanceof WrongCodeError) {
    return { headline: "That code isn't right. Check the newest message and try again.", detail, restart: false, retry: error.retry };
  }
  if (error instanceof SignInFailedError) {
    if (context.step === "usernameless-passkey-sign-in") {
      return {
        headline:
          "The pool refused this passkey: it was removed, its account is gone, or it could not be verified. Sign in with your email or phone number instead.",
        detail,
        restart: true,
      };
    }
    if (context.step === "passkey-sign-in") {
      return {
        headline: "The pool refused this passkey: it isn't one of this account's passkeys, or it could not be verified. Sign in with a code instead.",
        detail,
        restart: true,
      };
    }
    return { headline: "Sign-in failed: the code was wrong too many times, or the account can't sign in this way.", detail, restart: true };
  }
  if (error instanceof CodeExpiredError) {
    return { headline: `The code expired at ${error.expiresAt.toLocaleTimeString()}. Start again for a new one.`, detail, restart: true };
  }
  if (error instanceof SessionExpiredError || error instanceof SessionInvalidError) {
    return { headline: "This sign-in has expired or was already used. Start again.", detail, restart: true };
  }
  if (error instanceof MethodNotOfferedError) {
    return {
      headline:
        error.method === "PASSKEY"
          ? "This pool doesn't offer passkeys (its SignInMethods has no PASSKEY). Choose a code instead."
          : `This pool doesn't offer ${error.method}. Choose another way to sign in.`,
      detail: `methods: ${error.offered.join(",") || "none"}`,
      restart: false,
    };
  }
  // The browser declined before anything was sent: the round is still open, so stay on it.
  if (error instanceof PasskeyCancelledError) {
    return {
      headline:
        error.ceremony === "authentication"
          ? `No passkey was used: the prompt was cancelled or timed out, or this device has no passkey for this site. ${nextAfter(error.ceremony)}`
          : `The passkey wasn't created: the prompt was cancelled or timed out. ${nextAfter(error.ceremony)}`,
      detail,
      restart: false,
    };
  }
  if (error instanceof PasskeyFailedError) return { headline: passkeyFailure(error, context.rpId), detail, restart: false };
  if (error instanceof PasskeyChallengeUnavailableError) {
    return {
      headline:
        error.status === 404
          ? "This deployment can't sign in without a username yet (its passkey API has no challenge route). Type your email or phone number."
          : "The passkey API couldn't start a passkey sign-in just now. Try again, or type your email or phone number.",
      detail,
      restart: false,
    };
  }
  if (error instanceof PasskeyUserHandleError) {
    return { headline: "This passkey doesn't say whose it is. Type your email or phone number, then sign in with it.", detail, restart: false };
  }
  // The page ended the prompt itself (another passkey prompt took over): nothing to apologise for.
  if (error instanceof PasskeyAbortedError) return { headline: "The passkey sign-in was stopped. Start it again.", detail, restart: false };
  if (error instanceof UnexpectedResponseError) {
    return { headline: "The pool answered outside the suite's sign-in rounds: does this app client run the suite's triggers?", detail, restart: true };
  }
  return { headline: "Something went wrong.", detail, restart: false };
}

/** What the browser refused, as what happened and what the person can do next. */
function passkeyFailure(error: PasskeyFailedError, rpId: string | undefined): string {
  // `reason` is SimpleWebAuthn's code, or the browser's error name where SimpleWebAuthn has none.
  switch (error.reason) {
    case "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED":
    case "InvalidStateError":
      // The options listed the user's passkeys in excludeCredentials and this authenticator holds one.
      return "This device already has a passkey for this account, so there is nothing to add. Choose “Not now” to finish signing in.";
    case "ERROR_INVALID_RP_ID":
    case "ERROR_INVALID_DOMAIN":
    case "SecurityError":
      return `Passkeys for this pool belong to ${rpId ?? "another site"}, and this page's address doesn't match it. Open the demo at http://localhost:<port>.`;
    case "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT":
    case "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT":
      return "This authenticator can't hold a passkey here: it needs to store the credential and check your fingerprint, face or PIN.";
    default:
      return `The browser could not complete the passkey request. ${nextAfter(error.ceremony)}`;
  }
}

function nextAfter(ceremony: PasskeyCeremony): string {
  return ceremony === "authentication" ? "Try again, or get a code instead." : "Try again, or choose “Not now” to finish signing in.";
}

function causeOf(error: Error): Error | undefined {
  return error.cause instanceof Error ? error.cause : undefined;
}

/**
 * Cognito's exception (name: message) when Cognito refused; for a passkey, the client's code, the
 * browser's reason and its message; otherwise the client's own code and message.
 */
function detailOf(error: PasswordlessError): string {
  const cause = causeOf(error);
  if (error instanceof PasskeyCancelledError || error instanceof PasskeyFailedError) {
    const reason = error instanceof PasskeyFailedError ? error.reason : (causeOf(cause ?? error)?.name ?? cause?.name ?? error.name);
    return `${error.code} (${reason}): ${cause?.message ?? error.message}`;
  }
  return cause === undefined ? `${error.code}: ${error.message}` : `${cause.name}: ${cause.message}`;
}
