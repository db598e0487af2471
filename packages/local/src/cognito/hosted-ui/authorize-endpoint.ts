/**
 * GET /oauth2/authorize with an identity provider: checks the app's request against the app client's
 * OAuth settings and sends the person to the IdP (developer guide, "Authorize endpoint":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html).
 * - An unknown client or a redirect_uri that is not exactly one of the CallbackURLs gets an error
 *   page (Cognito's `redirect_mismatch`): redirecting to an unregistered address would hand the
 *   answer to whoever wrote the link.
 * - Other mistakes go back to the redirect_uri with `error` (RFC 6749, section 4.1.2.1).
 * - Only `response_type=code`, the flow the template allows, and PKCE with S256 only, as Cognito.
 * - No scope asks for every scope the client allows.
 * - Managed login (the page that offers providers) is not emulated: without identity_provider the
 *   client's one supported provider is used.
 */
import { findIdentityProvider } from "../federation-config.ts";
import type { HostedUiState } from "./hosted-ui-state.ts";
import { type OAuthReply, errorPage, redirectTo, redirectWithError } from "./oauth-replies.ts";
import { IdentityProviderError, oidcProviderDetails } from "./oidc-relying-party.ts";
import type { AppRequest } from "./pending-federations.ts";

const present = (value: string | null): string | undefined => (value === null || value === "" ? undefined : value);

export async function authorize(query: URLSearchParams, state: HostedUiState): Promise<OAuthReply> {
  const { pool } = state.services;
  const federation = state.services.federation();
  const client = federation.oauthClient;
  const clientId = present(query.get("client_id"));
  if (clientId !== pool.clientId || client === undefined) {
    return errorPage("invalid_request", `The app client ${clientId ?? "(none)"} does not exist or has no OAuth flows enabled.`);
  }
  const redirectUri = present(query.get("redirect_uri"));
  if (redirectUri === undefined || !client.callbackUrls.includes(redirectUri)) {
    return errorPage(
      "redirect_mismatch",
      `redirect_uri ${redirectUri ?? "(none)"} is not one of the app client's callback URLs (${client.callbackUrls.join(", ")}).`,
    );
  }
  const appState = present(query.get("state"));
  const fail = (error: Parameters<typeof redirectWithError>[2], description: string) => redirectWithError(redirectUri, appState, error, description);

  // response_type=token is the client's "implicit" flow; the template allows "code" only.
  const responseType = query.get("response_type");
  const flow = responseType === "token" ? "implicit" : responseType;
  if (flow !== "code" && flow !== "implicit") return fail("unsupported_response_type", "response_type must be code.");
  if (!client.allowedFlows.includes(flow)) return fail("unauthorized_client", `The app client does not allow the ${flow} flow.`);
  if (flow === "implicit") return fail("unsupported_response_type", "The local pool emulates the authorization code flow only.");

  const requested = (query.get("scope") ?? "").split(" ").filter((scope) => scope !== "");
  const scopes = requested.length === 0 ? [...client.allowedScopes] : [...new Set(requested)];
  const refused = scopes.filter((scope) => !client.allowedScopes.includes(scope));
  if (refused.length > 0) return fail("invalid_scope", `The app client does not allow the scope ${refused.join(" ")}.`);

  const codeChallenge = present(query.get("code_challenge"));
  const method = present(query.get("code_challenge_method"));
  if (codeChallenge !== undefined && method !== "S256") return fail("invalid_request", "code_challenge_method must be S256.");
  if (codeChallenge === undefined && method !== undefined) return fail("invalid_request", "code_challenge_method without code_challenge.");

  const named = present(query.get("identity_provider"));
  const supported = client.supportedIdentityProviders.filter((name) => name !== "COGNITO");
  const providerName = named ?? (supported.length === 1 ? supported[0] : undefined);
  if (providerName === undefined) {
    return errorPage("invalid_request", "Name the identity provider with identity_provider: the local pool does not emulate managed login's sign-in page.");
  }
  const provider = client.supportedIdentityProviders.includes(providerName) ? findIdentityProvider(federation, providerName) : undefined;
  if (provider === undefined) return fail("invalid_request", `The app client does not support the identity provider ${providerName}.`);

  const app: AppRequest = { clientId, redirectUri, state: appState, scopes, codeChallenge, nonce: present(query.get("nonce")) };
  try {
    const details = oidcProviderDetails(provider);
    const started = state.pending.start(provider.providerName, app);
    return redirectTo(await state.relyingParty.authorizationUrl(details, { redirectUri: state.idpResponseUrl(), ...started }));
  } catch (error) {
    if (error instanceof IdentityProviderError) return fail("server_error", error.message);
    throw error;
  }
}
