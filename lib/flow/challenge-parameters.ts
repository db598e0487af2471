/**
 * The public and private challenge parameters of each round: a pure function of the round's
 * metadata. Public parameters reach the app (docs/protocol.md, Rounds); private ones stay with
 * Cognito and reach Verify, which parses the same encoded metadata Define reads from the session.
 */
import type { FlowConfig } from "../config.ts";
import { PUBLIC_PARAMETERS as P } from "@cognito-passwordless/protocol";
import { type RoundMetadata, encodeRoundMetadata } from "./challenge-metadata.ts";

export interface ChallengeParameters {
  readonly publicChallengeParameters: Record<string, string>;
  readonly privateChallengeParameters: Record<string, string>;
  readonly challengeMetadata: string;
}

/** Extra public parameters a round may carry (the passkey options of SELECT_METHOD). */
export type ExtraPublicParameters = Readonly<Record<string, string>>;

export function challengeParameters(metadata: RoundMetadata, flow: FlowConfig, extra: ExtraPublicParameters = {}): ChallengeParameters {
  const encoded = encodeRoundMetadata(metadata);
  const privateChallengeParameters = { type: metadata.round, round: encoded };
  switch (metadata.round) {
    case "SELECT_METHOD":
      return {
        publicChallengeParameters: { [P.type]: metadata.round, [P.methods]: flow.signInMethods.join(","), ...extra },
        privateChallengeParameters,
        challengeMetadata: encoded,
      };
    case "EMAIL_OTP":
    case "SMS_OTP":
      return {
        publicChallengeParameters: {
          [P.type]: metadata.round,
          [P.destination]: metadata.destination,
          [P.codeLength]: String(metadata.codeLength),
          [P.expiresAt]: new Date(metadata.expiresAt).toISOString(),
        },
        privateChallengeParameters,
        challengeMetadata: encoded,
      };
    case "PASSKEY_REGISTRATION":
      return {
        publicChallengeParameters: { [P.type]: metadata.round, ...extra },
        privateChallengeParameters,
        challengeMetadata: encoded,
      };
  }
}
