/**
 * @cognito-passwordless/client/amplify: the same sign-in rounds, results and errors as the main
 * entry, on Amplify v6 (`signIn` with CUSTOM_WITHOUT_SRP, then `confirmSignIn`). Tokens are
 * Amplify's own session, also returned on signed-in without the refresh token. The signed-in
 * user's passkeys: `createAmplifyPasskeyManager`, with Amplify's access token.
 */
export {
  type AmplifyPasswordlessClient,
  type AmplifyPasswordlessClientOptions,
  createAmplifyPasswordlessClient,
} from "./create-amplify-passwordless-client.ts";
export type { AmplifyAuthFunctions } from "./amplify-transport.ts";
export type { CommonClientOptions } from "./flow-context.ts";
export {
  type AmplifyPasskeyManagerOptions,
  createAmplifyPasskeyManager,
} from "./create-amplify-passkey-manager.ts";
export type { AddPasskeyOptions, PasskeyManager } from "./create-passkey-manager.ts";
export type {
  ChooseCodeOptions,
  CodeAnswerOptions,
  CodeRound,
  PasskeyRegistrationRound,
  PasskeySignInOptions,
  RegisterOptions,
  SelectMethodRound,
  SignInOptions,
  SignInOutcome,
  SignedIn,
  Tokens,
} from "./rounds.ts";
export {
  CodeExpiredError,
  MethodNotOfferedError,
  PasskeyCancelledError,
  type PasskeyCeremony,
  PasskeyFailedError,
  PasswordlessError,
  type PasswordlessErrorCode,
  SessionExpiredError,
  SessionInvalidError,
  SignInFailedError,
  UnexpectedResponseError,
  WrongCodeError,
} from "./errors.ts";
export {
  InvalidPasskeyNameError,
  NotSignedInError,
  PasskeyAlreadyRegisteredError,
  PasskeyApiUnavailableError,
  PasskeyLimitReachedError,
  type PasskeyManagerErrorCode,
  PasskeyNotFoundError,
  PasskeyRegistrationRefusedError,
  ReauthenticationRequiredError,
  type RegistrationRefusal,
} from "./passkey-manager-errors.ts";
export {
  PasskeyAbortedError,
  PasskeyChallengeUnavailableError,
  PasskeyUserHandleError,
  type UserHandleProblem,
  type UsernamelessErrorCode,
} from "./usernameless-errors.ts";
export type { UsernamelessSignIn } from "./usernameless-methods.ts";
export type { UsernamelessSignInOptions } from "./sign-in-without-username.ts";
export type { AutofillInput, PasskeyAutofill, PasskeyAutofillEnd, PasskeyAutofillOptions } from "./passkey-autofill.ts";
export type { AuthenticationInput, WebAuthnCeremonies } from "./webauthn.ts";
export type { CodeMethod, PasskeySummary, SignInMethod } from "@cognito-passwordless/protocol";
/** The most characters a passkey's name may have (for a text field's bound; the API decides). */
export { PASSKEY_NAME_MAX_CHARS } from "@cognito-passwordless/protocol";
