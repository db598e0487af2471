/**
 * The server-side record of a verified factor, written by Verify and read by PreTokenGeneration.
 * Cognito's token event carries no auth session, only what the app controls, so this record is
 * what ties the `auth_methods`/`auth_level` claims to a factor the server itself verified.
 */
import type { AuthLevel, AuthMethodClaim } from "../protocol.ts";

export interface SignInRecord {
  readonly userName: string;
  /** The app client the sign-in ran through; tokens for another client never take this record. */
  readonly clientId: string;
  readonly methods: readonly AuthMethodClaim[];
  readonly level: AuthLevel;
  /** Epoch milliseconds. */
  readonly verifiedAt: number;
}

/**
 * How long after its factor was verified a record may still become claims: Cognito's longest
 * auth session (AuthSessionValidity, 15 minutes), which covers an optional passkey enrolment round.
 */
export const SIGN_IN_RECORD_LIFETIME_MS = 15 * 60 * 1000;

export interface SignInRecordStore {
  save(record: SignInRecord): Promise<void>;
  /** The user's latest record for this client if it is younger than SIGN_IN_RECORD_LIFETIME_MS, else undefined. */
  findRecent(userName: string, clientId: string, now: number): Promise<SignInRecord | undefined>;
}
