/**
 * @cognito-passwordless/client on the AWS SDK v3: passwordless sign-in against the suite's
 * CUSTOM_AUTH triggers (email or SMS code, passkey, enrolment after a code), one typed object per
 * round. The same flows on Amplify v6: `@cognito-passwordless/client/amplify`.
 */
export { createPasswordlessClient, type PasswordlessClient, type PasswordlessClientOptions } from "./create-passwordless-client.ts";
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
