/**
 * What a hosted-UI endpoint answers, as a value: the endpoints decide, hosted-ui.ts writes it out.
 * OAuth 2.0 error codes are those of RFC 6749 (sections 4.1.2.1 and 5.2) that Cognito's
 * /oauth2/authorize and /oauth2/token answer with, plus Cognito's own `redirect_mismatch` page
 * (developer guide, "Authorize endpoint" and "Token endpoint":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html).
 */

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "invalid_scope"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "access_denied"
  | "server_error";

export type OAuthReply =
  /** A 302 to another page: the IdP, or the app's redirect_uri with a code or an error. */
  | { readonly kind: "redirect"; readonly location: string }
  /** The token endpoint's JSON, success or `{ error }`. */
  | { readonly kind: "json"; readonly status: number; readonly body: Readonly<Record<string, unknown>> }
  /** A page for the person in the browser when there is nowhere safe to send them (unknown client, redirect_uri, state). */
  | { readonly kind: "page"; readonly status: number; readonly error: string; readonly detail: string };

export const redirectTo = (location: string): OAuthReply => ({ kind: "redirect", location });

export const errorPage = (error: string, detail: string, status = 400): OAuthReply => ({ kind: "page", status, error, detail });

export const tokenError = (error: OAuthErrorCode, description?: string): OAuthReply => ({
  kind: "json",
  status: 400,
  body: description === undefined ? { error } : { error, error_description: description },
});

/**
 * Back to the app with an error. Cognito puts error_description before error (as the redirects in
 * aws-amplify/amplify-js#9976 show), and returns the app's state so the app can match the answer.
 */
export function redirectWithError(redirectUri: string, appState: string | undefined, error: OAuthErrorCode, description?: string): OAuthReply {
  const url = new URL(redirectUri);
  if (description !== undefined) url.searchParams.set("error_description", description);
  if (appState !== undefined) url.searchParams.set("state", appState);
  url.searchParams.set("error", error);
  return redirectTo(url.href);
}

/** Back to the app with the authorization code. */
export function redirectWithCode(redirectUri: string, appState: string | undefined, code: string): OAuthReply {
  const url = new URL(redirectUri);
  url.searchParams.set("code", code);
  if (appState !== undefined) url.searchParams.set("state", appState);
  return redirectTo(url.href);
}
