/**
 * What a person reads when the "Your passkeys" panel cannot do what they asked: a plain sentence,
 * the client's code and message underneath, and what the panel offers next ("Sign in again",
 * or a fresh list when the passkey is gone already). The failures are
 * @cognito-passwordless/client's typed errors, told apart by class.
 */
import {
  InvalidPasskeyNameError,
  NotSignedInError,
  PASSKEY_NAME_MAX_CHARS,
  PasskeyAlreadyRegisteredError,
  PasskeyApiUnavailableError,
  PasskeyCancelledError,
  PasskeyFailedError,
  PasskeyLimitReachedError,
  PasskeyNotFoundError,
  PasskeyRegistrationRefusedError,
  PasskeysNotOfferedError,
  PasswordlessError,
  ReauthenticationRequiredError,
  UnexpectedResponseError,
} from "@cognito-passwordless/client";
import { PasskeysUnsupportedError } from "./passkey-support.ts";

export interface PanelMessage {
  readonly headline: string;
  readonly detail: string;
  /** The tokens cannot do it: offer "Sign in again" (signs out, back to the sign-in view). */
  readonly signInAgain: boolean;
  /** The list is out of date (the passkey is gone): load it again. */
  readonly refresh: boolean;
}

export function describePasskeyManagerError(error: unknown): PanelMessage {
  const detail =
    error instanceof PasswordlessError ? `${error.code}: ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const say = (headline: string, more: Partial<PanelMessage> = {}): PanelMessage => ({ headline, detail, signInAgain: false, refresh: false, ...more });
  if (error instanceof ReauthenticationRequiredError) {
    return say("Adding a passkey needs a recent sign-in. Sign in again, then add it straight away.", { signInAgain: true });
  }
  if (error instanceof NotSignedInError) return say("Your sign-in is no longer accepted: it expired or was signed out. Sign in again.", { signInAgain: true });
  if (error instanceof PasskeyNotFoundError) return say("That passkey is no longer on your account. The list below is up to date again.", { refresh: true });
  if (error instanceof PasskeyLimitReachedError) return say("You have as many passkeys as this app allows. Remove one, then add the new one.");
  if (error instanceof PasskeysNotOfferedError) return say("This app no longer offers passkeys: you can remove the ones below, not add one.");
  if (error instanceof PasskeyAlreadyRegisteredError) return say("This device already has a passkey for your account, so there is nothing to add.");
  if (error instanceof PasskeyRegistrationRefusedError) {
    return say(
      error.reason === "challenge_invalid"
        ? "The request to add a passkey expired or was already used. Try again."
        : "The new passkey could not be verified, so it was not added. Try again.",
    );
  }
  if (error instanceof PasskeyCancelledError) return say("No passkey was created: the prompt was cancelled or timed out. Nothing was added.");
  if (error instanceof PasskeyFailedError) {
    return say(
      error.reason === "SecurityError" || error.reason === "ERROR_INVALID_RP_ID" || error.reason === "ERROR_INVALID_DOMAIN"
        ? "Passkeys for this pool belong to another site than this page's address. Open the demo at http://localhost:<port>."
        : "The browser could not create the passkey. Nothing was added.",
    );
  }
  if (error instanceof InvalidPasskeyNameError)
    return say(`A name is 1 to ${PASSKEY_NAME_MAX_CHARS} characters, without line breaks or other control characters.`);
  if (error instanceof PasskeyApiUnavailableError) return say("The passkey service isn't answering. Try again in a moment (is npm start still running?).");
  if (error instanceof UnexpectedResponseError) return say("The passkey service answered something this page doesn't understand.");
  if (error instanceof PasskeysUnsupportedError) return say("This browser can't create passkeys.");
  return say("Something went wrong.");
}
