/**
 * What every fault case asserts about the step that ran under the fault: the app sees Cognito's
 * own error, in time, after a bounded number of attempts at the faulty service, and the function
 * said why in a log line.
 */
import assert from "node:assert/strict";
import type { FaultOutcome, FaultWorld } from "./fault-world.ts";

/** Cognito gives each trigger 5 s; the whole answer must come back within it. */
export const COGNITO_LIMIT_MS = 5000;

export const STORE_UNAVAILABLE = /STORE_UNAVAILABLE|StoreUnavailableError/;
export const DELIVERY_FAILED = /DELIVERY_FAILED|DeliveryFailedError/;

/** Prints a line in the test report (the measured time and attempts). */
export type Note = (text: string) => void;

/** How Cognito reports a trigger that threw: its own wording around the function's message (which ends in its own full stop). */
export function triggerError(trigger: string, message: string) {
  return { name: "UserLambdaValidationException", message: `${trigger} failed with error ${message}.` };
}

/** The step failed with `expected`, in time, after at most AWS_CALL_MAX_ATTEMPTS attempts at `operation`. */
export function assertCleanFailure(
  world: FaultWorld,
  outcome: FaultOutcome<unknown>,
  expected: { name: string; message: string },
  operation: string,
  note: Note,
) {
  assert.ok(outcome.error, "the step failed");
  assert.equal((outcome.error as Error).name, expected.name);
  assert.equal((outcome.error as Error).message, expected.message);
  assertInTimeAndBounded(world, outcome, operation, note);
}

/** The step answered inside Cognito's limit, and the faulty service saw at least one and at most AWS_CALL_MAX_ATTEMPTS attempts. */
export function assertInTimeAndBounded(world: FaultWorld, outcome: FaultOutcome<unknown>, operation: string, note: Note) {
  const attempts = outcome.requests.filter((request) => request.operation === operation).length;
  note(`answered in ${Math.round(outcome.ms)} ms after ${attempts} attempt(s) at ${operation}`);
  assert.ok(outcome.ms < COGNITO_LIMIT_MS, `answered after ${Math.round(outcome.ms)} ms, inside Cognito's ${COGNITO_LIMIT_MS} ms`);
  assert.ok(attempts >= 1, `the function did call ${operation}`);
  assert.ok(attempts <= world.awsCalls.maxAttempts, `${attempts} attempts at ${operation}; at most ${world.awsCalls.maxAttempts}`);
}

/**
 * A log line naming the failure by its stable code or its class, what an operator's log query
 * finds. Either the function's own structured ERROR line (its logger's service name), or the
 * line the Lambda Node.js runtime writes for an error a handler throws ("Invoke Error" with the
 * error's type, message and code), should the local workers write it as Lambda does.
 */
export function assertLogged(outcome: Pick<FaultOutcome<unknown>, "lines" | "text">, service: string, failure: RegExp) {
  const structured = outcome.lines.some((line) => line.level === "ERROR" && line["service"] === service && failure.test(JSON.stringify(line)));
  const runtime = outcome.text.split("\n").some((line) => line.includes("Invoke Error") && failure.test(line));
  const seen = outcome.lines.map((line) => `${line.level} ${String(line["service"])}: ${line.message}`).join("\n  ");
  assert.ok(
    structured || runtime,
    `no log line names ${failure}: ${service} wrote no ERROR line naming it, and no "Invoke Error" line was written. ` +
      `Structured lines during the step:\n  ${seen || "(none)"}`,
  );
}
