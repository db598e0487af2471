/**
 * CreateAuthChallenge: builds the round Define asked for. Which round that is comes from the same
 * pure decision Define made, so the two can never disagree.
 */
import type { CreateAuthChallengeTriggerEvent } from "aws-lambda";
import type { FlowConfig } from "../config.ts";
import { MalformedEventError } from "../errors.ts";
import { readCreateAuthChallengeRequest } from "../events/custom-auth-request.ts";
import type { RoundMetadata } from "../flow/challenge-metadata.ts";
import { challengeParameters } from "../flow/challenge-parameters.ts";
import { decideNextStep } from "../flow/decide-next-step.ts";
import { randomId } from "../flow/random-id.ts";
import { verifiedFactorOf } from "../flow/verified-factor.ts";
import { type IssueCodeRoundDeps, issueCodeRound } from "../otp/issue-code-round.ts";
import { type PasskeyRoundDeps, newPasskeyChallenge, registrationRoundOptions, selectMethodPasskeyOptions } from "../passkey/passkey-rounds.ts";
import { CLIENT_METADATA, PUBLIC_PARAMETERS } from "@cognito-passwordless/protocol";
import { userLogFields } from "./log-fields.ts";
import { handlerBoundary } from "./handler-boundary.ts";

export interface CreateAuthChallengeDeps extends IssueCodeRoundDeps {
  readonly flow: FlowConfig;
  /** Present exactly when PASSKEY is offered. */
  readonly passkey?: PasskeyRoundDeps | undefined;
}

export function createCreateAuthChallengeHandler(deps: CreateAuthChallengeDeps) {
  const { flow, logger } = deps;
  return handlerBoundary(
    logger,
    "CreateAuthChallenge",
    async function createAuthChallenge(event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> {
      const request = readCreateAuthChallengeRequest(event);
      const { session } = request;
      if (!session.ok) throw new MalformedEventError("request.session holds rounds this suite did not create.");
      const step = decideNextStep({ rounds: session.rounds, clientMetadata: request.clientMetadata, config: flow, userNotFound: request.userNotFound });
      if (step.kind !== "challenge") {
        // Define decides before Create runs; reaching here means the two saw different sessions.
        throw new MalformedEventError(`CreateAuthChallenge was invoked where the next step is "${step.kind}".`);
      }

      let metadata: RoundMetadata;
      let extra: Record<string, string> = {};
      switch (step.round) {
        case "SELECT_METHOD": {
          if (deps.passkey === undefined) {
            metadata = { round: "SELECT_METHOD", nonce: randomId() };
            break;
          }
          const passkeyChallenge = newPasskeyChallenge();
          metadata = { round: "SELECT_METHOD", nonce: randomId(), passkeyChallenge };
          extra = { [PUBLIC_PARAMETERS.passkeyOptions]: selectMethodPasskeyOptions(deps.passkey.config, passkeyChallenge) };
          break;
        }
        case "EMAIL_OTP":
        case "SMS_OTP": {
          const previous = session.rounds.at(-1);
          if (previous === undefined) throw new MalformedEventError("A code round needs the round before it.");
          metadata = await issueCodeRound(deps, {
            method: step.round,
            userName: request.userName,
            userNotFound: request.userNotFound,
            userAttributes: request.userAttributes,
            roundKey: previous.metadata.nonce,
            retryOf: step.retryOf,
            typedLogin: request.clientMetadata?.[CLIENT_METADATA.login],
          });
          break;
        }
        case "PASSKEY_REGISTRATION": {
          // Define offers enrolment only where PASSKEY is in SIGN_IN_METHODS, which is when deps.passkey exists.
          if (deps.passkey === undefined) throw new MalformedEventError("A passkey enrolment round was asked for, but PASSKEY is not offered.");
          // Define poses enrolment only after a verified factor, which the round carries forward.
          const factor = verifiedFactorOf(session.rounds);
          if (factor === undefined) throw new MalformedEventError("A passkey enrolment round was asked for in a session that verified no factor.");
          const challenge = newPasskeyChallenge();
          const attempt = 1 + session.rounds.filter((round) => round.metadata.round === "PASSKEY_REGISTRATION").length;
          metadata = { round: "PASSKEY_REGISTRATION", nonce: randomId(), challenge, factor, final: attempt >= flow.registrationMaxAttempts };
          extra = {
            [PUBLIC_PARAMETERS.options]: await registrationRoundOptions(deps.passkey, {
              challenge,
              userName: request.userName,
              userAttributes: request.userAttributes,
            }),
          };
          break;
        }
      }

      const parameters = challengeParameters(metadata, flow, extra);
      logger.info("Round created", { ...userLogFields(request), round: metadata.round });
      event.response = {
        publicChallengeParameters: parameters.publicChallengeParameters,
        privateChallengeParameters: parameters.privateChallengeParameters,
        challengeMetadata: parameters.challengeMetadata,
      };
      return event;
    },
  );
}
