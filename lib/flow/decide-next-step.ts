/**
 * Which step comes next in a CUSTOM_AUTH sign-in: a pure function of the rounds so far,
 * the client metadata of the current RespondToAuthChallenge call, the configuration and the time.
 *
 * Define calls it to answer Cognito; Create calls it (without the time) to learn which round to
 * build. Client metadata may choose the next round, never skip one: tokens follow only a round
 * whose factor the server verified.
 */
import type { FlowConfig } from "../config.ts";
import { CLIENT_METADATA, type CodeMethod, type Round, isCodeMethod } from "@cognito-passwordless/protocol";
import type { CodeRound } from "./challenge-metadata.ts";
import type { SessionRound } from "./session.ts";

export type FailReason =
  | "session_unrecognised"
  | "too_many_rounds"
  | "no_method_chosen"
  | "method_not_offered"
  | "passkey_rejected"
  | "too_many_attempts"
  | "code_expired"
  /** A claim round's correct code took the address off this account: proof of an address, not of the account. */
  | "address_released"
  /** Cognito says the user does not exist: whatever the session holds, no tokens. */
  | "user_not_found";

export type NextStep =
  | { readonly kind: "challenge"; readonly round: Exclude<Round, CodeMethod> }
  | { readonly kind: "challenge"; readonly round: CodeMethod; readonly retryOf?: CodeRound }
  | { readonly kind: "issue-tokens" }
  | { readonly kind: "fail"; readonly reason: FailReason };

export interface NextStepInput {
  readonly rounds: readonly SessionRound[];
  readonly clientMetadata: Readonly<Record<string, string>> | undefined;
  readonly config: FlowConfig;
  /** Cognito's `userNotFound`: true only for a user that does not exist (PreventUserExistenceErrors). */
  readonly userNotFound?: boolean;
  /** Epoch ms. Without it, code expiry is not judged (Create runs right after Define has judged it). */
  readonly now?: number;
}

const ISSUE_TOKENS: NextStep = { kind: "issue-tokens" };
const fail = (reason: FailReason): NextStep => ({ kind: "fail", reason });

/** The longest session a sign-in can legitimately have: method choice, every code attempt, every enrolment attempt. */
export function maxRounds(config: FlowConfig): number {
  return 1 + config.codeMaxAttempts + config.registrationMaxAttempts;
}

/**
 * Whether a verified factor is followed by a PASSKEY_REGISTRATION round instead of tokens. Verify
 * asks the same question, so the round that completes a sign-in is the one that records it.
 */
export function enrolmentFollows(clientMetadata: Readonly<Record<string, string>> | undefined, config: FlowConfig): boolean {
  return clientMetadata?.[CLIENT_METADATA.registerPasskey] === "true" && config.signInMethods.includes("PASSKEY");
}

export function decideNextStep(input: NextStepInput): NextStep {
  const step = decideFromRounds(input);
  // Verify refuses every answer of an unknown user; this holds even if a session said otherwise.
  return step.kind === "issue-tokens" && input.userNotFound === true ? fail("user_not_found") : step;
}

function decideFromRounds({ rounds, clientMetadata, config, now }: NextStepInput): NextStep {
  const last = rounds.at(-1);
  if (last === undefined) return { kind: "challenge", round: "SELECT_METHOD" };
  if (rounds.length > maxRounds(config)) return fail("too_many_rounds");
  if (rounds[0]?.metadata.round !== "SELECT_METHOD" || rounds.slice(1).some((r) => r.metadata.round === "SELECT_METHOD")) {
    return fail("session_unrecognised");
  }

  const afterVerifiedFactor = (): NextStep => (enrolmentFollows(clientMetadata, config) ? { kind: "challenge", round: "PASSKEY_REGISTRATION" } : ISSUE_TOKENS);

  const metadata = last.metadata;
  switch (metadata.round) {
    case "SELECT_METHOD": {
      // Only a passkey assertion can make the first round true.
      if (last.challengeResult) return afterVerifiedFactor();
      const chosen = clientMetadata?.[CLIENT_METADATA.signInMethod];
      if (chosen === undefined || chosen === "") return fail("no_method_chosen");
      if (chosen === "PASSKEY") return fail("passkey_rejected");
      if (!isCodeMethod(chosen) || !config.signInMethods.includes(chosen)) return fail("method_not_offered");
      return { kind: "challenge", round: chosen };
    }
    case "EMAIL_OTP":
    case "SMS_OTP": {
      if (last.challengeResult) return metadata.purpose === "claim" ? fail("address_released") : afterVerifiedFactor();
      const attempts = rounds.filter((r) => "codeId" in r.metadata && r.metadata.codeId === metadata.codeId).length;
      if (attempts >= config.codeMaxAttempts) return fail("too_many_attempts");
      if (now !== undefined && now >= metadata.expiresAt) return fail("code_expired");
      return { kind: "challenge", round: metadata.round, retryOf: metadata };
    }
    case "PASSKEY_REGISTRATION": {
      const factorVerified = rounds.some((r) => r.challengeResult && r.metadata.round !== "PASSKEY_REGISTRATION" && !isClaim(r));
      if (!factorVerified) return fail("session_unrecognised");
      if (last.challengeResult) return ISSUE_TOKENS;
      const attempts = rounds.filter((r) => r.metadata.round === "PASSKEY_REGISTRATION").length;
      // The user has proven a factor already: a failing enrolment never locks them out.
      if (attempts >= config.registrationMaxAttempts) return ISSUE_TOKENS;
      return { kind: "challenge", round: "PASSKEY_REGISTRATION" };
    }
  }
}

function isClaim(round: SessionRound): boolean {
  return "purpose" in round.metadata && round.metadata.purpose === "claim";
}
