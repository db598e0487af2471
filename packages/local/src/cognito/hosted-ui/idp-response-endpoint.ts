/**
 * GET /oauth2/idpresponse: where the IdP sends the person back with its code and the pool's state.
 * The pool redeems the code, maps the claims to attributes, decides who signs in
 * (federated-sign-in.ts) and sends the person to the app's redirect_uri with a code of its own, or
 * with `error=invalid_request` and Cognito's error_description (a PreSignUp refusal reads
 * "PreSignUp failed with error <message>."). Once the app's redirect_uri is known, every failure goes
 * back to it, trigger timeouts and IdP trouble included: never a 500 page.
 */
import { CognitoError } from "../errors.ts";
import { findIdentityProvider } from "../federation-config.ts";
import { mapAttributes } from "./attribute-mapping.ts";
import { signInFederatedIdentity } from "./federated-sign-in.ts";
import { type HostedUiState, hostedUiContext } from "./hosted-ui-state.ts";
import { type OAuthErrorCode, type OAuthReply, errorPage, redirectWithCode, redirectWithError } from "./oauth-replies.ts";
import { IdentityProviderError, oidcProviderDetails } from "./oidc-relying-party.ts";

/** Errors an IdP may send back (RFC 6749, 4.1.2.1) that are passed on to the app as they are. */
const PASSED_ON: ReadonlySet<string> = new Set(["access_denied", "invalid_scope", "server_error", "unauthorized_client"]);

export async function idpResponse(query: URLSearchParams, state: HostedUiState): Promise<OAuthReply> {
  const pending = state.pending.take(query.get("state") ?? "");
  if (pending === undefined) {
    return errorPage("invalid_request", "This sign-in is unknown, already finished or expired (the state does not match). Start it again from the app.");
  }
  const { app } = pending;
  const fail = (error: OAuthErrorCode, description: string) => redirectWithError(app.redirectUri, app.state, error, description);

  const idpError = query.get("error");
  if (idpError !== null) {
    const description = query.get("error_description") ?? idpError;
    return fail(PASSED_ON.has(idpError) ? (idpError as OAuthErrorCode) : "invalid_request", description);
  }
  const idpCode = query.get("code");
  if (idpCode === null || idpCode === "") return fail("invalid_request", "The identity provider sent no code.");

  const provider = findIdentityProvider(state.services.federation(), pending.providerName);
  if (provider === undefined) return fail("invalid_request", `The identity provider ${pending.providerName} no longer exists.`);
  try {
    const details = oidcProviderDetails(provider);
    const claims = await state.relyingParty.redeem(details, { code: idpCode, redirectUri: state.idpResponseUrl(), nonce: pending.nonce });
    const outcome = await signInFederatedIdentity(
      { provider, subject: String(claims["sub"]), attributes: mapAttributes(claims, provider.attributeMapping) },
      hostedUiContext(state),
    );
    if (!outcome.ok) return fail("invalid_request", outcome.description);
    const code = state.codes.issue({
      username: outcome.user.username,
      clientId: app.clientId,
      redirectUri: app.redirectUri,
      scopes: app.scopes,
      codeChallenge: app.codeChallenge,
      nonce: app.nonce,
    });
    return redirectWithCode(app.redirectUri, app.state, code);
  } catch (error) {
    if (error instanceof IdentityProviderError || error instanceof CognitoError) return fail("invalid_request", error.message);
    console.error("[cognito] /oauth2/idpresponse failed:", error);
    return fail("server_error", "The local pool failed to finish the sign-in; see its log.");
  }
}
