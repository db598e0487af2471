/**
 * A fresh WebAuthn challenge kept in the table under a random id, for this deployment's RP, valid
 * as long as the browser is told to wait for the authenticator (the options' timeout): what both
 * of the passkey API's ceremonies start with (adding a passkey, signing in without a username).
 */
import type { PasskeyConfig } from "../config.ts";
import { randomId } from "../flow/random-id.ts";
import type { ChallengePurpose, PasskeyChallengeStore } from "../store/passkey-challenges.ts";
import { newPasskeyChallenge } from "./passkey-rounds.ts";

export interface IssuePasskeyChallengeDeps {
  readonly config: PasskeyConfig;
  readonly challenges: Pick<PasskeyChallengeStore, "issue">;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

/** The id the client sends back (random, and not the challenge itself) and the challenge the options carry. */
export async function issuePasskeyChallenge(
  deps: IssuePasskeyChallengeDeps,
  purpose: ChallengePurpose,
  userName?: string,
): Promise<{ readonly challengeId: string; readonly challenge: string }> {
  const challenge = newPasskeyChallenge();
  const challengeId = randomId();
  await deps.challenges.issue({ challengeId, challenge, purpose, userName, rpId: deps.config.rpId, expiresAt: deps.clock() + deps.config.timeoutMs });
  return { challengeId, challenge };
}
