/**
 * Step 1 of a sign-in without a username: `POST /passkeys/challenge`, a public route (no token),
 * whose `{ challengeId, options }` the browser signs before anyone is named. Every way of not
 * getting one that is the deployment's or the network's (no answer within the timeout, no such
 * route, throttled, failing) is a PasskeyChallengeUnavailableError; a body outside the route's
 * contract an UnexpectedResponseError.
 */
import { PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { UnexpectedResponseError } from "./errors.ts";
import { mapPasskeyApiRefusal } from "./map-passkey-api-refusal.ts";
import { type Fetch, INVALID_JSON, readJson } from "./passkey-api-request.ts";
import { PasskeyAbortedError, PasskeyChallengeUnavailableError } from "./usernameless-errors.ts";

/** What the route answers. */
export interface SignInChallenge {
  readonly challengeId: string;
  readonly options: PublicKeyCredentialRequestOptionsJSON;
}

export interface ChallengeSource {
  readonly baseUrl: string;
  readonly fetch: Fetch;
  /** Milliseconds before the request is given up (the protocol's rule: well inside 5 s). */
  readonly timeoutMs: number;
}

export async function fetchSignInChallenge(source: ChallengeSource, signal?: AbortSignal): Promise<SignInChallenge> {
  const { method, path } = PASSKEY_API_ROUTES.signInChallenge;
  const route = `${method} ${path}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), source.timeoutMs);
  const stop = () => controller.abort();
  signal?.addEventListener("abort", stop, { once: true });
  let response: Response;
  let body: unknown;
  try {
    // No body and no header: a CORS "simple" request, so a browser sends no preflight before it.
    response = await source.fetch(source.baseUrl + path, { method, signal: controller.signal });
    body = await readJson(response);
  } catch (error) {
    if (signal?.aborted === true) throw new PasskeyAbortedError({ cause: error });
    // fetch rejects only when no HTTP answer could be read: offline, DNS, CORS, or the timeout above.
    throw new PasskeyChallengeUnavailableError(undefined, { cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
  }
  const { status } = response;
  if (!response.ok) {
    const refusal = body === INVALID_JSON ? undefined : body;
    const cause = new Error(`HTTP ${status}${refusal === undefined ? "" : ` ${JSON.stringify(refusal)}`}`);
    // A 404 here is API Gateway's (the route is not deployed): the function has no 404 for this route.
    if (status === 404 || status === 429 || status >= 500) throw new PasskeyChallengeUnavailableError(status, { cause });
    throw mapPasskeyApiRefusal(status, refusal, { route });
  }
  return readSignInChallenge(body, route);
}

function readSignInChallenge(body: unknown, route: string): SignInChallenge {
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const challengeId = fields?.["challengeId"];
  const options = fields?.["options"];
  if (typeof challengeId !== "string" || challengeId === "") throw unexpected(route, "has no challengeId");
  if (typeof options !== "object" || options === null || typeof (options as Record<string, unknown>)["challenge"] !== "string") {
    throw unexpected(route, "has no PublicKeyCredentialRequestOptionsJSON in options");
  }
  return { challengeId, options: options as PublicKeyCredentialRequestOptionsJSON };
}

function unexpected(route: string, what: string): UnexpectedResponseError {
  return new UnexpectedResponseError(`The passkey API's answer to ${route} ${what}.`);
}
