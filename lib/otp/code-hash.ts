/**
 * How a code is kept server-side: only as a salted SHA-256, never in the clear.
 *
 * The salt is derived from the round key, the random nonce of the round before the code round,
 * which lives only in Cognito's session. The table keeps the hash (so a repeated Create can
 * re-issue the same code), and without the nonce that hash cannot be brute-forced.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export function deriveCodeSalt(roundKey: string): string {
  return createHash("sha256").update("code-salt\u0000").update(roundKey).digest("base64url");
}

export function hashCode(code: string, salt: string): string {
  return createHash("sha256").update(salt).update("\u0000").update(code).digest("base64url");
}

/** Constant-time comparison of the answer's hash with the stored one. */
export function codeMatchesHash(answer: string, codeHash: string, salt: string): boolean {
  const expected = Buffer.from(codeHash, "base64url");
  const actual = Buffer.from(hashCode(answer, salt), "base64url");
  // Both are SHA-256 digests; a stored hash of another length is corrupt and never matches.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
