/**
 * The authorization codes /oauth2/idpresponse hands the app: single use, valid five minutes
 * ("The authorization code is valid for five minutes", developer guide, "Authorize endpoint"),
 * bound to the client, the redirect_uri and, with PKCE, the code challenge. Kept in memory: a code
 * outlives no restart, and five minutes is shorter than any restart an app would notice.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";

export const AUTHORIZATION_CODE_TTL_MS = 5 * 60 * 1000;

export interface AuthorizationGrant {
  readonly username: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** The app's S256 code_challenge, when it used PKCE. */
  readonly codeChallenge: string | undefined;
  /** The app's nonce, to be echoed in the ID token. */
  readonly nonce: string | undefined;
}

interface StoredGrant extends AuthorizationGrant {
  readonly expiresAt: number;
}

/** Whether a code_verifier answers an S256 code_challenge (RFC 7636, section 4.6), compared in constant time. */
export function verifierMatches(codeVerifier: string, codeChallenge: string): boolean {
  const computed = createHash("sha256").update(codeVerifier).digest();
  const expected = Buffer.from(codeChallenge, "base64url");
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

export class AuthorizationCodes {
  readonly #codes = new Map<string, StoredGrant>();

  constructor(private readonly now: () => number) {}

  /** A new code for this grant; Cognito's codes are UUIDs too. */
  issue(grant: AuthorizationGrant): string {
    this.#forgetExpired();
    const code = randomUUID();
    this.#codes.set(code, { ...grant, expiresAt: this.now() + AUTHORIZATION_CODE_TTL_MS });
    return code;
  }

  /**
   * The grant behind a code, once: a code is spent by any attempt to redeem it, right or wrong, so
   * a stolen code cannot be tried again with other guesses of the verifier.
   */
  take(code: string): AuthorizationGrant | undefined {
    const stored = this.#codes.get(code);
    this.#codes.delete(code);
    if (stored === undefined || this.now() >= stored.expiresAt) return undefined;
    const { expiresAt: _expiresAt, ...grant } = stored;
    return grant;
  }

  #forgetExpired(): void {
    const now = this.now();
    for (const [code, stored] of this.#codes) if (now >= stored.expiresAt) this.#codes.delete(code);
  }
}
