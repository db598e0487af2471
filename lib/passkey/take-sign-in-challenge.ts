/**
 * Step 3 of a sign-in without a username, in VerifyAuthChallengeResponse: the challenge the
 * assertion was signed over is the one `POST /passkeys/challenge` stored, named by
 * ClientMetadata.passkeyChallenge, not the SELECT_METHOD round's own. It is taken for this round
 * in one conditional write (lib/store/passkey-challenges.ts): single use, unexpired, this RP's,
 * issued to nobody. Only then is the assertion checked against it, with every check of the
 * round's own passkey path.
 */
import type { PasskeyConfig } from "../config.ts";
import type { PasskeyChallengeStore } from "../store/passkey-challenges.ts";
import { isChallengeIdShape } from "./challenge-id.ts";

export interface TakeSignInChallengeDeps {
  readonly config: PasskeyConfig;
  readonly challenges: Pick<PasskeyChallengeStore, "takeForSignIn">;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

export type SignInChallengeRejection =
  /** Not an id the API could have issued: refused without a request. */
  | "sign_in_challenge_malformed"
  /** Unknown, taken by another round, expired, another RP's, or not a sign-in challenge. */
  | "sign_in_challenge_refused";

export type TakenSignInChallenge = { readonly ok: true; readonly challenge: string } | { readonly ok: false; readonly reason: SignInChallengeRejection };

export async function takeSignInChallenge(deps: TakeSignInChallengeDeps, challengeId: unknown, round: string): Promise<TakenSignInChallenge> {
  if (!isChallengeIdShape(challengeId)) return { ok: false, reason: "sign_in_challenge_malformed" };
  const challenge = await deps.challenges.takeForSignIn(challengeId, { round, rpId: deps.config.rpId, now: deps.clock() });
  return challenge === undefined ? { ok: false, reason: "sign_in_challenge_refused" } : { ok: true, challenge };
}
