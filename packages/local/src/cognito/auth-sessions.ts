/**
 * Custom-auth sessions: the `Session` string an app carries from one challenge to the next.
 * Cognito keeps the challenge state server-side; the string is opaque, good for one answer only,
 * and lives AuthSessionValidity minutes (3–15, CloudFormation AWS::Cognito::UserPoolClient).
 * Messages (RespondToAuthChallenge, NotAuthorizedException): a used or unknown session is
 * "Invalid session for the user."; an expired one "Invalid session for the user, session is expired.".
 */
import { randomBytes } from "node:crypto";
import { MESSAGES, notAuthorized } from "./errors.ts";
import type { ChallengeResult } from "./trigger-events.ts";

export interface PendingChallenge {
  readonly challengeName: "CUSTOM_CHALLENGE";
  readonly privateChallengeParameters: Readonly<Record<string, string>>;
  readonly challengeMetadata: string | null;
}

export interface AuthSessionState {
  /** The internal username (for an unknown user, a stand-in of the same shape). */
  readonly userName: string;
  /** What the app typed as USERNAME. */
  readonly login: string;
  readonly userNotFound: boolean;
  readonly rounds: readonly ChallengeResult[];
  readonly pending: PendingChallenge;
}

interface StoredSession {
  readonly state: AuthSessionState;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  used: boolean;
}

/** How long a used or expired session is remembered, so its reuse still gets the precise message. */
const REMEMBER_MS = 60 * 60 * 1000;

export class AuthSessions {
  readonly #sessions = new Map<string, StoredSession>();

  constructor(
    private readonly validityMinutes: number,
    private readonly now: () => number,
  ) {}

  issue(state: AuthSessionState): string {
    this.#sweep();
    // Real sessions are long opaque strings; the SDK accepts 20 to 2048 characters.
    const session = randomBytes(192).toString("base64url");
    this.#sessions.set(session, { state, expiresAt: this.now() + this.validityMinutes * 60_000, used: false });
    return session;
  }

  /** The state behind a session, consuming it: a session answers one challenge only. */
  take(session: string): AuthSessionState {
    const stored = this.#sessions.get(session);
    if (stored === undefined || stored.used) throw notAuthorized(MESSAGES.invalidSession);
    if (this.now() >= stored.expiresAt) throw notAuthorized(MESSAGES.expiredSession);
    stored.used = true;
    return stored.state;
  }

  #sweep(): void {
    const cutoff = this.now() - REMEMBER_MS;
    for (const [session, stored] of this.#sessions) {
      if (stored.expiresAt < cutoff) this.#sessions.delete(session);
    }
  }
}
