/**
 * What every round of a sign-in shares: the client's settings, and one way to send an answer so
 * that Cognito's refusals always become the same typed errors.
 */
import { UnexpectedResponseError } from "./errors.ts";
import { type ErrorContext, mapCognitoError } from "./map-cognito-error.ts";
import { type RoundParameters, readRound } from "./read-round.ts";
import type { Respond, Step } from "./transport.ts";
import { type WebAuthnCeremonies, browserWebAuthn } from "./webauthn.ts";

export interface FlowContext {
  /** Wrong answers allowed per code (the template's CodeMaxAttempts). */
  readonly codeMaxAttempts: number;
  readonly webauthn: WebAuthnCeremonies;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

/** Settings both clients share. */
export interface CommonClientOptions {
  /** Wrong answers the deployment allows per code (template parameter CodeMaxAttempts); default 3. */
  readonly codeMaxAttempts?: number | undefined;
  /** The passkey ceremonies; default `@simplewebauthn/browser`, imported when first used. */
  readonly webauthn?: WebAuthnCeremonies | undefined;
  /** Epoch milliseconds, for judging a code's expiry; default `Date.now`. */
  readonly clock?: (() => number) | undefined;
}

/** The settings every round reads, checked once. */
export function flowContext(options: CommonClientOptions): FlowContext {
  const codeMaxAttempts = options.codeMaxAttempts ?? 3;
  if (!Number.isInteger(codeMaxAttempts) || codeMaxAttempts < 1)
    throw new RangeError(`codeMaxAttempts must be a whole number of at least 1, not ${codeMaxAttempts}.`);
  return Object.freeze({ codeMaxAttempts, webauthn: options.webauthn ?? browserWebAuthn, clock: options.clock ?? Date.now });
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
