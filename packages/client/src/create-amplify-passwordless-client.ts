/**
 * The client's factory on Amplify v6: configure Amplify as usual (`Amplify.configure`), then
 * `signIn(username)` runs the suite's rounds through Amplify's `signIn` and `confirmSignIn`.
 * Amplify stores the tokens, refreshes them and signs out as it always does.
 */
import { confirmSignIn, fetchAuthSession, signIn } from "aws-amplify/auth";
import { type AmplifyAuthFunctions, amplifyTransport } from "./amplify-transport.ts";
import { type CommonClientOptions, challengeSource, flowContext } from "./flow-context.ts";
import type { SelectMethodRound, SignInOptions } from "./rounds.ts";
import { startSignIn } from "./select-method-round.ts";
import { type UsernamelessSignIn, usernamelessSignIn } from "./usernameless-methods.ts";

/** Options of `createAmplifyPasswordlessClient`. */
export interface AmplifyPasswordlessClientOptions extends CommonClientOptions {
  /** Amplify's auth functions; default the ones of `aws-amplify/auth` (pass others in tests). */
  readonly auth?: AmplifyAuthFunctions | undefined;
}

/** Signs people in through Amplify; one per app (Amplify holds one sign-in at a time). */
export interface AmplifyPasswordlessClient extends UsernamelessSignIn {
  /**
   * Starts a sign-in (Amplify `signIn`, CUSTOM_WITHOUT_SRP): the SELECT_METHOD round. Starting
   * one makes every round of an earlier sign-in unanswerable. Amplify refuses while someone is
   * signed in (UserAlreadyAuthenticatedException): sign out first.
   */
  signIn(username: string, options?: SignInOptions): Promise<SelectMethodRound>;
}

/** Creates the client on Amplify v6. */
export function createAmplifyPasswordlessClient(options: AmplifyPasswordlessClientOptions = {}): AmplifyPasswordlessClient {
  const flow = flowContext(options);
  const transport = amplifyTransport(options.auth ?? { signIn, confirmSignIn, fetchAuthSession: () => fetchAuthSession() });
  return Object.freeze({
    ...usernamelessSignIn(flow, transport, challengeSource(options, "createAmplifyPasswordlessClient"), "createAmplifyPasswordlessClient"),
    signIn: (username: string, signInOptions: SignInOptions = {}) => startSignIn(flow, transport, username, signInOptions.login),
  });
}
