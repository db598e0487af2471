/**
 * "Sign in with <IdP>" on the demo page: the authorization code flow with PKCE, as a browser app
 * does it against a pool's hosted UI. The page sends the person to /oauth2/authorize with the IdP
 * named, keeps the PKCE verifier and its state in sessionStorage (they must survive the round trip
 * through the IdP, and only this tab needs them), and, when the pool sends the person back to this
 * page with `code` and `state`, redeems the code at /oauth2/token.
 */
import type { Tokens } from "./cognito-calls.ts";

/** What /config.json says about federation, when the stack has an IdP. */
export interface FederationSettings {
  readonly hostedUiUrl: string;
  readonly identityProvider: string;
}

export type FederatedReturn =
  | { readonly kind: "none" }
  | { readonly kind: "tokens"; readonly tokens: Tokens }
  | { readonly kind: "error"; readonly error: string; readonly description: string };

const PENDING_KEY = "demo.federatedSignIn";
const SCOPES = "openid email phone profile";

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly redirectUri: string;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** This page's own address, which the stack registers as the app client's callback URL. */
function callbackUrl(): string {
  return `${window.location.origin}/`;
}

/** Leaves for the hosted UI, and from there the IdP's sign-in page. */
export async function startFederatedSignIn(settings: FederationSettings, clientId: string): Promise<void> {
  const pending: Pending = { state: randomToken(), verifier: randomToken(), redirectUri: callbackUrl() };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const authorize = new URL(`${settings.hostedUiUrl}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: pending.redirectUri,
    identity_provider: settings.identityProvider,
    scope: SCOPES,
    state: pending.state,
    code_challenge: await s256(pending.verifier),
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(authorize.href);
}

function readPending(): Pending | undefined {
  const saved = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (saved === null) return undefined;
  try {
    return JSON.parse(saved) as Pending;
  } catch {
    return undefined;
  }
}

/**
 * On load: if the pool just sent this page a code (or an error) for a sign-in this tab started,
 * finish it. The query is removed from the address bar either way, so a reload does not replay it.
 */
export async function finishFederatedSignIn(settings: FederationSettings, clientId: string): Promise<FederatedReturn> {
  const query = new URLSearchParams(window.location.search);
  if (!query.has("code") && !query.has("error")) return { kind: "none" };
  window.history.replaceState(null, "", window.location.pathname);
  const pending = readPending();
  if (pending === undefined || query.get("state") !== pending.state) {
    return { kind: "error", error: "invalid_state", description: "This answer does not belong to a sign-in started in this tab." };
  }
  const error = query.get("error");
  if (error !== null) return { kind: "error", error, description: query.get("error_description") ?? "" };

  const response = await fetch(`${settings.hostedUiUrl}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: clientId,
      redirect_uri: pending.redirectUri,
      code: query.get("code") ?? "",
      code_verifier: pending.verifier,
    }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok || typeof body["id_token"] !== "string" || typeof body["access_token"] !== "string") {
    return { kind: "error", error: String(body["error"] ?? response.status), description: "The token endpoint refused the code." };
  }
  return {
    kind: "tokens",
    tokens: {
      idToken: body["id_token"],
      accessToken: body["access_token"],
      refreshToken: typeof body["refresh_token"] === "string" ? body["refresh_token"] : undefined,
    },
  };
}
