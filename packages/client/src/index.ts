/**
 * @cognito-passwordless/client on the AWS SDK v3: passwordless sign-in against the suite's
 * CUSTOM_AUTH triggers (email or SMS code, passkey, enrolment after a code), one typed object per
 * round, and the signed-in user's passkeys through the passkey API (createPasskeyManager). The
 * same on Amplify v6: `@cognito-passwordless/client/amplify`.
 */
export { createPasswordlessClient, type PasswordlessClient, type PasswordlessClientOptions } from "./create-passwordless-client.ts";
export type { CommonClientOptions } from "./flow-context.ts";
export {
  type AddPasskeyOptions,
  createPasskeyManager,
  type PasskeyManager,
  type PasskeyManagerOptions,
} from "./create-passkey-manager.ts";
export type { AccessTokenGetter, Fetch } from "./passkey-api-request.ts";
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
  PasskeysNotOfferedError,
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
