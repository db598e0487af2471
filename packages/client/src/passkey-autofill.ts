/**
 * Passkey autofill: the username field offers the device's passkeys for this site among its
 * autofill suggestions (WebAuthn conditional mediation, `navigator.credentials.get` with
 * `mediation: "conditional"`), and picking one signs in without a username. The request waits
 * while the page is open, so it holds the client's one passkey slot and gives way to any prompt
 * the client opens; it renews its challenge before the challenge expires; where the browser
 * cannot do it, it ends at once as "unsupported", having sent nothing.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/browser";
import { PasswordlessError, UnexpectedResponseError } from "./errors.ts";
import { type SignInChallenge, fetchSignInChallenge } from "./fetch-sign-in-challenge.ts";
import { runCeremony } from "./passkey-ceremony.ts";
import type { Tokens } from "./rounds.ts";
import { type UsernamelessContext, finishWithAssertion } from "./sign-in-without-username.ts";

/** The input the passkeys are offered in: an `HTMLInputElement`, or anything that reads attributes like one. */
export interface AutofillInput {
  getAttribute(name: string): string | null;
}

/** How an autofill ended. */
export type PasskeyAutofillEnd =
  | { readonly kind: "signed-in"; readonly tokens: Tokens }
  | { readonly kind: "failed"; readonly error: unknown }
  | { readonly kind: "aborted" }
  /** The browser (or the given `webauthn`) cannot offer passkeys in autofill: nothing was asked or sent. */
  | { readonly kind: "unsupported" }
  /** It renewed its challenge `maxRenewals` times without a passkey being picked: start another if the page is still in use. */
  | { readonly kind: "expired" };

/** Options of `startPasskeyAutofill`. */
export interface PasskeyAutofillOptions {
  /** Called once with the tokens when a passkey picked from the autofill signed someone in. */
  readonly onSignedIn?: ((tokens: Tokens) => void) | undefined;
  /**
   * Called once when the sign-in failed after a passkey was picked, or no challenge could be had:
   * a PasswordlessError (SignInFailedError, PasskeyChallengeUnavailableError, …) or Cognito's own.
   * Not called when the autofill was aborted, unsupported or expired.
   */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** Ends the autofill, as `abort()` does. */
  readonly signal?: AbortSignal | undefined;
  /** How many times the challenge is renewed (each at the options' `timeout`) before the autofill ends as "expired"; default 10. */
  readonly maxRenewals?: number | undefined;
}

/** A waiting autofill. */
export interface PasskeyAutofill {
  /** Ends it: the browser stops offering passkeys; no callback is called (also after a passkey was picked). */
  abort(): void;
  /** How it ended; never rejects. */
  readonly done: Promise<PasskeyAutofillEnd>;
}

/** The shortest renewal period, so that a deployment's tiny timeout cannot make a page request challenges in a loop. */
const MIN_RENEWAL_MS = 30_000;

export function startPasskeyAutofill(context: UsernamelessContext, input: AutofillInput, options: PasskeyAutofillOptions = {}): PasskeyAutofill {
  requireWebAuthnAutocomplete(input);
  const maxRenewals = options.maxRenewals ?? 10;
  if (!Number.isInteger(maxRenewals) || maxRenewals < 0) throw new RangeError(`startPasskeyAutofill: maxRenewals must be a whole number, not ${maxRenewals}.`);
  const { flow } = context;
  const controller = new AbortController();
  const { signal } = controller;
  let inCeremony = false;
  const abort = () => {
    if (signal.aborted) return;
    controller.abort();
    if (inCeremony) flow.webauthn.cancelCeremony?.();
  };
  if (options.signal?.aborted === true) abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  const release = flow.prompts.holdAutofill(abort);
  const ended = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));

  /** The conditional request over one challenge: its assertion, or why it ended. */
  const waitForPick = async (challenge: SignInChallenge): Promise<{ assertion: AuthenticationResponseJSON } | "renew" | "aborted" | { error: unknown }> => {
    const timeout = challenge.options.timeout;
    const renewable = flow.webauthn.cancelCeremony !== undefined && typeof timeout === "number" && timeout > 0;
    let renewing = false;
    const timer = renewable
      ? setTimeout(
          () => {
            renewing = true;
            flow.webauthn.cancelCeremony?.();
          },
          Math.max(timeout, MIN_RENEWAL_MS),
        )
      : undefined;
    inCeremony = true;
    try {
      const picked = runCeremony("authentication", () =>
        flow.webauthn.startAuthentication({ optionsJSON: challenge.options, useBrowserAutofill: true, verifyBrowserAutofillInput: false }),
      ).then(
        (assertion) => ({ assertion }),
        (error: unknown) => ({ error }),
      );
      const result = await Promise.race([picked, ended.then(() => "aborted" as const)]);
      if (signal.aborted) return "aborted";
      if (result !== "aborted" && "error" in result) {
        if (renewing) return "renew";
        // Another prompt (this page's, through SimpleWebAuthn) took the browser's one request.
        if (wasAborted(result.error)) return "aborted";
      }
      return result;
    } finally {
      inCeremony = false;
      clearTimeout(timer);
    }
  };

  const run = async (): Promise<PasskeyAutofillEnd> => {
    const supports = flow.webauthn.supportsAutofill;
    if (supports === undefined || !(await supports().catch(() => false))) return { kind: "unsupported" };
    for (let renewals = 0; ; renewals++) {
      if (signal.aborted) return { kind: "aborted" };
      if (renewals > maxRenewals) return { kind: "expired" };
      const challenge = await fetchSignInChallenge(context.challenges, signal);
      if (signal.aborted) return { kind: "aborted" };
      const picked = await waitForPick(challenge);
      if (picked === "aborted") return { kind: "aborted" };
      if (picked === "renew") continue;
      if ("error" in picked) throw picked.error;
      const outcome = await finishWithAssertion(context, challenge, picked.assertion, {});
      if (signal.aborted) return { kind: "aborted" };
      if (outcome.kind !== "signed-in") throw new UnexpectedResponseError("Cognito posed a registration round that the autofill did not ask for.");
      return { kind: "signed-in", tokens: outcome.tokens };
    }
  };

  const done = run()
    .catch((error: unknown): PasskeyAutofillEnd => (signal.aborted ? { kind: "aborted" } : { kind: "failed", error }))
    .then((end) => {
      release();
      options.signal?.removeEventListener("abort", abort);
      if (end.kind === "signed-in") options.onSignedIn?.(end.tokens);
      if (end.kind === "failed") options.onError?.(end.error);
      return end;
    });
  return Object.freeze({ abort, done });
}

/**
 * Browsers offer passkeys only in a field whose autocomplete ends with the token "webauthn"
 * (HTML, "autofill detail tokens"; e.g. `autocomplete="username webauthn"`): a field without it
 * would wait for ever in silence, so that is a mistake to report at once.
 */
function requireWebAuthnAutocomplete(input: AutofillInput): void {
  const autocomplete = typeof input?.getAttribute === "function" ? (input.getAttribute("autocomplete") ?? "") : "";
  const tokens = autocomplete.trim().toLowerCase().split(/\s+/);
  if (tokens.at(-1) !== "webauthn") {
    throw new TypeError(
      `startPasskeyAutofill: the input's autocomplete must end with "webauthn" (such as autocomplete="username webauthn"), or the browser offers no passkeys in it; it is ${JSON.stringify(autocomplete)}.`,
    );
  }
}

/** An AbortError, or SimpleWebAuthn's ERROR_CEREMONY_ABORTED, under the client's PasskeyCancelledError. */
function wasAborted(error: unknown): boolean {
  const cause = error instanceof PasswordlessError ? error.cause : error;
  if (typeof cause !== "object" || cause === null) return false;
  const { name, code } = cause as { name?: unknown; code?: unknown };
  const inner = (cause as { cause?: { name?: unknown } }).cause;
  return name === "AbortError" || code === "ERROR_CEREMONY_ABORTED" || inner?.name === "AbortError";
}
