/**
 * Round metadata of the exact shape CreateAuthChallenge writes (lib/flow/challenge-metadata.ts),
 * with random but realistic values: what Cognito hands back in `session[]` and, encoded, in the
 * private challenge parameters Verify reads. A code round can carry the code it was issued for,
 * built with the suite's own salt and hash, so a test knows the one answer that must work.
 */
import fc from "fast-check";
import type { CodeRound, RegistrationRound, RoundMetadata, SelectMethodRound } from "../../../lib/flow/challenge-metadata.ts";
import { deriveCodeSalt, hashCode } from "../../../lib/otp/code-hash.ts";
import type { CodeMethod } from "@cognito-passwordless/protocol";
import { hashForKey } from "../../../lib/store/keys.ts";
import { USER_ATTRIBUTES } from "@cognito-passwordless/test-kit/events.ts";

const MINUTE = 60_000;

/** base64url of `bytes` random bytes, as randomId (16) and newPasskeyChallenge (32) make them. */
export function randomBase64Url(bytes: number): fc.Arbitrary<string> {
  return fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((value) => Buffer.from(value).toString("base64url"));
}

export const nonce = () => randomBase64Url(16);

/** Code ids come from a small pool half the time, so random sessions often hold retries of one code. */
function codeId(): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom("code-id-a", "code-id-b"), randomBase64Url(16));
}

export function selectMethodRound(): fc.Arbitrary<SelectMethodRound> {
  return fc.record(
    { round: fc.constant("SELECT_METHOD" as const), nonce: nonce(), passkeyChallenge: randomBase64Url(32) },
    { requiredKeys: ["round", "nonce"] },
  );
}

export function registrationRound(): fc.Arbitrary<RegistrationRound> {
  const factor = fc.oneof(
    fc.record({ method: fc.constantFrom<CodeMethod>("EMAIL_OTP", "SMS_OTP"), sentTo: randomBase64Url(32) }),
    fc.record({ method: fc.constant("PASSKEY" as const), challenge: randomBase64Url(32) }),
  );
  return fc.record({ round: fc.constant("PASSKEY_REGISTRATION" as const), nonce: nonce(), challenge: randomBase64Url(32), factor, final: fc.boolean() });
}

export interface IssuedCodeRound {
  readonly metadata: CodeRound;
  /** The code this round was issued for; "" for a decoy round, which no answer can match. */
  readonly code: string;
}

export interface CodeRoundOptions {
  readonly method?: CodeMethod;
  /** "live" (default): expires 2 to 15 minutes after generation. "expired": expired up to a day ago. "any": either. */
  readonly expiry?: "live" | "expired" | "any";
  /** Whether a decoy round (nothing sent, empty hash) may be generated. Default true. */
  readonly decoys?: boolean;
}

export function digits(length: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((values) => values.join(""));
}

/** A code round with the code it was issued for, hashed and salted as issueCodeRound does it. */
export function issuedCodeRound(options: CodeRoundOptions = {}): fc.Arbitrary<IssuedCodeRound> {
  const expiry = options.expiry ?? "live";
  const expiresIn =
    expiry === "live"
      ? fc.integer({ min: 2 * MINUTE, max: 15 * MINUTE })
      : expiry === "expired"
        ? fc.integer({ min: -24 * 60 * MINUTE, max: -1000 })
        : fc.oneof(fc.integer({ min: 2 * MINUTE, max: 15 * MINUTE }), fc.integer({ min: -24 * 60 * MINUTE, max: -1000 }));
  return fc
    .record({
      method: options.method === undefined ? fc.constantFrom<CodeMethod>("EMAIL_OTP", "SMS_OTP") : fc.constant(options.method),
      codeLength: fc.integer({ min: 6, max: 10 }),
      roundKey: nonce(),
      nonce: nonce(),
      codeId: codeId(),
      expiresIn,
      // About one round in seven is a decoy, as for unknown users and rate-limited addresses.
      decoy: options.decoys === false ? fc.constant(false) : fc.integer({ min: 0, max: 6 }).map((draw) => draw === 0),
      // Digits for the longest code; a round uses as many as its length.
      allDigits: digits(10),
    })
    .map(({ method, codeLength, roundKey, nonce: roundNonce, codeId: id, expiresIn: ttl, decoy, allDigits }) => {
      const code = allDigits.slice(0, codeLength);
      const salt = decoy ? "" : deriveCodeSalt(roundKey);
      const address = method === "EMAIL_OTP" ? USER_ATTRIBUTES.email : USER_ATTRIBUTES.phone_number;
      const metadata: CodeRound = {
        round: method,
        nonce: roundNonce,
        codeId: id,
        codeHash: decoy ? "" : hashCode(code, salt),
        salt,
        expiresAt: Date.now() + ttl,
        destination: method === "EMAIL_OTP" ? "j***@e***.com" : "+********0123",
        codeLength,
        sentTo: decoy || address === undefined ? "" : hashForKey(address),
        purpose: "sign-in",
      };
      return { metadata, code: decoy ? "" : code };
    });
}

export function codeRound(options: CodeRoundOptions = {}): fc.Arbitrary<CodeRound> {
  return issuedCodeRound({ expiry: "any", ...options }).map(({ metadata }) => metadata);
}

export function anyRound(): fc.Arbitrary<RoundMetadata> {
  return fc.oneof(selectMethodRound(), codeRound(), registrationRound());
}
