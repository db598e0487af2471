/**
 * Remembers which codes were sent, for two reasons at once, in one conditional write:
 * - abuse limits: codes per destination per window (all users), and per user per destination;
 * - at most one message per round: Cognito may invoke Create again for the same round (a slow
 *   cold start), and the second invocation must re-issue the first one's code, not send another.
 *
 * The stored code hash is salted with a value derived from the round key, a secret that only
 * Cognito's session holds: reading the table alone never lets anyone brute-force a code.
 */

/** What identifies one issued code; the hash never leaves the server side. */
export interface IssuedCode {
  readonly codeId: string;
  readonly codeHash: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface CodeSendRequest {
  /** Secret and unique per round (the nonce of the round before it). Never stored as such, only hashed. */
  readonly roundKey: string;
  readonly userName: string;
  readonly channel: "email" | "sms";
  /** The full address; the store keeps only its hash. */
  readonly destination: string;
  readonly code: IssuedCode;
  /** Epoch milliseconds. */
  readonly now: number;
}

export type CodeSendDecision =
  | { readonly outcome: "send" }
  /** This round was already served by an earlier invocation: re-issue its code, send nothing. */
  | { readonly outcome: "already-issued"; readonly code: IssuedCode }
  | { readonly outcome: "rate-limited"; readonly scope: "user" | "destination" };

export interface CodeSendStore {
  /** Counts the send against the limits and records the code for this round, or says why not. */
  reserve(request: CodeSendRequest): Promise<CodeSendDecision>;
}

export interface CodeSendLimits {
  readonly windowSeconds: number;
  readonly perUser: number;
  readonly perDestination: number;
  /** How long a code lives, so the round's record outlives it. */
  readonly codeTtlSeconds: number;
}
