/**
 * POST /oauth2/token (application/x-www-form-urlencoded): redeems an authorization code, with the
 * PKCE verifier when the app sent a challenge, or a refresh token (developer guide, "Token endpoint":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html).
 * - A code → id_token (with the openid scope), access_token, refresh_token; PreTokenGeneration runs
 *   with TokenGeneration_HostedAuth.
 * - A refresh token → id_token and access_token only; TokenGeneration_RefreshTokens.
 * - Errors are `{ "error": … }` with HTTP 400. A redirect_uri that is not a callback URL of the client
 *   is `unauthorized_client`, as reported of Cognito (https://stackoverflow.com/questions/50264679);
 *   one that differs from the authorize request's is `invalid_grant`.
 * The template's client is public (no secret): it identifies itself with client_id alone.
 */
import { CognitoError } from "../errors.ts";
import type { AuthenticationResult } from "../token-service.ts";
import { verifierMatches } from "./authorization-codes.ts";
import { type HostedUiState, hostedUiContext } from "./hosted-ui-state.ts";
import { type OAuthReply, tokenError } from "./oauth-replies.ts";

/** client_id from the form, or from HTTP Basic (client_secret_basic) when the app authenticates that way. */
function clientIdOf(form: URLSearchParams, authorization: string | undefined): string | undefined {
  const fromForm = form.get("client_id");
  if (fromForm !== null && fromForm !== "") return fromForm;
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? "");
  if (basic === null) return undefined;
  // RFC 6749, section 2.3.1: the id is form-encoded before it is joined to the secret with ":".
  const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  try {
    return decodeURIComponent((colon === -1 ? decoded : decoded.slice(0, colon)).replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

function tokenResponse(result: AuthenticationResult, withIdToken: boolean): OAuthReply {
  return {
    kind: "json",
    status: 200,
    body: {
      ...(withIdToken ? { id_token: result.IdToken } : {}),
      access_token: result.AccessToken,
      ...(result.RefreshToken === undefined ? {} : { refresh_token: result.RefreshToken }),
      expires_in: result.ExpiresIn,
      token_type: "Bearer",
    },
  };
}

async function redeemCode(form: URLSearchParams, clientId: string, state: HostedUiState): Promise<OAuthReply> {
  const client = state.services.federation().oauthClient!;
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  if (code === null || code === "" || redirectUri === null) return tokenError("invalid_request", "code and redirect_uri are required.");
  if (!client.callbackUrls.includes(redirectUri)) return tokenError("unauthorized_client");
  const grant = state.codes.take(code);
  if (grant === undefined || grant.clientId !== clientId || grant.redirectUri !== redirectUri) return tokenError("invalid_grant");
  if (grant.codeChallenge !== undefined) {
    const verifier = form.get("code_verifier");
    if (verifier === null || !verifierMatches(verifier, grant.codeChallenge)) return tokenError("invalid_grant");
  }
  const user = state.services.users.get(grant.username);
  if (user === undefined || !user.enabled) return tokenError("invalid_grant");
  const context = hostedUiContext(state);
  const result = await state.services.tokens.issueForHostedSignIn(
    user,
    { callerContext: context.callerContext, clientMetadata: undefined },
    { scopes: grant.scopes, nonce: grant.nonce },
  );
  return tokenResponse(result, grant.scopes.includes("openid"));
}

async function refresh(form: URLSearchParams, clientId: string, state: HostedUiState): Promise<OAuthReply> {
  const refreshToken = form.get("refresh_token");
  if (refreshToken === null || refreshToken === "") return tokenError("invalid_request", "refresh_token is required.");
  const context = hostedUiContext(state);
  try {
    const result = await state.services.tokens.refresh(refreshToken, clientId, { callerContext: context.callerContext, clientMetadata: undefined });
    return tokenResponse(result, true);
  } catch (error) {
    if (error instanceof CognitoError && error.type === "NotAuthorizedException") return tokenError("invalid_grant");
    throw error;
  }
}

export async function token(form: URLSearchParams, authorization: string | undefined, state: HostedUiState): Promise<OAuthReply> {
  const clientId = clientIdOf(form, authorization);
  if (clientId !== state.services.pool.clientId || state.services.federation().oauthClient === undefined) return tokenError("invalid_client");
  try {
    switch (form.get("grant_type")) {
      case "authorization_code":
        return await redeemCode(form, clientId, state);
      case "refresh_token":
        return await refresh(form, clientId, state);
      case null:
      case "":
        return tokenError("invalid_request", "grant_type is required.");
      default:
        return tokenError("unsupported_grant_type");
    }
  } catch (error) {
    // A failing PreTokenGeneration: Cognito's answer here is not documented; the trigger's message is kept.
    if (error instanceof CognitoError) return tokenError("invalid_request", error.message);
    throw error;
  }
}
