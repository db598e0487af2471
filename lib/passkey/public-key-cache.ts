/**
 * The user's passkey public keys, copied into one Cognito user attribute so that Verify finds the
 * key of a sign-in assertion in its own event (`request.userAttributes`) instead of reading the
 * table: a passkey sign-in then costs one DynamoDB read (PreTokenGeneration's) and one write.
 *
 * The copy is a cache, never an authority. Verify's single write is conditional on the user's
 * item in the table holding the SHA-256 fingerprint of the very key the signature was checked
 * with (see lib/store/sign-in-records.ts), and only enrolment writes fingerprints. A key put into
 * the attribute any other way (an admin call, a client allowed to write it by mistake) signs
 * nobody in.
 *
 * Value: `v1;` then one entry per passkey, separated by `,`:
 *   `<credential digest>.<s|h>.<COSE public key>`
 * - credential digest: the first 16 bytes of SHA-256 of the credential id (base64url, 22
 *   characters), so a long security-key id costs no more room than a short one;
 * - `s` / `h`: the passkey's `auth_methods` value (`swk`, `hwk`) as enrolment read its backup
 *   eligibility; a sign-in's claim comes from its own signed assertion (sign-in-method.ts);
 * - the COSE public key, base64url, as the WebAuthn library takes it.
 * Every part is base64url or a letter, so `;`, `,` and `.` cannot occur inside one.
 */
import { createHash } from "node:crypto";

/** The attribute's name as triggers and the admin API spell it; declared in template.yaml's Schema. */
export const PUBLIC_KEY_ATTRIBUTE = "custom:passkeys";

/** Cognito's longest custom string attribute (StringAttributeConstraints.MaxLength, 2048). */
export const PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH = 2048;

const VERSION_PREFIX = "v1;";
const DIGEST_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface CachedPublicKey {
  /** COSE public key, base64url. */
  readonly publicKey: string;
  /** The passkey's `auth_methods` value as enrolment read its backup eligibility (sign-in-method.ts). */
  readonly method: "swk" | "hwk";
}

interface Entry extends CachedPublicKey {
  readonly digest: string;
}

/** The digest that names a credential in the attribute. */
export function credentialDigest(credentialId: string): string {
  return createHash("sha256").update(credentialId, "utf8").digest().subarray(0, DIGEST_BYTES).toString("base64url");
}

/** The fingerprint the table keeps of a public key: what Verify's write is conditional on. */
export function publicKeyFingerprint(publicKey: string): string {
  return createHash("sha256").update(publicKey, "utf8").digest("base64url");
}

/**
 * Every well-formed entry of the attribute's value. A value of another version, or an entry that
 * does not parse, yields nothing for it: Verify then reads the passkey from the table instead.
 */
function readEntries(value: string | undefined): Entry[] {
  if (value === undefined || !value.startsWith(VERSION_PREFIX)) return [];
  const entries: Entry[] = [];
  for (const text of value.slice(VERSION_PREFIX.length).split(",")) {
    const [digest, flag, publicKey, extra] = text.split(".");
    if (extra !== undefined || digest === undefined || publicKey === undefined) continue;
    if (!BASE64URL.test(digest) || !BASE64URL.test(publicKey) || (flag !== "s" && flag !== "h")) continue;
    entries.push({ digest, publicKey, method: flag === "s" ? "swk" : "hwk" });
  }
  return entries;
}

function writeEntries(entries: readonly Entry[]): string {
  return VERSION_PREFIX + entries.map((entry) => `${entry.digest}.${entry.method === "swk" ? "s" : "h"}.${entry.publicKey}`).join(",");
}

/** The cached key of this credential, if the attribute holds one. */
export function findCachedPublicKey(value: string | undefined, credentialId: string): CachedPublicKey | undefined {
  const digest = credentialDigest(credentialId);
  const entry = readEntries(value).find((candidate) => candidate.digest === digest);
  return entry === undefined ? undefined : { publicKey: entry.publicKey, method: entry.method };
}

/**
 * The attribute's new value with this credential's key added (or replaced), or undefined when it
 * would not fit in 2048 characters: that passkey is then read from the table at each sign-in,
 * which costs one read more and nothing else.
 */
export function withCachedPublicKey(value: string | undefined, credentialId: string, key: CachedPublicKey): string | undefined {
  const digest = credentialDigest(credentialId);
  const entries = readEntries(value).filter((entry) => entry.digest !== digest);
  const next = writeEntries([...entries, { digest, ...key }]);
  return next.length <= PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH ? next : undefined;
}

/**
 * The attribute's new value without this credential's key (a revoked passkey,
 * lib/passkey/revoke-passkey.ts), or undefined when the value caches no key for it: there is then
 * nothing to rewrite. Entries that do not parse are dropped with it, as withCachedPublicKey does.
 */
export function withoutCachedPublicKey(value: string | undefined, credentialId: string): string | undefined {
  const digest = credentialDigest(credentialId);
  const entries = readEntries(value);
  if (!entries.some((entry) => entry.digest === digest)) return undefined;
  return writeEntries(entries.filter((entry) => entry.digest !== digest));
}
