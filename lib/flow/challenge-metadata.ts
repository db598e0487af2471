/**
 * What each round leaves in Cognito's session, as `challengeMetadata`.
 * Cognito keeps it server-side and hands it back to Define and Create in `session[]`,
 * so it is where a round's facts live between calls (Verify reads its own copy from the
 * private challenge parameters). Never sent to the app.
 */
import { CODE_ROUND_PURPOSES, type CodeRoundPurpose } from "../ownership/address-use.ts";
import { type CodeMethod, isCodeMethod } from "@cognito-passwordless/protocol";

export interface SelectMethodRound {
  readonly round: "SELECT_METHOD";
  /** Random per round: the idempotency key of the round that follows it. */
  readonly nonce: string;
  /** The WebAuthn challenge of `passkeyOptions` (base64url), when passkeys are offered. */
  readonly passkeyChallenge?: string;
}

export interface CodeRound {
  readonly round: CodeMethod;
  readonly nonce: string;
  /** Identifies one issued code across its retry rounds. */
  readonly codeId: string;
  /** Salted SHA-256 of the code, base64url; empty when no code was sent (a decoy round). */
  readonly codeHash: string;
  readonly salt: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Already masked: the only form of the address the suite keeps. */
  readonly destination: string;
  readonly codeLength: number;
  /** Hash of the address the code went to (empty for a decoy), so Verify marks only that address verified. */
  readonly sentTo: string;
  /** What a correct code may do, decided by the ownership rule when the round was created. */
  readonly purpose: CodeRoundPurpose;
}

/** The factor a session verified before its enrolment round: what that round's answer records as the sign-in. */
export type VerifiedFactor =
  | { readonly method: CodeMethod; readonly sentTo: string }
  /** The SELECT_METHOD challenge the assertion signed: the key of the sign-in its Verify left pending. */
  | { readonly method: "PASSKEY"; readonly challenge: string };

export interface RegistrationRound {
  readonly round: "PASSKEY_REGISTRATION";
  readonly nonce: string;
  /** The WebAuthn challenge of the creation options (base64url). */
  readonly challenge: string;
  readonly factor: VerifiedFactor;
  /** The last attempt Define allows: tokens follow whatever its answer, so its answer records the sign-in. */
  readonly final: boolean;
}

export type RoundMetadata = SelectMethodRound | CodeRound | RegistrationRound;

/** Upper bound on what we accept back from Cognito: ours are far smaller. */
const MAX_METADATA_LENGTH = 2048;
/**
 * A masked address can be longer than the address: "a@b.example" becomes "***@***.example". With
 * RFC 5321's limits (local part 64, domain 255 characters) a masked address has at most 262
 * characters; the 256 allowed before was too tight, and a user with such an address was sent a
 * code for a round that nothing could read back.
 */
const MAX_DESTINATION_LENGTH = 320;

export function encodeRoundMetadata(metadata: RoundMetadata): string {
  return JSON.stringify(metadata);
}

function isShortString(value: unknown, max = 512): value is string {
  return typeof value === "string" && value.length <= max;
}

/** Parses challengeMetadata; anything not written by this suite yields undefined. */
export function parseRoundMetadata(value: unknown): RoundMetadata | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_METADATA_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const round = record.round;
  if (!isShortString(record.nonce, 64) || record.nonce === "") return undefined;
  if (round === "SELECT_METHOD") {
    const { passkeyChallenge } = record;
    if (passkeyChallenge === undefined) return { round, nonce: record.nonce };
    if (!isShortString(passkeyChallenge, 128) || passkeyChallenge === "") return undefined;
    return { round, nonce: record.nonce, passkeyChallenge };
  }
  if (round === "PASSKEY_REGISTRATION") {
    const { challenge } = record;
    const factor = parseVerifiedFactor(record.factor);
    if (!isShortString(challenge, 128) || challenge === "" || factor === undefined || typeof record.final !== "boolean") return undefined;
    return { round, nonce: record.nonce, challenge, factor, final: record.final };
  }
  if (isCodeMethod(round)) {
    const { codeId, codeHash, salt, expiresAt, destination, codeLength, sentTo, purpose } = record;
    if (
      !isShortString(codeId, 64) ||
      codeId === "" ||
      !isShortString(codeHash, 128) ||
      !isShortString(salt, 64) ||
      typeof expiresAt !== "number" ||
      !Number.isFinite(expiresAt) ||
      !isShortString(destination, MAX_DESTINATION_LENGTH) ||
      typeof codeLength !== "number" ||
      !Number.isInteger(codeLength) ||
      !isShortString(sentTo, 128) ||
      !(CODE_ROUND_PURPOSES as readonly unknown[]).includes(purpose)
    ) {
      return undefined;
    }
    return { round, nonce: record.nonce, codeId, codeHash, salt, expiresAt, destination, codeLength, sentTo, purpose: purpose as CodeRoundPurpose };
  }
  return undefined;
}

function parseVerifiedFactor(value: unknown): VerifiedFactor | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { method, sentTo, challenge } = value as Record<string, unknown>;
  if (isCodeMethod(method)) return isShortString(sentTo, 128) && sentTo !== "" ? { method, sentTo } : undefined;
  if (method === "PASSKEY") return isShortString(challenge, 128) && challenge !== "" ? { method, challenge } : undefined;
  return undefined;
}
