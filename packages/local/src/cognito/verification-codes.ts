/**
 * The attribute verification codes the pool has sent and not yet seen back
 * (GetUserAttributeVerificationCode, VerifyUserAttribute): one per user and attribute, so a new
 * request replaces the previous code, and each remembers the address it went to, so it proves
 * only that address. Held in memory: after a restart a person asks for a new code, as they would
 * after any lost message.
 */
import { randomInt, timingSafeEqual } from "node:crypto";

/**
 * 24 hours. Neither operation's API reference page states how long the code lasts; 24 hours is the
 * lifetime Cognito is known to give its confirmation and verification codes, so the local pool
 * uses it until a documented figure says otherwise.
 */
export const VERIFICATION_CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Six digits, as Cognito's own verification messages carry (`{####}` in the pool's template). */
const CODE_LENGTH = 6;

interface PendingCode {
  readonly code: string;
  /** The attribute's value when the code was sent: the address the code proves. */
  readonly value: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What a code sent back proves: the address, nothing (wrong, never sent, used, or for another value), or nothing any more. */
export type CodeCheck = "verified" | "mismatch" | "expired";

export class VerificationCodes {
  readonly #pending = new Map<string, PendingCode>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs = VERIFICATION_CODE_LIFETIME_MS,
  ) {}

  /** A new code for this value of the user's attribute; any earlier one stops working. */
  issue(userKey: string, attribute: string, value: string): string {
    // One draw over 0 … 10^6 − 1, zero-padded: every code equally likely.
    const code = String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
    this.#pending.set(key(userKey, attribute), { code, value, expiresAt: this.now() + this.lifetimeMs });
    return code;
  }

  /**
   * Checks a code against the attribute's current value and, when it proves it, uses it up.
   * Expiry is told only for the right code, so a wrong guess learns nothing about the code's age.
   */
  redeem(userKey: string, attribute: string, currentValue: string | undefined, code: string): CodeCheck {
    const pending = this.#pending.get(key(userKey, attribute));
    if (pending === undefined || pending.value !== currentValue || !sameCode(pending.code, code)) return "mismatch";
    if (this.now() >= pending.expiresAt) return "expired";
    this.#pending.delete(key(userKey, attribute));
    return "verified";
  }
}

function key(userKey: string, attribute: string): string {
  return JSON.stringify([userKey, attribute]);
}

/** Compared in constant time, like any secret the endpoint checks. */
function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
