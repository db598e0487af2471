/**
 * DefineAuthChallenge: turns the pure next-step decision into Cognito's response.
 */
import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";
import type { FlowConfig } from "../config.ts";
import { MalformedEventError } from "../errors.ts";
import { readDefineAuthChallengeRequest } from "../events/custom-auth-request.ts";
import { type NextStep, decideNextStep } from "../flow/decide-next-step.ts";
import type { Logger } from "../logger.ts";
import { CUSTOM_CHALLENGE } from "@cognito-passwordless/protocol";
import { handlerBoundary } from "./handler-boundary.ts";
import { userLogFields } from "./log-fields.ts";

export interface DefineAuthChallengeDeps {
  readonly flow: FlowConfig;
  readonly logger: Logger;
  readonly clock: () => number;
}

export function createDefineAuthChallengeHandler({ flow, logger, clock }: DefineAuthChallengeDeps) {
  return handlerBoundary(
    logger,
    "DefineAuthChallenge",
    async function defineAuthChallenge(event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> {
      let step: NextStep;
      let who: Record<string, unknown> = {};
      try {
        const request = readDefineAuthChallengeRequest(event);
        who = userLogFields(request);
        const { session } = request;
        step = session.ok
          ? decideNextStep({
              rounds: session.rounds,
              clientMetadata: request.clientMetadata,
              config: flow,
              userNotFound: request.userNotFound,
              now: clock(),
            })
          : { kind: "fail", reason: session.reason };
      } catch (error) {
        // A malformed event can only end the sign-in: failing is the one safe answer.
        if (!(error instanceof MalformedEventError)) throw error;
        logger.warn("Sign-in failed: the event is malformed", { reason: "event_malformed", detail: error.message });
        step = { kind: "fail", reason: "session_unrecognised" };
      }

      switch (step.kind) {
        case "challenge":
          logger.info("Next round", { ...who, round: step.round, retry: "retryOf" in step && step.retryOf !== undefined });
          event.response = { challengeName: CUSTOM_CHALLENGE, issueTokens: false, failAuthentication: false };
          break;
        case "issue-tokens":
          logger.info("Sign-in complete: issuing tokens", who);
          event.response = { issueTokens: true, failAuthentication: false };
          break;
        case "fail":
          logger.info("Sign-in failed", { ...who, reason: step.reason });
          event.response = { issueTokens: false, failAuthentication: true };
          break;
      }
      return event;
    },
  );
}
