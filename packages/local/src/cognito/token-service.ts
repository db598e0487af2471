/**
 * Issues, refreshes and revokes the pool's tokens.
 * - ID token: sub, iss, aud, token_use "id", auth_time, iat, exp, jti, origin_jti, cognito:username,
 *   the user's attributes. Access token: sub, iss, client_id, token_use "access", scope, auth_time,
 *   iat, exp, jti, origin_jti, username. (Developer guide, "Understanding the identity (ID) token" and
 *   "Understanding the access token".)
 * - The pre token generation trigger shapes both before signing (V1 or V2 event, per LambdaConfig).
 * - Refresh tokens are opaque; refreshing returns a new ID and access token but no new refresh token
 *   (rotation off), keeps auth_time, origin_jti and the scopes, and runs TokenGeneration_RefreshTokens.
 * - A hosted-UI sign-in (/oauth2/token) runs TokenGeneration_HostedAuth; its access token carries the
 *   OAuth scopes granted, and its ID token the app's nonce when it sent one.
 * - Revoking a refresh token revokes the access tokens issued from it; GlobalSignOut revokes every
 *   refresh token and access token of the user ("Revoking tokens", developer guide:
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type TokenClaims, applyV1Response, applyV2Response } from "./claim-overrides.ts";
import { MESSAGES, notAuthorized } from "./errors.ts";
import { readJsonFile, writeJsonFile } from "./json-file.ts";
import type { PoolConfig } from "./pool-config.ts";
import type { SigningKey } from "./signing-key.ts";
import type { TriggerInvoker } from "./trigger-invoker.ts";
import { type CallerContext, type TokenGenerationSource, preTokenGenerationEvent } from "./trigger-events.ts";
import type { UserDirectory, UserRecord } from "./user-directory.ts";
import { idTokenAttributeClaims, triggerAttributes } from "./user-views.ts";

export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

interface RefreshRecord {
  readonly username: string;
  readonly clientId: string;
  readonly originJti: string;
  /** Epoch seconds of the sign-in. */
  readonly authTime: number;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** The access token's scopes; absent in records written before hosted sign-in existed (the admin scope). */
  readonly scopes?: readonly string[];
  revoked: boolean;
}

interface SavedTokens {
  refreshTokens: Record<string, RefreshRecord>;
  /** origin_jti of every revoked sign-in: the access tokens issued from it are revoked too. */
  revokedOrigins: string[];
}

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: "Bearer";
  IdToken: string;
  RefreshToken?: string;
}

export interface TokenContext {
  readonly callerContext: CallerContext;
  readonly clientMetadata: Readonly<Record<string, string>> | undefined;
}

/** What an authorization code grant adds to a sign-in: the OAuth scopes granted and the app's nonce. */
export interface HostedGrant {
  readonly scopes: readonly string[];
  readonly nonce?: string | undefined;
}

const API_GRANT: HostedGrant = { scopes: [ADMIN_SCOPE] };

export interface TokenServiceOptions {
  readonly pool: PoolConfig;
  readonly key: SigningKey;
  readonly issuer: () => string;
  readonly users: UserDirectory;
  readonly triggers: () => TriggerInvoker;
  readonly now: () => number;
  readonly file?: string | undefined;
}

export class TokenService {
  readonly #state: SavedTokens;

  constructor(private readonly options: TokenServiceOptions) {
    const saved = options.file === undefined ? undefined : (readJsonFile(options.file) as SavedTokens | undefined);
    this.#state = saved ?? { refreshTokens: {}, revokedOrigins: [] };
  }

  /** Tokens at the end of a sign-in, with a new refresh token. */
  issueForSignIn(user: UserRecord, context: TokenContext): Promise<AuthenticationResult> {
    return this.#issue(user, "TokenGeneration_Authentication", context, API_GRANT);
  }

  /** Tokens for an authorization code redeemed at /oauth2/token, with a new refresh token. */
  issueForHostedSignIn(user: UserRecord, context: TokenContext, grant: HostedGrant): Promise<AuthenticationResult> {
    return this.#issue(user, "TokenGeneration_HostedAuth", context, grant);
  }

  async #issue(user: UserRecord, triggerSource: TokenGenerationSource, context: TokenContext, grant: HostedGrant): Promise<AuthenticationResult> {
    const { pool, now } = this.options;
    const originJti = randomUUID();
    const authTime = Math.floor(now() / 1000);
    const tokens = await this.#tokens(user, originJti, authTime, triggerSource, context, grant);
    const refreshToken = randomBytes(96).toString("base64url");
    this.#state.refreshTokens[refreshToken] = {
      username: user.username,
      clientId: pool.clientId,
      originJti,
      authTime,
      expiresAt: now() + pool.refreshTokenValiditySeconds * 1000,
      scopes: [...grant.scopes],
      revoked: false,
    };
    this.#save();
    return { ...tokens, RefreshToken: refreshToken };
  }

  /** New ID and access tokens for a refresh token (REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken). */
  async refresh(refreshToken: string, clientId: string, context: TokenContext): Promise<AuthenticationResult> {
    const record = this.#state.refreshTokens[refreshToken];
    if (record === undefined || record.clientId !== clientId) throw notAuthorized(MESSAGES.invalidRefreshToken);
    if (record.revoked) throw notAuthorized(MESSAGES.revokedRefreshToken);
    if (this.options.now() >= record.expiresAt) throw notAuthorized("Refresh Token has expired");
    const user = this.options.users.get(record.username);
    if (user === undefined) throw notAuthorized(MESSAGES.invalidRefreshToken);
    if (!user.enabled) throw notAuthorized("User is disabled.");
    // The nonce belonged to the sign-in's request; refreshed ID tokens go without it.
    return this.#tokens(user, record.originJti, record.authTime, "TokenGeneration_RefreshTokens", context, { scopes: record.scopes ?? [ADMIN_SCOPE] });
  }

  /** RevokeToken: only refresh tokens can be revoked, and only by the client they were issued to. */
  revoke(refreshToken: string, clientId: string): boolean {
    const record = this.#state.refreshTokens[refreshToken];
    if (record === undefined || record.clientId !== clientId) return false;
    record.revoked = true;
    this.#state.revokedOrigins.push(record.originJti);
    this.#save();
    return true;
  }

  globalSignOut(username: string): void {
    for (const record of Object.values(this.#state.refreshTokens)) {
      if (record.username !== username || record.revoked) continue;
      record.revoked = true;
      this.#state.revokedOrigins.push(record.originJti);
    }
    this.#save();
  }

  /** The user an access token of this pool speaks for; Cognito's NotAuthorizedException otherwise. */
  verifyAccessToken(token: string, requiredScope = ADMIN_SCOPE): { user: UserRecord; claims: Record<string, unknown> } {
    const claims = this.options.key.verifyJwt(token);
    if (claims === undefined || claims["token_use"] !== "access" || claims["iss"] !== this.options.issuer()) {
      throw notAuthorized(MESSAGES.invalidAccessToken);
    }
    if (typeof claims["exp"] !== "number" || this.options.now() / 1000 >= claims["exp"]) throw notAuthorized(MESSAGES.expiredAccessToken);
    const username = String(claims["username"]);
    if (this.#state.revokedOrigins.includes(String(claims["origin_jti"]))) {
      throw notAuthorized(MESSAGES.revokedAccessToken);
    }
    if (
      !String(claims["scope"] ?? "")
        .split(" ")
        .includes(requiredScope)
    ) {
      throw notAuthorized("Access Token does not have required scopes");
    }
    const user = this.options.users.get(username);
    if (user === undefined) throw notAuthorized("User does not exist.");
    return { user, claims };
  }

  async #tokens(
    user: UserRecord,
    originJti: string,
    authTime: number,
    triggerSource: TokenGenerationSource,
    context: TokenContext,
    grant: HostedGrant,
  ): Promise<AuthenticationResult> {
    const { pool, key, now } = this.options;
    const iat = Math.floor(now() / 1000);
    const iss = this.options.issuer();
    let claims: TokenClaims = {
      id: {
        sub: user.attributes["sub"] ?? user.username,
        ...idTokenAttributeClaims(user, pool.attributes),
        iss,
        "cognito:username": user.username,
        origin_jti: originJti,
        aud: pool.clientId,
        token_use: "id",
        auth_time: authTime,
      },
      access: {
        sub: user.attributes["sub"] ?? user.username,
        iss,
        client_id: pool.clientId,
        origin_jti: originJti,
        token_use: "access",
        auth_time: authTime,
        username: user.username,
      },
      scopes: [...grant.scopes],
    };
    const triggers = this.options.triggers();
    if (triggers.has("PreTokenGeneration")) {
      const answered = await triggers.invoke(
        "PreTokenGeneration",
        preTokenGenerationEvent({
          pool,
          userName: user.username,
          callerContext: context.callerContext,
          triggerSource,
          version: pool.preTokenGenerationVersion,
          userAttributes: triggerAttributes(user),
          groups: [],
          scopes: claims.scopes,
          clientMetadata: context.clientMetadata,
        }),
      );
      claims = pool.preTokenGenerationVersion === "2" ? applyV2Response(claims, answered["response"]) : applyV1Response(claims, answered["response"]);
    }
    const nonce = grant.nonce === undefined ? {} : { nonce: grant.nonce };
    const idToken = key.signJwt({ ...claims.id, ...nonce, exp: iat + pool.idTokenValiditySeconds, iat, jti: randomUUID() });
    const accessToken = key.signJwt({
      ...claims.access,
      scope: claims.scopes.join(" "),
      exp: iat + pool.accessTokenValiditySeconds,
      iat,
      jti: randomUUID(),
    });
    return { AccessToken: accessToken, ExpiresIn: pool.accessTokenValiditySeconds, TokenType: "Bearer", IdToken: idToken };
  }

  #save(): void {
    if (this.options.file !== undefined) writeJsonFile(this.options.file, this.#state);
  }
}
