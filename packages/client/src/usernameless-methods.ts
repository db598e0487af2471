/**
 * The two ways both clients sign in without a username, built once per client from its flow and
 * transport: a modal passkey prompt, and passkeys offered in the username field's autofill.
 */
import type { ChallengeSource } from "./fetch-sign-in-challenge.ts";
import type { FlowContext } from "./flow-context.ts";
import { type AutofillInput, type PasskeyAutofill, type PasskeyAutofillOptions, startPasskeyAutofill } from "./passkey-autofill.ts";
import type { SignInOutcome } from "./rounds.ts";
import { type UsernamelessContext, type UsernamelessSignInOptions, signInWithoutUsername } from "./sign-in-without-username.ts";
import type { SignInTransport } from "./transport.ts";

/** Sign-in without a username; both need the client's `passkeyApiUrl`. */
export interface UsernamelessSignIn {
  /**
   * Signs in with a passkey the person picks, nothing typed: `POST /passkeys/challenge`, the
   * browser's passkey prompt (ending a pending autofill first), then InitiateAuth with the
   * passkey's user handle as USERNAME and one answer. Resolves like a round's
   * `signInWithPasskey`. Throws PasskeyCancelledError (no passkey chosen), PasskeyFailedError,
   * PasskeyChallengeUnavailableError, PasskeyUserHandleError, PasskeyAbortedError (the signal),
   * SignInFailedError (the pool refused the passkey). Nothing reaches Cognito before a passkey was chosen.
   */
  signInWithPasskey(options?: UsernamelessSignInOptions): Promise<SignInOutcome>;
  /**
   * Offers the device's passkeys in `input`'s autofill (its autocomplete must end with
   * "webauthn", such as `autocomplete="username webauthn"`, else a TypeError): picking one signs
   * in as `signInWithPasskey()` does, ending in `onSignedIn` or `onError`. Where the browser
   * lacks conditional mediation it does nothing (`done` is "unsupported"). One at a time: a new
   * one, or any passkey prompt this client opens, ends the pending one ("aborted").
   */
  startPasskeyAutofill(input: AutofillInput, options?: PasskeyAutofillOptions): PasskeyAutofill;
}

export function usernamelessSignIn(
  flow: FlowContext,
  transport: SignInTransport,
  challenges: ChallengeSource | undefined,
  factory: string,
): UsernamelessSignIn {
  const context = (method: string): UsernamelessContext => {
    if (challenges === undefined)
      throw new TypeError(`${method}: give ${factory} the passkeyApiUrl (the stack's PasskeyApiUrl output) to sign in without a username.`);
    return { flow, transport, challenges };
  };
  return {
    signInWithPasskey: async (options?: UsernamelessSignInOptions) => signInWithoutUsername(context("signInWithPasskey"), options),
    startPasskeyAutofill: (input: AutofillInput, options?: PasskeyAutofillOptions) => startPasskeyAutofill(context("startPasskeyAutofill"), input, options),
  };
}
