/**
 * @cognito-passwordless/client/amplify: the same sign-in rounds, results and errors as the main
 * entry, on Amplify v6 (`signIn` with CUSTOM_WITHOUT_SRP, then `confirmSignIn`). Tokens are
 * Amplify's own session, also returned on signed-in without the refresh token.
 */
export {
  type AmplifyPasswordlessClient,
  type AmplifyPasswordlessClientOptions,
  createAmplifyPasswordlessClient,
} from "./create-amplify-passwordless-client.ts";
export type { AmplifyAuthFunctions } from "./amplify-transport.ts";
export type { CommonClientOptions } from "./flow-context.ts";
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
export type { WebAuthnCeremonies } from "./webauthn.ts";
export type { CodeMethod, SignInMethod } from "@cognito-passwordless/protocol";
