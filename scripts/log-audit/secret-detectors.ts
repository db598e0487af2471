/**
 * What must never be in a log line (README, "Security": "never a code, a hash or a full
 * address"), as detectors over one parsed log line. Each detector names what it found
 * and where (the field's path), so a report points at the offending field.
 *
 * The masked forms of lib/mask.ts pass: `j***@e***.com` (the local part has a star) and
 * `+*******0123` (the digits after "+" are starred).
 */

export type SecretKind = "email" | "phone" | "secret-field" | "issued-code" | "private-key" | "digest";

export interface Finding {
  readonly kind: SecretKind;
  /** Where in the line, e.g. `error.cause.message`; `(key)` marks a field name itself. */
  readonly path: string;
  /** The text that matched. */
  readonly match: string;
}

/** An address whose local part shows no star: `jane@example.com`, not `j***@e***.com`. */
const EMAIL = /[\p{L}\p{M}\p{N}._%+*'!#$&=?^`{|}~/-]+@(?:[\p{L}\p{M}\p{N}*-]+\.)+\p{L}{2,}/gu;

/** Stars in the local part mean lib/mask.ts has been over it. */
export function unmaskedEmail(text: string): string | undefined {
  return [...text.matchAll(EMAIL)].map((match) => match[0]).find((address) => !address.split("@")[0]!.includes("*"));
}

/**
 * "+" and 8 to 15 digits (E.164 has at most 15; lib/mask.ts shows no digit under 8), allowing
 * the spaces, dots, dashes and brackets people write between them. A "+" inside a word is
 * base64, not a phone number.
 */
const PHONE = /(?<![\p{L}\p{N}+/=])\+[0-9](?:[ .()-]{0,2}[0-9]){7,14}(?![0-9])/gu;

export function unmaskedPhone(text: string): string | undefined {
  return text.match(PHONE)?.[0];
}

/**
 * Field names that say secret. Matched whole, ignoring case, `_` and `-` (so `ANSWER` and
 * `code_hash` count), or by their last word (`clientSecret`, `SECRET_HASH`, `refreshToken`,
 * `signingPrivateKey`). `code` and `session` count only whole: `errorCode`, `statusCode` and
 * `sessionLength` say nothing secret.
 */
const SECRET_NAMES = new Set([
  "code",
  "otp",
  "answer",
  "challengeanswer",
  "hash",
  "codehash",
  "salt",
  "privatekey",
  "secret",
  "password",
  "privatechallengeparameters",
  "session",
  "token",
]);
const SECRET_LAST_WORDS = new Set(["otp", "answer", "hash", "salt", "secret", "password", "token"]);

export function isSecretFieldName(name: string): boolean {
  if (SECRET_NAMES.has(name.replace(/[_-]/g, "").toLowerCase())) return true;
  const words = name
    .split(/[_-]|(?<=[a-z0-9])(?=[A-Z])/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
  if (words.length < 2) return false;
  return SECRET_LAST_WORDS.has(words.at(-1)!) || words.slice(-2).join("") === "privatekey";
}

/**
 * Errors carry a `code` too (`COGNITO_CALL_FAILED`, `ECONNREFUSED`, `ThrottlingException`): a
 * name made of letters, never a one-time code's digits.
 */
function isErrorCode(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(value) && !/[0-9]{4}/.test(value);
}

/** A value holds something: booleans and null say only whether, and empty text or lists nothing. */
export function holdsValue(name: string, value: unknown): boolean {
  if (value === null || value === undefined || typeof value === "boolean") return false;
  if (typeof value === "string") return value !== "" && !(name.toLowerCase() === "code" && isErrorCode(value));
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/**
 * PEM armour of any key or certificate, or a JWK written out as text with its private part `d`
 * (its quotes escaped, too, when the JSON sits inside another JSON string).
 */
export function privateKeyText(text: string): string | undefined {
  if (text.includes("-----BEGIN")) return "-----BEGIN";
  if (/\\*"kty\\*"\s*:/.test(text) && /\\*"d\\*"\s*:\s*\\*"/.test(text)) return 'a JWK with "d"';
  return undefined;
}

/** A JWK object with its private part. */
export function isPrivateJwk(value: object): boolean {
  const key = value as Record<string, unknown>;
  return typeof key["kty"] === "string" && typeof key["d"] === "string" && key["d"] !== "";
}

/**
 * A SHA-256 digest in hex (64 digits) or base64url (43 characters; 44 with "=" in standard
 * base64), standing alone. Random 43-character base64url has all of upper case, lower case and a
 * digit in all but about 1 case in 1,000; a long kebab-case word has not, and is not flagged.
 */
const HEX_DIGEST = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])/;
const BASE64_DIGEST = /(?<![A-Za-z0-9_+/-])(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9_+/=-])/g;

/**
 * Digest-shaped values that are public, in the words around them, taken out before `digestLike`
 * looks. SimpleWebAuthn's failure message, which lib/passkey logs as `check`, quotes the WebAuthn
 * challenge the browser signed and the one expected: 32 random bytes in base64url (43
 * characters), sent to the app in the public parameter `passkeyOptions` (README, round 1).
 */
const PUBLIC_DIGEST_SHAPED_TEXT = [/(?:authentication|registration) response challenge "[A-Za-z0-9_-]*", expected "[A-Za-z0-9_-]*"/g];

export function digestLike(text: string): string | undefined {
  text = PUBLIC_DIGEST_SHAPED_TEXT.reduce((rest, known) => rest.replace(known, ""), text);
  const hex = HEX_DIGEST.exec(text)?.[0];
  if (hex !== undefined) return hex;
  return [...text.matchAll(BASE64_DIGEST)]
    .map((match) => match[0])
    .find((candidate) => /[A-Z]/.test(candidate) && /[a-z]/.test(candidate) && /[0-9]/.test(candidate));
}

/**
 * Fields whose values are public identifiers that may take a digest's shape, so `digestLike`
 * skips them (every other detector still reads them). Built from what the suite's code logs:
 */
export const DIGEST_SHAPED_IDS: ReadonlySet<string> = new Set([
  // A WebAuthn credential id: public (it travels in allowCredentials and excludeCredentials), chosen
  // by the authenticator, often 32 random bytes, which base64url writes in 43 characters.
  // Logged by lib/passkey/verify-passkey-registration.ts when a credential is already registered.
  "credentialId",
  // A Cognito user name: the user's UUID, or `<provider>_<subject>` for a federated user, which
  // carries the identity provider's subject (below). Logged by every handler as `user`, and by
  // lib/linking/link-federated-user.ts as `username`.
  "user",
  "username",
  // An identity provider's subject for the user, its choice of opaque id: pairwise subjects are
  // commonly a SHA-256 (OpenID Connect Core 1.0, section 8.1). Logged by the linking code.
  "subject",
  // Not listed, because no value of theirs can look like a digest: clientId (26 letters and
  // digits), request ids and $metadata.requestId (UUIDs), user pool ids (`<region>_<9 chars>`).
]);

/** Digit runs of CODE_LENGTH's range (lib/config.ts: 6 to 10), as whole numbers. */
const DIGIT_RUN = /(?<![0-9])[0-9]{6,10}(?![0-9])/g;

export function issuedCodeIn(text: string, issued: ReadonlySet<string>): string | undefined {
  return [...text.matchAll(DIGIT_RUN)].map((match) => match[0]).find((run) => issued.has(run));
}

/**
 * A stack trace's first line repeats its error's `message`, which is read; the rest are code
 * positions, whose column numbers in a minified bundle are 5- and 6-digit numbers that would
 * match an issued code by chance.
 */
const NOT_SEARCHED_FOR_CODES = new Set(["stack"]);

/** Everything found in one parsed log line; `issued` is the ledger of codes this line's process saw. */
export function findSecrets(line: unknown, issued: ReadonlySet<string> = new Set()): Finding[] {
  const findings: Finding[] = [];
  const checkText = (text: string, path: string, field: string) => {
    const found = (kind: SecretKind, match: string | undefined) => {
      if (match !== undefined) findings.push({ kind, path, match });
    };
    found("email", unmaskedEmail(text));
    found("phone", unmaskedPhone(text));
    found("private-key", privateKeyText(text));
    if (!DIGEST_SHAPED_IDS.has(field)) found("digest", digestLike(text));
    if (!NOT_SEARCHED_FOR_CODES.has(field)) found("issued-code", issuedCodeIn(text, issued));
  };
  const visit = (value: unknown, path: string, field: string) => {
    if (typeof value === "string") return checkText(value, path, field);
    // A code logged as a number (leading zeros lost). Only whole numbers: a duration's decimals are digit runs too.
    if (typeof value === "number" && Number.isInteger(value) && issued.has(String(value))) {
      findings.push({ kind: "issued-code", path, match: String(value) });
    }
    if (typeof value !== "object" || value === null) return;
    if (!Array.isArray(value) && isPrivateJwk(value)) findings.push({ kind: "private-key", path: path || "(line)", match: 'a JWK with "d"' });
    for (const [name, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${name}]` : path === "" ? name : `${path}.${name}`;
      // A list's items are read as the field that holds the list.
      const childField = Array.isArray(value) ? field : name;
      if (!Array.isArray(value)) {
        checkText(name, `${childPath} (key)`, "");
        if (isSecretFieldName(name) && holdsValue(name, child)) {
          findings.push({ kind: "secret-field", path: childPath, match: preview(child) });
        }
      }
      visit(child, childPath, childField);
    }
  };
  visit(line, "", "");
  return findings;
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
