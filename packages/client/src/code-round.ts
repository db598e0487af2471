/**
 * The EMAIL_OTP and SMS_OTP rounds: answer with the code. A wrong code comes back from Cognito
 * as the same round on a new session (same code, nothing sent), which this client throws as a
 * WrongCodeError carrying that round; the last wrong code, or an expired one, fails the sign-in.
 */
import { CLIENT_METADATA, type CodeMethod } from "@cognito-passwordless/protocol";
import { CodeExpiredError, WrongCodeError } from "./errors.ts";
import { type FlowContext, call, challengeOf } from "./flow-context.ts";
import { outcomeOf } from "./passkey-registration-round.ts";
import { readRound } from "./read-round.ts";
import type { CodeRound } from "./rounds.ts";
import type { Step } from "./transport.ts";

/** The step as a round of `method`, its `attempt`-th answer. */
export function codeRound(flow: FlowContext, step: Step, method: CodeMethod, attempt: number): CodeRound {
  const { parameters, respond } = challengeOf(step, [method]);
  const { destination, codeLength, expiresAt } = parameters;
  const round: CodeRound = {
    kind: "code",
    method,
    destination,
    codeLength,
    expiresAt,
    attempt,
    // Cognito re-offered the round, so at least this answer is left whatever the client was told.
    attemptsLeft: Math.max(flow.codeMaxAttempts - attempt + 1, 1),
    async answer(code, options = {}) {
      if (typeof code !== "string" || code.trim() === "") throw new TypeError("answer(code): the code must be a non-empty string.");
      if (flow.clock() >= expiresAt.getTime()) throw new CodeExpiredError(expiresAt);
      const metadata = options.registerPasskey === true ? { [CLIENT_METADATA.registerPasskey]: "true" } : undefined;
      const next = await call(flow, () => respond(code.trim(), metadata), { codeExpiresAt: expiresAt });
      if (next.kind === "challenge" && readRound(next.parameters).round === method) {
        const retry = codeRound(flow, next, method, attempt + 1);
        throw new WrongCodeError(retry, retry.attemptsLeft);
      }
      return outcomeOf(flow, next, undefined);
    },
  };
  return Object.freeze(round);
}
