/**
 * The pool as an OIDC relying party of one of its OIDC identity providers, the way Cognito is
 * described to work with one (developer guide, "Using OIDC identity providers with a user pool":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-oidc-idp.html):
 * it reads the IdP's discovery document at `<oidc_issuer>/.well-known/openid-configuration`, sends
 * the person to its authorization endpoint with `authorize_scopes`, redeems the code at its token
 * endpoint with the client secret (client_secret_post), verifies the ID token against the IdP's
 * JWKS (issuer, audience, nonce) with jose, and reads the userinfo endpoint when
 * `attributes_request_method` asks for it.
 */
import { type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from "jose";
import type { IdentityProviderConfig } from "../federation-config.ts";

/** Something about the IdP went wrong: unreachable, misconfigured, or it answered what it should not. */
export class IdentityProviderError extends Error {
  constructor(
    readonly code: "IDP_MISCONFIGURED" | "IDP_UNREACHABLE" | "IDP_TOKEN_REJECTED" | "IDP_ID_TOKEN_INVALID",
    message: string,
  ) {
    super(message);
    this.name = "IdentityProviderError";
  }
}

/** The ProviderDetails of an OIDC provider, checked. */
export interface OidcProviderDetails {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly attributesRequestMethod: "GET" | "POST";
}

export function oidcProviderDetails(provider: IdentityProviderConfig): OidcProviderDetails {
  const { details } = provider;
  const issuer = details["oidc_issuer"];
  const clientId = details["client_id"];
  if (provider.providerType !== "OIDC") {
    throw new IdentityProviderError(
      "IDP_MISCONFIGURED",
      `${provider.providerName} is a ${provider.providerType} provider; the local pool federates OIDC providers only.`,
    );
  }
  if (issuer === undefined || issuer === "" || clientId === undefined || clientId === "") {
    throw new IdentityProviderError("IDP_MISCONFIGURED", `${provider.providerName} needs oidc_issuer and client_id in its ProviderDetails.`);
  }
  const method = details["attributes_request_method"] ?? "GET";
  return {
    issuer,
    clientId,
    clientSecret: details["client_secret"] ?? "",
    scopes: (details["authorize_scopes"] ?? "openid").split(/[\s,]+/).filter((scope) => scope !== ""),
    attributesRequestMethod: method === "POST" ? "POST" : "GET",
  };
}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly userinfo_endpoint?: string;
}

function isDiscovery(value: unknown): value is Discovery {
  if (typeof value !== "object" || value === null) return false;
  const document = value as Record<string, unknown>;
  return ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"].every((member) => typeof document[member] === "string");
}

async function fetchJson(url: string, init: RequestInit, what: string): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new IdentityProviderError("IDP_UNREACHABLE", `${what} at ${url} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new IdentityProviderError("IDP_UNREACHABLE", `${what} at ${url} answered ${response.status} with something other than JSON.`);
  }
}

export class OidcRelyingParty {
  readonly #discoveries = new Map<string, Promise<Discovery>>();
  readonly #keySets = new Map<string, JWTVerifyGetKey>();

  /** The IdP's discovery document, fetched once per issuer (again after a failure). */
  discover(issuer: string): Promise<Discovery> {
    let discovery = this.#discoveries.get(issuer);
    if (discovery === undefined) {
      discovery = this.#fetchDiscovery(issuer);
      discovery.catch(() => this.#discoveries.delete(issuer));
      this.#discoveries.set(issuer, discovery);
    }
    return discovery;
  }

  async #fetchDiscovery(issuer: string): Promise<Discovery> {
    const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const { status, body } = await fetchJson(url, {}, "The discovery document");
    if (status !== 200 || !isDiscovery(body))
      throw new IdentityProviderError("IDP_UNREACHABLE", `${url} answered ${status} without a usable discovery document.`);
    // OIDC Discovery 1.0, section 4.3: the document's issuer must be the one it was fetched for.
    if (body.issuer !== issuer) throw new IdentityProviderError("IDP_MISCONFIGURED", `${url} names the issuer ${body.issuer}, not ${issuer}.`);
    return body;
  }

  /** Where to send the person: the IdP's authorization endpoint with the pool's own state and nonce. */
  async authorizationUrl(details: OidcProviderDetails, request: { redirectUri: string; state: string; nonce: string }): Promise<string> {
    const discovery = await this.discover(details.issuer);
    const url = new URL(discovery.authorization_endpoint);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", details.clientId);
    url.searchParams.set("redirect_uri", request.redirectUri);
    url.searchParams.set("scope", details.scopes.join(" "));
    url.searchParams.set("state", request.state);
    url.searchParams.set("nonce", request.nonce);
    return url.href;
  }

  /** Redeems the IdP's code and returns the person's claims: the verified ID token's, then userinfo's over them. */
  async redeem(details: OidcProviderDetails, request: { code: string; redirectUri: string; nonce: string }): Promise<Record<string, unknown>> {
    const discovery = await this.discover(details.issuer);
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code: request.code,
      redirect_uri: request.redirectUri,
      client_id: details.clientId,
      client_secret: details.clientSecret,
    });
    const { status, body } = await fetchJson(discovery.token_endpoint, { method: "POST", body: form }, "The token endpoint");
    const tokens = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const idToken = tokens["id_token"];
    if (status !== 200 || typeof idToken !== "string") {
      throw new IdentityProviderError(
        "IDP_TOKEN_REJECTED",
        `The IdP's token endpoint answered ${status}: ${String(tokens["error_description"] ?? tokens["error"] ?? "no id_token")}.`,
      );
    }
    const claims = await this.#verifyIdToken(idToken, details, discovery, request.nonce);
    const accessToken = tokens["access_token"];
    if (discovery.userinfo_endpoint === undefined || typeof accessToken !== "string") return claims;
    return { ...claims, ...(await this.#userInfo(discovery.userinfo_endpoint, accessToken, details, String(claims["sub"]))) };
  }

  async #verifyIdToken(idToken: string, details: OidcProviderDetails, discovery: Discovery, nonce: string): Promise<Record<string, unknown>> {
    let keys = this.#keySets.get(discovery.jwks_uri);
    if (keys === undefined) {
      keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
      this.#keySets.set(discovery.jwks_uri, keys);
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(idToken, keys, { issuer: details.issuer, audience: details.clientId }));
    } catch (error) {
      throw new IdentityProviderError("IDP_ID_TOKEN_INVALID", `The IdP's ID token did not verify: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (payload["nonce"] !== nonce) throw new IdentityProviderError("IDP_ID_TOKEN_INVALID", "The IdP's ID token does not carry the nonce of this sign-in.");
    if (typeof payload["sub"] !== "string" || payload["sub"] === "") throw new IdentityProviderError("IDP_ID_TOKEN_INVALID", "The IdP's ID token has no sub.");
    return payload;
  }

  async #userInfo(endpoint: string, accessToken: string, details: OidcProviderDetails, subject: string): Promise<Record<string, unknown>> {
    const init: RequestInit =
      details.attributesRequestMethod === "POST"
        ? { method: "POST", headers: { authorization: `Bearer ${accessToken}` } }
        : { headers: { authorization: `Bearer ${accessToken}` } };
    const { status, body } = await fetchJson(endpoint, init, "The userinfo endpoint");
    if (status !== 200 || typeof body !== "object" || body === null)
      throw new IdentityProviderError("IDP_TOKEN_REJECTED", `The IdP's userinfo endpoint answered ${status}.`);
    const userInfo = body as Record<string, unknown>;
    // OIDC Core 1.0, section 5.3.2: userinfo about someone else must not be used.
    if (userInfo["sub"] !== subject) throw new IdentityProviderError("IDP_ID_TOKEN_INVALID", "The IdP's userinfo is about another subject than its ID token.");
    return userInfo;
  }
}
