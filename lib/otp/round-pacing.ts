/**
 * Makes a decoy code round take about as long as a real one. A real round waits for DynamoDB and
 * for SES or SNS; a decoy (unknown user, no such address, SMS country not allowed, rate limit)
 * has nothing to wait for, so without pacing the time CreateAuthChallenge takes would tell an
 * attacker whether an account exists, which the identical round shapes are there to hide.
 *
 * Each instance remembers how long its recent real rounds took, per method, and a decoy waits
 * until its own elapsed time reaches one of those durations, picked at random so decoys spread
 * like real rounds do. Before an instance has timed a real round it waits a configured, typical
 * figure (a DynamoDB update and an SES or SNS call in AWS take about 100 ms together). Timing is only as equal as the instance's own history; README "Security" states the
 * bound the tests measure.
 */
import { randomInt } from "node:crypto";
import type { CodeMethod } from "@cognito-passwordless/protocol";

/** Enough recent rounds to follow the service's latency without one outlier mattering much. */
const HISTORY = 32;
/** A decoy never waits longer than this, whatever the history says (a slow outage must not stall every decoy). */
const MAX_WAIT_MS = 1500;

export interface RoundPacing {
  /** Remembers how long a real round of this method took. */
  recordReal(method: CodeMethod, elapsedMs: number): void;
  /** Waits until a decoy round that started at `startedAt` has taken about as long as a real one. */
  paceDecoy(method: CodeMethod, startedAt: number): Promise<void>;
}

export function createRoundPacing(options: {
  clock: () => number;
  /** What a decoy waits for before this instance has timed a real round of its method (config: DECOY_INITIAL_DELAY_MS). */
  initialDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  pick?: (size: number) => number;
}): RoundPacing {
  const { clock } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pick = options.pick ?? ((size: number) => randomInt(size));
  const history: Record<CodeMethod, number[]> = { EMAIL_OTP: [], SMS_OTP: [] };

  return {
    recordReal(method, elapsedMs) {
      if (!Number.isFinite(elapsedMs) || elapsedMs < 0) return;
      const recent = history[method];
      recent.push(elapsedMs);
      if (recent.length > HISTORY) recent.shift();
    },
    async paceDecoy(method, startedAt) {
      const recent = history[method];
      const target = recent.length === 0 ? options.initialDelayMs : (recent[pick(recent.length)] ?? options.initialDelayMs);
      const wait = Math.min(MAX_WAIT_MS, target - (clock() - startedAt));
      if (wait > 0) await sleep(wait);
    },
  };
}
