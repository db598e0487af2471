/**
 * Cognito `session[]` arrays made of this suite's own rounds:
 * - signInSession: what a real sign-in leaves after its last correct answer (the positive control:
 *   Define must issue tokens for these);
 * - randomSession: well-formed rounds in any order with any challengeResult, the space in which
 *   Define's rules, not its parser, must hold the line;
 * - tamperedSignInSession: a real one edited as a forger would, entries still well formed.
 * Sessions with entries this suite cannot have written are in broken-sessions.ts.
 */
import fc from "fast-check";
import type { RoundMetadata } from "../../../lib/flow/challenge-metadata.ts";
import { type SessionEntry, sessionEntry } from "@cognito-passwordless/test-kit/events.ts";
import { anyRound, codeRound, nonce, registrationRound, selectMethodRound } from "./round-metadata.ts";

export interface SessionCase {
  readonly session: unknown;
  readonly clientMetadata: Record<string, string> | undefined;
}

/** What the app may send with its last answer when no enrolment follows the factor, and when one does. */
const METADATA_WITHOUT_ENROLMENT = [undefined, { signInMethod: "PASSKEY" }, { signInMethod: "EMAIL_OTP", registerPasskey: "false" }];
const METADATA_AFTER_ENROLMENT = [undefined, { registerPasskey: "true" }, { signInMethod: "SMS_OTP" }];

/**
 * A session that ends in a verified factor, or in an enrolment round after one: each a path
 * through docs/protocol.md with the default limits (3 code attempts, 2 enrolment attempts).
 */
export function signInSession(): fc.Arbitrary<SessionCase> {
  const passkeyFactor = selectMethodRound()
    .filter((round) => round.passkeyChallenge !== undefined)
    .map((round) => [sessionEntry(round, true)]);
  // Up to two wrong codes, then the right one: each retry round keeps the code and gets a fresh nonce.
  const codeFactor = fc
    .record({
      select: selectMethodRound(),
      code: codeRound({ expiry: "live" }),
      wrong: fc.integer({ min: 0, max: 2 }),
      nonces: fc.array(nonce(), { minLength: 3, maxLength: 3 }),
    })
    .map(({ select, code, wrong, nonces }) => [
      sessionEntry(select, false),
      ...nonces.slice(0, wrong + 1).map((fresh, attempt) => sessionEntry({ ...code, nonce: fresh }, attempt === wrong)),
    ]);
  // After the factor: no enrolment, enrolment accepted (at the first or second try), or given up after two failures.
  const enrolment = fc.constantFrom<readonly boolean[]>([], [true], [false, true], [false, false]);
  return fc
    .record({
      factor: fc.oneof(passkeyFactor, codeFactor),
      enrolment,
      registrationRounds: fc.array(registrationRound(), { minLength: 2, maxLength: 2 }),
      pick: fc.nat(),
    })
    .map(({ factor, enrolment: results, registrationRounds, pick }) => {
      const session = [...factor, ...results.map((result, index) => sessionEntry(registrationRounds[index] as RoundMetadata, result))];
      // Asking for enrolment once the factor is the last round would (rightly) pose one instead of issuing tokens.
      const choices = results.length === 0 ? METADATA_WITHOUT_ENROLMENT : METADATA_AFTER_ENROLMENT;
      return { session, clientMetadata: choices[pick % choices.length] };
    });
}

/** Well-formed rounds in any order and number, with any result: most start with SELECT_METHOD, as real ones do. */
export function randomSession(): fc.Arbitrary<SessionEntry[]> {
  const entries = fc.array(fc.tuple(anyRound(), fc.boolean()), { maxLength: 8 }).map((rounds) => rounds.map(([round, result]) => sessionEntry(round, result)));
  return fc.oneof(
    entries,
    fc.tuple(selectMethodRound(), fc.boolean(), entries).map(([select, result, rest]) => [sessionEntry(select, result), ...rest]),
  );
}

/** How a real session can be edited by someone replaying or forging Cognito's session: every entry stays well formed. */
type Tamper = "flip-result" | "drop" | "duplicate" | "swap" | "append";

function tamper(session: readonly SessionEntry[], how: Tamper, index: number, other: number, extra: SessionEntry): SessionEntry[] {
  const copy = [...session];
  const at = index % copy.length;
  const to = other % copy.length;
  const entry = copy[at] as SessionEntry;
  switch (how) {
    case "flip-result":
      copy[at] = { ...entry, challengeResult: !entry.challengeResult };
      break;
    case "drop":
      copy.splice(at, 1);
      break;
    case "duplicate":
      copy.splice(at, 0, entry);
      break;
    case "swap":
      copy[at] = copy[to] as SessionEntry;
      copy[to] = entry;
      break;
    case "append":
      copy.push(extra);
      break;
  }
  return copy;
}

/** A real sign-in's session, edited once or twice: a true result made false or the other way, a round dropped, repeated, moved or added. */
export function tamperedSignInSession(): fc.Arbitrary<SessionCase> {
  const edit = fc.record({
    how: fc.constantFrom<Tamper>("flip-result", "drop", "duplicate", "swap", "append"),
    index: fc.nat(),
    other: fc.nat(),
    extra: fc.tuple(anyRound(), fc.boolean()).map(([round, result]) => sessionEntry(round, result)),
  });
  return fc.tuple(signInSession(), fc.array(edit, { minLength: 1, maxLength: 2 })).map(([real, edits]) => ({
    session: edits.reduce<SessionEntry[]>(
      (session, { how, index, other, extra }) => (session.length === 0 ? [extra] : tamper(session, how, index, other, extra)),
      real.session as SessionEntry[],
    ),
    clientMetadata: real.clientMetadata,
  }));
}
