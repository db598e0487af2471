/**
 * Judges a code answer. A rejection is a value with a reason from a closed set, which Verify
 * logs and turns into `answerCorrect = false`; nothing here throws on bad input.
 */
import { codeMatchesHash } from "./code-hash.ts";

export interface ExpectedCode {
  /** Empty when no code was sent (a decoy round): then nothing can match. */
  readonly codeHash: string;
  readonly salt: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly codeLength: number;
}

export type CodeRejection = "malformed_answer" | "no_code_sent" | "code_expired" | "wrong_code";
export type CodeCheck = { readonly ok: true } | { readonly ok: false; readonly reason: CodeRejection };

export function checkCodeAnswer(answer: unknown, expected: ExpectedCode, now: number): CodeCheck {
  // The format is checked first and cheaply, so a huge or odd answer is never hashed.
  if (typeof answer !== "string" || answer.length !== expected.codeLength || !/^\d+$/.test(answer)) {
    return { ok: false, reason: "malformed_answer" };
  }
  if (expected.codeHash === "") return { ok: false, reason: "no_code_sent" };
  if (now >= expected.expiresAt) return { ok: false, reason: "code_expired" };
  return codeMatchesHash(answer, expected.codeHash, expected.salt) ? { ok: true } : { ok: false, reason: "wrong_code" };
}
