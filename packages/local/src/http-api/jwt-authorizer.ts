/**
 * An HTTP API's JWT authorizer, checking a request as API Gateway documents it does ("Control
 * access to HTTP APIs with JWT authorizers", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * 1. the token from the identity source, alone or prefixed with "Bearer ";
 * 2. decoded; 3. an RSA algorithm, its signature checked with the issuer's public key from its
 *    jwks_uri (found through `<issuer>/.well-known/openid-configuration`, as OIDC discovery has it);
 * 4. the claims: `kid` names a key of that set, `iss` is the configured issuer, `aud` is one of the
 *    configured audiences, or `client_id` when (only when) there is no `aud`; `exp` after now,
 *    `nbf` and `iat` not after now; and, when the route names scopes, `scope`/`scp` holds one.
 * It does not tell an ID token from an access token (the page says there is no standard way to):
 * an ID token of an audience client passes, and the function must refuse it.
 * A refusal is 401 with a `www-authenticate` header naming the reason (403 for a missing scope).
 * Of the reasons, the page "Troubleshooting issues with HTTP API JWT authorizers" shows one
 * verbatim, "the token does not have a valid audience"; "the token has expired" is what users
 * report; the others are worded in the same style.
 */
import { type JWTVerifyGetKey, compactVerify, createRemoteJWKSet, errors } from "jose";
import type { JwtAuthorizer } from "./api-definition.ts";

/** Algorithms API Gateway accepts: "Currently, only RSA-based algorithms are supported." */
const RSA_ALGORITHMS = ["RS256", "RS384", "RS512"];

export type AuthorizerDecision =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>>; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly status: 401 | 403; readonly challenge: string };

export interface AuthorizerRequest {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

function refuse(description: string): AuthorizerDecision {
  return { ok: false, status: 401, challenge: `Bearer scope="" error="invalid_token" error_description="${description}"` };
}

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The token an identity source names, "Bearer " taken off; undefined when the request has none. */
export function tokenFrom(identitySource: string, request: AuthorizerRequest): string | undefined {
  const header = /^\$request\.header\.(.+)$/i.exec(identitySource)?.[1];
  const query = /^\$request\.querystring\.(.+)$/i.exec(identitySource)?.[1];
  const value = header !== undefined ? request.headers[header.toLowerCase()] : query !== undefined ? (request.query.get(query) ?? undefined) : undefined;
  const token = value?.replace(/^Bearer\s+/i, "").trim();
  return token === undefined || token === "" ? undefined : token;
}

export class JwtAuthorizerEmulation {
  #keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly config: JwtAuthorizer,
    private readonly now: () => number = Date.now,
  ) {}

  /** The issuer's key set, from its discovery document; looked up again after a failure. */
  #keySet(): Promise<JWTVerifyGetKey> {
    this.#keys ??= (async () => {
      const discovery = `${this.config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
      const response = await fetch(discovery);
      if (!response.ok) throw new Error(`GET ${discovery} answered ${response.status}`);
      const jwksUri = ((await response.json()) as { jwks_uri?: unknown }).jwks_uri;
      if (typeof jwksUri !== "string") throw new Error(`${discovery} names no jwks_uri`);
      return createRemoteJWKSet(new URL(jwksUri));
    })();
    this.#keys.catch(() => {
      this.#keys = undefined;
    });
    return this.#keys;
  }

  async authorize(request: AuthorizerRequest, authorizationScopes: readonly string[]): Promise<AuthorizerDecision> {
    const token = tokenFrom(this.config.identitySource, request);
    if (token === undefined) return refuse("no token in the identity source");
    const parts = token.split(".");
    if (parts.length !== 3) return refuse("the token is malformed");
    const header = decodeSegment(parts[0]!);
    if (!isRecord(header)) return refuse("the token is malformed");
    if (typeof header["alg"] !== "string" || !RSA_ALGORITHMS.includes(header["alg"]))
      return refuse(`signing method ${String(header["alg"]).replace(/[^A-Za-z0-9+-]/g, "")} is invalid`);
    if (typeof header["kid"] !== "string") return refuse("the token has no kid");

    let payload: Uint8Array;
    try {
      payload = (await compactVerify(token, await this.#keySet(), { algorithms: RSA_ALGORITHMS })).payload;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        return refuse("the token's kid matches no key of the issuer");
      if (error instanceof errors.JWSSignatureVerificationFailed) return refuse("the token's signature is invalid");
      if (error instanceof errors.JOSEError) return refuse("the token is malformed");
      console.error(`[http-api] the keys of ${this.config.issuer} could not be read:`, error);
      return refuse("the issuer's keys could not be read");
    }
    const claims = decodeSegment(Buffer.from(payload).toString("base64url"));
    if (!isRecord(claims)) return refuse("the token is malformed");

    if (claims["iss"] !== this.config.issuer) return refuse("the token does not have a valid issuer");
    // "API Gateway validates client_id only if aud is not present."
    const audiences = claims["aud"] !== undefined ? [claims["aud"]].flat() : [claims["client_id"]];
    if (!audiences.some((audience) => typeof audience === "string" && this.config.audience.includes(audience))) {
      return refuse("the token does not have a valid audience");
    }
    const seconds = this.now() / 1000;
    if (typeof claims["exp"] !== "number" || claims["exp"] <= seconds) return refuse("the token has expired");
    if (claims["nbf"] !== undefined && (typeof claims["nbf"] !== "number" || claims["nbf"] > seconds)) return refuse("the token is not valid yet");
    if (claims["iat"] !== undefined && (typeof claims["iat"] !== "number" || claims["iat"] > seconds)) return refuse("the token was issued in the future");

    const granted = scopesOf(claims);
    if (authorizationScopes.length > 0 && !authorizationScopes.some((scope) => granted.includes(scope))) {
      return {
        ok: false,
        status: 403,
        challenge: `Bearer scope="${authorizationScopes.join(" ")}" error="insufficient_scope" error_description="the token has none of the route's scopes"`,
      };
    }
    return { ok: true, claims, scopes: granted };
  }
}

/** The token's scopes: `scope` (space-separated, Cognito's) or `scp` (a list or a string). */
function scopesOf(claims: Record<string, unknown>): string[] {
  const value = claims["scope"] ?? claims["scp"];
  if (typeof value === "string") return value.split(" ").filter((scope) => scope !== "");
  return Array.isArray(value) ? value.filter((scope): scope is string => typeof scope === "string") : [];
}
