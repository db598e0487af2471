/**
 * What every round of a sign-in shares: the client's settings, and one way to send an answer so
 * that Cognito's refusals always become the same typed errors.
 */
import { UnexpectedResponseError } from "./errors.ts";
import type { ChallengeSource } from "./fetch-sign-in-challenge.ts";
import { type ErrorContext, mapCognitoError } from "./map-cognito-error.ts";
import { type RoundParameters, readRound } from "./read-round.ts";
import { type Fetch, passkeyApiBaseUrl } from "./passkey-api-request.ts";
import { type PasskeyPromptSlot, passkeyPromptSlot } from "./passkey-prompt-slot.ts";
import type { Respond, Step } from "./transport.ts";
import { type WebAuthnCeremonies, browserWebAuthn } from "./webauthn.ts";

export interface FlowContext {
  /** Wrong answers allowed per code (the template's CodeMaxAttempts). */
  readonly codeMaxAttempts: number;
  readonly webauthn: WebAuthnCeremonies;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  /** The one passkey request this client may have pending (an autofill gives way to any prompt). */
  readonly prompts: PasskeyPromptSlot;
}

/** Settings both clients share. */
export interface CommonClientOptions {
  /** Wrong answers the deployment allows per code (template parameter CodeMaxAttempts); default 3. */
  readonly codeMaxAttempts?: number | undefined;
  /** The passkey ceremonies; default `@simplewebauthn/browser`, imported when first used. */
  readonly webauthn?: WebAuthnCeremonies | undefined;
  /** Epoch milliseconds, for judging a code's expiry; default `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /**
   * The passkey API's base URL (the stack's `PasskeyApiUrl` output; locally `passkeyApiUrl` of
   * /config.json): needed only by `signInWithPasskey()` and `startPasskeyAutofill`, which get
   * their challenge from its `POST /passkeys/challenge`.
   */
  readonly passkeyApiUrl?: string | undefined;
  /** `fetch` for that challenge; default the platform's (pass another in tests). */
  readonly fetch?: Fetch | undefined;
}

/** The settings every round reads, checked once. */
export function flowContext(options: CommonClientOptions): FlowContext {
  const codeMaxAttempts = options.codeMaxAttempts ?? 3;
  if (!Number.isInteger(codeMaxAttempts) || codeMaxAttempts < 1)
    throw new RangeError(`codeMaxAttempts must be a whole number of at least 1, not ${codeMaxAttempts}.`);
  return Object.freeze({ codeMaxAttempts, webauthn: options.webauthn ?? browserWebAuthn, clock: options.clock ?? Date.now, prompts: passkeyPromptSlot() });
}

/** The challenge request's timeout: the suite keeps every network call well inside 5 seconds. */
const CHALLENGE_TIMEOUT_MS = 4_000;

/** Where a sign-in without a username gets its challenge; undefined without `passkeyApiUrl`. */
export function challengeSource(options: CommonClientOptions, factory: string): ChallengeSource | undefined {
  if (options.passkeyApiUrl === undefined) return undefined;
  const baseUrl = passkeyApiBaseUrl(options.passkeyApiUrl, factory, "passkeyApiUrl");
  // Called through a closure: a browser's fetch throws "Illegal invocation" when detached from window.
  const fetch: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return Object.freeze({ baseUrl, fetch, timeoutMs: CHALLENGE_TIMEOUT_MS });
}

/** Makes one Cognito call (start or answer); a refusal is thrown as this client's error for it. */
export async function call(flow: FlowContext, cognito: () => Promise<Step>, context: Omit<ErrorContext, "now"> = {}): Promise<Step> {
  try {
    return await cognito();
  } catch (error) {
    throw mapCognitoError(error, { ...context, now: flow.clock() });
  }
}

/** The step as a challenge of one of the expected rounds, or an UnexpectedResponseError. */
export function challengeOf<R extends RoundParameters["round"]>(
  step: Step,
  expected: readonly R[],
): { readonly parameters: Extract<RoundParameters, { round: R }>; readonly respond: Respond } {
  if (step.kind !== "challenge") throw new UnexpectedResponseError(`Cognito issued tokens where a ${expected.join(" or ")} round was expected.`);
  const parameters = readRound(step.parameters);
  if (!(expected as readonly string[]).includes(parameters.round)) {
    throw new UnexpectedResponseError(`Cognito posed a ${parameters.round} round where a ${expected.join(" or ")} round was expected.`);
  }
  return { parameters: parameters as Extract<RoundParameters, { round: R }>, respond: step.respond };
}
