/**
 * The shape of a passkey API challenge id, checked before any request: pure, so the code that
 * checks an answer loads no SDK client for it (the store that takes challenges,
 * lib/store/passkey-challenges.ts, loads DynamoDB's).
 */

/** A challenge id as the API issues them (lib/flow/random-id.ts: 16 bytes, base64url), with room to spare. */
const CHALLENGE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** A challenge id that cannot be one the API issued is answered as an unknown one, without a request. */
export function isChallengeIdShape(value: unknown): value is string {
  return typeof value === "string" && CHALLENGE_ID.test(value);
}
