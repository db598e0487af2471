/**
 * Cognito's `session[]` parsed into rounds this suite recognises.
 */
import { CUSTOM_CHALLENGE } from "@cognito-passwordless/protocol";
import { type RoundMetadata, parseRoundMetadata } from "./challenge-metadata.ts";

export interface SessionRound {
  readonly metadata: RoundMetadata;
  readonly challengeResult: boolean;
}

export type ParsedSession = { readonly ok: true; readonly rounds: readonly SessionRound[] } | { readonly ok: false; readonly reason: "session_unrecognised" };

/** Accepts only sessions made entirely of this suite's CUSTOM_CHALLENGE rounds. */
export function parseSession(session: unknown): ParsedSession {
  if (!Array.isArray(session)) return { ok: false, reason: "session_unrecognised" };
  const rounds: SessionRound[] = [];
  for (const entry of session as unknown[]) {
    if (typeof entry !== "object" || entry === null) return { ok: false, reason: "session_unrecognised" };
    const { challengeName, challengeResult, challengeMetadata } = entry as Record<string, unknown>;
    const metadata = parseRoundMetadata(challengeMetadata);
    if (challengeName !== CUSTOM_CHALLENGE || typeof challengeResult !== "boolean" || metadata === undefined) {
      return { ok: false, reason: "session_unrecognised" };
    }
    rounds.push({ metadata, challengeResult });
  }
  return { ok: true, rounds };
}
