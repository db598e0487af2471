/**
 * The factor a session verified, read from its rounds: what its PASSKEY_REGISTRATION round carries
 * forward, so that the answer that completes the sign-in (a registration or SKIP) records this
 * session's own factor and no other sign-in's (README, "Security": the claims rule).
 */
import type { VerifiedFactor } from "./challenge-metadata.ts";
import type { SessionRound } from "./session.ts";

export function verifiedFactorOf(rounds: readonly SessionRound[]): VerifiedFactor | undefined {
  for (const { metadata, challengeResult } of rounds) {
    if (!challengeResult) continue;
    switch (metadata.round) {
      case "SELECT_METHOD":
        // Only a passkey assertion makes the first round true, over this challenge.
        if (metadata.passkeyChallenge !== undefined) return { method: "PASSKEY", challenge: metadata.passkeyChallenge };
        break;
      case "EMAIL_OTP":
      case "SMS_OTP":
        if (metadata.purpose !== "claim" && metadata.sentTo !== "") return { method: metadata.round, sentTo: metadata.sentTo };
        break;
      case "PASSKEY_REGISTRATION":
        break;
    }
  }
  return undefined;
}
