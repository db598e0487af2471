/**
 * What a person reads when a call fails: a plain sentence first, then Cognito's own exception
 * name and message, so a developer can match it to the API reference.
 */
import { PasskeyCeremonyError } from "./passkey-ceremonies.ts";

export interface ErrorMessage {
  headline: string;
  detail: string;
  /** The sign-in cannot go on: the page returns to its first step. */
  restart: boolean;
}

/** Steps whose failures read differently from a code sign-in's. */
export type FailedStep = "passkey-sign-in";

export function describeError(error: unknown, cognitoEndpoint: string, step?: FailedStep): ErrorMessage {
  // The browser declined before anything was sent: the round is still open, so stay on it.
  if (error instanceof PasskeyCeremonyError) return { headline: error.headline, detail: error.detail, restart: false };
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${name}: ${message}`;
  switch (name) {
    case "NotAuthorizedException":
      if (/session/i.test(message)) {
        return { headline: "This sign-in has expired or was already used. Start again.", detail, restart: true };
      }
      if (/revoked|expired/i.test(message)) {
        return { headline: "These tokens are no longer valid.", detail, restart: true };
      }
      if (step === "passkey-sign-in") {
        return {
          headline: "The pool refused this passkey: it isn't one of this account's passkeys, or it could not be verified. Sign in with a code instead.",
          detail,
          restart: true,
        };
      }
      return { headline: "Sign-in failed: the code was wrong too many times, or the account can't sign in this way.", detail, restart: true };
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
        headline: `Can't reach the local Cognito endpoint at ${cognitoEndpoint}. Is npm start still running?`,
        detail,
        restart: false,
      };
    default:
      return { headline: "Something went wrong.", detail, restart: false };
  }
}
