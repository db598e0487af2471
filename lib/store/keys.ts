/**
 * The single table's key design. Every item has `pk` and `sk`; short-lived items carry `ttl`
 * (epoch seconds) so DynamoDB's TTL removes them. No operation needs a transaction: each
 * decision is one conditional write on one item.
 *
 * | item                                        | pk                                   | sk              | ttl |
 * |---------------------------------------------|--------------------------------------|-----------------|-----|
 * | codes sent to one destination               | CODES#<channel>#<sha256(destination)>| WINDOW#<start>  | yes |
 * | user's sign-in state: latest verified       | SIGNIN#<userName>                    | LATEST          | no  |
 * |   sign-in, and each passkey's key           |                                      |                 |     |
 * |   fingerprint and counter                   |                                      |                 |     |
 * | passkey credential (enrolment facts)        | PASSKEY#<credentialId>               | PASSKEY         | no  |
 * | WebAuthn challenge issued by the passkey    | CHALLENGE#<challengeId>              | CHALLENGE       | yes |
 * |   API, single use (passkey-challenges.ts)   |                                      |                 |     |
 *
 * Passkeys are reached by user through the `gsi1` index: gsi1pk = USER#<userName>.
 */
import { createHash } from "node:crypto";

export const TABLE_KEYS = {
  partition: "pk",
  sort: "sk",
  ttl: "ttl",
  gsi1Name: "gsi1",
  gsi1Partition: "gsi1pk",
  gsi1Sort: "gsi1sk",
} as const;

/** Addresses are keyed by hash so the table holds no readable email address or phone number in a key. */
export function hashForKey(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

export function epochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
