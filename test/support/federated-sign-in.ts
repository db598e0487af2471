/**
 * A federated sign-in driven the way a browser drives it, over real HTTP with manual redirects and
 * a cookie jar: the app's /oauth2/authorize → the local IdP's sign-in form, filled in with the
 * identity given → /oauth2/idpresponse → back at the app's redirect_uri with `code` and `state`, or
 * with `error` and `error_description`. Pass the same jar again to reuse the IdP's session (a second
 * sign-in then skips the form, as it would in a browser). `redeemCode` finishes the job at
 * /oauth2/token with the PKCE verifier.
 */
import { createHash, randomBytes } from "node:crypto";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";

/** Who the person says they are at the local IdP (its sign-in form's fields). */
export interface IdpIdentity {
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly phone?: string;
  readonly phoneVerified?: boolean;
  readonly name?: string;
  /** The IdP's `sub`; by default derived from the email, so one email is one IdP user. */
  readonly subject?: string;
}

/** Where the hosted UI is and which app client signs in. A LocalStack has both. */
export interface HostedUiTarget {
  /** The Cognito endpoint's base URL; /oauth2/* hang off it. */
  readonly hostedUiUrl: string;
  readonly clientId: string;
}

export type FederatedSignInResult =
  | { readonly code: string; readonly state: string | undefined; readonly codeVerifier: string | undefined; readonly sawIdpForm: boolean }
  | { readonly error: string; readonly errorDescription: string | undefined; readonly state: string | undefined; readonly sawIdpForm: boolean };

export interface FederatedSignInOptions {
  readonly identity: IdpIdentity;
  /** Must be one of the app client's callback URLs. */
  readonly redirectUri: string;
  /** Keeps the IdP's session between sign-ins; a fresh jar (a new browser) by default. */
  readonly jar?: CookieJar;
  /** Sent as identity_provider; "LocalIdP" by default. */
  readonly identityProvider?: string;
  readonly scope?: string;
  readonly state?: string;
  /** Sends a PKCE S256 challenge (true by default); the verifier comes back with the code. */
  readonly pkce?: boolean;
  /** Set to replace the challenge, e.g. to see a wrong verifier refused. */
  readonly codeChallenge?: string;
}

/** Cookies per host name, the way a browser scopes them (ports share cookies), ignoring paths. */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

  header(url: URL): string | undefined {
    const cookies = this.#cookies.get(url.hostname);
    if (cookies === undefined || cookies.size === 0) return undefined;
    return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  remember(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", setting = ""] = attribute.trim().split("=");
        return (key.toLowerCase() === "max-age" && Number(setting) <= 0) || (key.toLowerCase() === "expires" && Date.parse(setting) <= Date.now());
      });
      const cookies = this.#cookies.get(url.hostname) ?? new Map<string, string>();
      if (expired || value === "") cookies.delete(name);
      else cookies.set(name, value);
      this.#cookies.set(url.hostname, cookies);
    }
  }
}

function targetOf(target: LocalStack | HostedUiTarget): HostedUiTarget {
  return "config" in target ? { hostedUiUrl: target.hostedUiUrl, clientId: target.config.clientId } : target;
}

const base64url = (buffer: Buffer) => buffer.toString("base64url");

/** A PKCE pair (RFC 7636): a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash("sha256").update(verifier).digest()) };
}

function identityForm(identity: IdpIdentity): URLSearchParams {
  const form = new URLSearchParams();
  if (identity.email !== undefined) form.set("email", identity.email);
  if (identity.emailVerified === true) form.set("email_verified", "true");
  if (identity.phone !== undefined) form.set("phone_number", identity.phone);
  if (identity.phoneVerified === true) form.set("phone_number_verified", "true");
  if (identity.name !== undefined) form.set("name", identity.name);
  if (identity.subject !== undefined) form.set("subject", identity.subject);
  return form;
}

function isAppRedirect(location: URL, redirectUri: URL): boolean {
  return location.origin === redirectUri.origin && location.pathname === redirectUri.pathname;
}

const MAX_HOPS = 20;

export async function federatedSignIn(target: LocalStack | HostedUiTarget, options: FederatedSignInOptions): Promise<FederatedSignInResult> {
  const { hostedUiUrl, clientId } = targetOf(target);
  const jar = options.jar ?? new CookieJar();
  const pkce = options.pkce === false ? undefined : pkcePair();
  const authorize = new URL(`${hostedUiUrl}/oauth2/authorize`);
  authorize.searchParams.set("response_type", "code");
  authorize.searchParams.set("client_id", clientId);
  authorize.searchParams.set("redirect_uri", options.redirectUri);
  authorize.searchParams.set("identity_provider", options.identityProvider ?? "LocalIdP");
  authorize.searchParams.set("scope", options.scope ?? "openid email phone profile");
  authorize.searchParams.set("state", options.state ?? base64url(randomBytes(12)));
  if (pkce !== undefined) {
    authorize.searchParams.set("code_challenge", options.codeChallenge ?? pkce.challenge);
    authorize.searchParams.set("code_challenge_method", "S256");
  }

  const appUri = new URL(options.redirectUri);
  let sawIdpForm = false;
  let request: { url: URL; init: RequestInit } = { url: authorize, init: {} };
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const cookie = jar.header(request.url);
    const headers = new Headers(request.init.headers);
    if (cookie !== undefined) headers.set("cookie", cookie);
    const response = await fetch(request.url, { ...request.init, headers, redirect: "manual" });
    jar.remember(request.url, response);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = new URL(response.headers.get("location") ?? "", request.url);
      if (isAppRedirect(location, appUri)) {
        const answer = location.searchParams;
        const state = answer.get("state") ?? undefined;
        const code = answer.get("code");
        if (code !== null) return { code, state, codeVerifier: pkce?.verifier, sawIdpForm };
        return { error: answer.get("error") ?? "(none)", errorDescription: answer.get("error_description") ?? undefined, state, sawIdpForm };
      }
      request = { url: location, init: {} };
      continue;
    }
    const body = await response.text();
    if (response.status === 200 && /<form[^>]+method="post"/i.test(body) && request.init.method !== "POST") {
      // The IdP's sign-in page: fill it in and post it back where it came from.
      sawIdpForm = true;
      request = {
        url: request.url,
        init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: identityForm(options.identity).toString() },
      };
      continue;
    }
    throw new Error(
      `The sign-in stopped at ${request.url.href} with HTTP ${response.status}: ${body
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 400)}`,
    );
  }
  throw new Error(`The sign-in did not reach ${options.redirectUri} within ${MAX_HOPS} redirects.`);
}

export type TokenEndpointAnswer =
  | {
      readonly ok: true;
      readonly tokens: {
        readonly id_token?: string;
        readonly access_token: string;
        readonly refresh_token?: string;
        readonly expires_in: number;
        readonly token_type: string;
      };
    }
  | { readonly ok: false; readonly status: number; readonly error: string };

async function postToken(hostedUiUrl: string, form: URLSearchParams): Promise<TokenEndpointAnswer> {
  const response = await fetch(`${hostedUiUrl}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok) return { ok: true, tokens: body as Extract<TokenEndpointAnswer, { ok: true }>["tokens"] };
  return { ok: false, status: response.status, error: String(body["error"]) };
}

/** Redeems an authorization code at /oauth2/token, as a public client with PKCE would. */
export function redeemCode(
  target: LocalStack | HostedUiTarget,
  request: { readonly code: string; readonly redirectUri: string; readonly codeVerifier?: string | undefined },
): Promise<TokenEndpointAnswer> {
  const { hostedUiUrl, clientId } = targetOf(target);
  const form = new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, redirect_uri: request.redirectUri, code: request.code });
  if (request.codeVerifier !== undefined) form.set("code_verifier", request.codeVerifier);
  return postToken(hostedUiUrl, form);
}

/** New ID and access tokens for a refresh token, at /oauth2/token. */
export function refreshAtTokenEndpoint(target: LocalStack | HostedUiTarget, refreshToken: string): Promise<TokenEndpointAnswer> {
  const { hostedUiUrl, clientId } = targetOf(target);
  return postToken(hostedUiUrl, new URLSearchParams({ grant_type: "refresh_token", client_id: clientId, refresh_token: refreshToken }));
}
