/**
 * The client's factory on the AWS SDK v3: give it your CognitoIdentityProviderClient and app
 * client id once, then `signIn(username)` per sign-in.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { cognitoSdkTransport } from "./cognito-sdk-transport.ts";
import { type CommonClientOptions, challengeSource, flowContext } from "./flow-context.ts";
import type { SelectMethodRound, SignInOptions } from "./rounds.ts";
import { startSignIn } from "./select-method-round.ts";
import { type UsernamelessSignIn, usernamelessSignIn } from "./usernameless-methods.ts";

/** Options of `createPasswordlessClient`. */
export interface PasswordlessClientOptions extends CommonClientOptions {
  /** The SDK client for the user pool's region (or a local endpoint); no credentials needed. */
  readonly cognito: CognitoIdentityProviderClient;
  /** The app client that runs the suite's triggers (CUSTOM_AUTH enabled, no client secret). */
  readonly clientId: string;
}

/** Signs people in; one per app. */
export interface PasswordlessClient extends UsernamelessSignIn {
  /** Starts a sign-in (InitiateAuth, CUSTOM_AUTH) for an email, phone number or username: the SELECT_METHOD round. */
  signIn(username: string, options?: SignInOptions): Promise<SelectMethodRound>;
}

/** Creates the client on the AWS SDK v3. */
export function createPasswordlessClient(options: PasswordlessClientOptions): PasswordlessClient {
  if (typeof options?.clientId !== "string" || options.clientId === "") throw new TypeError("createPasswordlessClient: clientId must be the app client id.");
  if (typeof options.cognito?.send !== "function") throw new TypeError("createPasswordlessClient: cognito must be a CognitoIdentityProviderClient.");
  const flow = flowContext(options);
  const transport = cognitoSdkTransport(options.cognito, options.clientId);
  return Object.freeze({
    ...usernamelessSignIn(flow, transport, challengeSource(options, "createPasswordlessClient"), "createPasswordlessClient"),
    signIn: (username: string, signInOptions: SignInOptions = {}) => startSignIn(flow, transport, username, signInOptions.login),
  });
}
