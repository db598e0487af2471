/**
 * Sign-in without a username (docs/protocol.md, "Sign-in without a username"): a challenge from
 * the passkey API, the browser's passkey prompt over it, then the usual CUSTOM_AUTH sign-in with
 * USERNAME = the assertion's user handle, answering the SELECT_METHOD round with the assertion
 * and ClientMetadata `{ signInMethod: "PASSKEY", passkeyChallenge: challengeId }`. Three calls:
 * the challenge, InitiateAuth (Amplify's signIn), RespondToAuthChallenge (confirmSignIn).
 */
import { CLIENT_METADATA, type SignInMethod } from "@cognito-passwordless/protocol";
import type { AuthenticationResponseJSON } from "@simplewebauthn/browser";
import { MethodNotOfferedError, SignInFailedError } from "./errors.ts";
import { type ChallengeSource, type SignInChallenge, fetchSignInChallenge } from "./fetch-sign-in-challenge.ts";
import { type FlowContext, call, challengeOf } from "./flow-context.ts";
import { runCeremony } from "./passkey-ceremony.ts";
import { outcomeOf } from "./passkey-registration-round.ts";
import type { PasskeySignInOptions, SignInOutcome } from "./rounds.ts";
import type { SignInTransport } from "./transport.ts";
import { usernameFromUserHandle } from "./username-from-user-handle.ts";
import { PasskeyAbortedError } from "./usernameless-errors.ts";

/** Checked against the protocol's SignInMethod, so a renamed method fails the build here. */
const PASSKEY = "PASSKEY" satisfies SignInMethod;

/** What a client needs for it: its flow and transport, and where challenges come from. */
export interface UsernamelessContext {
  readonly flow: FlowContext;
  readonly transport: SignInTransport;
  readonly challenges: ChallengeSource;
}

/** Options of the client's `signInWithPasskey()`. */
export interface UsernamelessSignInOptions extends PasskeySignInOptions {
  /** Aborts the sign-in (the prompt closes; PasskeyAbortedError) until the passkey's answer is sent. */
  readonly signal?: AbortSignal | undefined;
}

/** The modal sign-in: ends a pending autofill first, since the browser allows one request. */
export async function signInWithoutUsername(context: UsernamelessContext, options: UsernamelessSignInOptions = {}): Promise<SignInOutcome> {
  const { flow } = context;
  const { signal } = options;
  flow.prompts.takeOver();
  throwIfAborted(signal);
  const challenge = await fetchSignInChallenge(context.challenges, signal);
  const assertion = await abortable(flow, signal, () =>
    runCeremony("authentication", () => flow.webauthn.startAuthentication({ optionsJSON: challenge.options })),
  );
  throwIfAborted(signal);
  return finishWithAssertion(context, challenge, assertion, options);
}

/**
 * Steps 2 and 3, once the browser returned an assertion over `challenge`: the user handle names
 * the user (checked before anything is sent), then InitiateAuth and the one answer.
 */
export async function finishWithAssertion(
  context: UsernamelessContext,
  challenge: SignInChallenge,
  assertion: AuthenticationResponseJSON,
  options: PasskeySignInOptions,
): Promise<SignInOutcome> {
  const { flow, transport } = context;
  const username = usernameFromUserHandle(assertion);
  const started = await call(flow, () => transport.start(username)).catch((error: unknown) => {
    // Only where the pool reveals unknown users: the handle's account is gone, so the passkey signs no one in.
    throw error instanceof Error && error.name === "UserNotFoundException" ? new SignInFailedError({ cause: error }) : error;
  });
  const { parameters, respond } = challengeOf(started, ["SELECT_METHOD"]);
  if (!parameters.methods.includes(PASSKEY)) throw new MethodNotOfferedError(PASSKEY, parameters.methods);
  const metadata: Record<string, string> = { [CLIENT_METADATA.signInMethod]: PASSKEY, [CLIENT_METADATA.passkeyChallenge]: challenge.challengeId };
  if (options.registerPasskey === true) metadata[CLIENT_METADATA.registerPasskey] = "true";
  return outcomeOf(flow, await call(flow, () => respond(JSON.stringify(assertion), metadata)), options.userAgent);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new PasskeyAbortedError({ cause: signal.reason });
}

/**
 * Runs a ceremony that the signal can end: the prompt is cancelled (where the ceremonies can) and
 * the wait ends at once either way, as PasskeyAbortedError.
 */
async function abortable<T>(flow: FlowContext, signal: AbortSignal | undefined, ceremony: () => Promise<T>): Promise<T> {
  if (signal === undefined) return ceremony();
  let stop: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    stop = () => {
      flow.webauthn.cancelCeremony?.();
      reject(new PasskeyAbortedError({ cause: signal.reason }));
    };
    signal.addEventListener("abort", stop, { once: true });
  });
  const running = ceremony();
  // The loser of the race must not become an unhandled rejection.
  running.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([running, aborted]);
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
