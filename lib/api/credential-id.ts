/**
 * The `{id}` of a passkey route: a credential id as WebAuthn's JSON writes it, base64url. Anything
 * else names no passkey, and is answered as an unknown one (404), never as a bad request, so that
 * no answer tells a well-formed id from another.
 */

/** WebAuthn allows credential ids up to 1023 bytes: 1364 base64url characters (as lib/passkey/parse-answer.ts). */
const MAX_CREDENTIAL_ID_CHARS = 1364;

export function isCredentialId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_CREDENTIAL_ID_CHARS && /^[A-Za-z0-9_-]+$/.test(value);
}
