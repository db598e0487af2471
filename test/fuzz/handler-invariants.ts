/**
 * What holds for every trigger, whatever the event: it answers or throws a typed TriggerError
 * (never a TypeError from deep inside), it leaves the built-in prototypes as they were, and it
 * answers within a time bound even when the event carries megabytes.
 */
import assert from "node:assert/strict";
import { TriggerError } from "../../lib/errors.ts";
import { copyJson } from "../support/arbitraries/copy-json.ts";

/**
 * A handler call on a hostile event must not take longer than this. Real calls take well under
 * a millisecond; a catastrophic regex, or work that grows with the square of a megabyte, takes far
 * more. Cognito allows 5 s.
 */
export const CALL_BOUND_MS = 200;
/** A slow call is timed again this many times; the bound holds for the median, so one GC pause or a busy machine does not fail a run. */
const RETIMINGS = 4;

export type Outcome<E> = { readonly ok: true; readonly value: E } | { readonly ok: false; readonly error: unknown };

const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, String: String.prototype, Function: Function.prototype, Number: Number.prototype };
const ORIGINAL_KEYS = Object.fromEntries(
  Object.entries(PROTOTYPES).map(([name, prototype]) => [name, Reflect.ownKeys(prototype).map(String).sort().join(",")]),
);

/** Fails if anything was added to a built-in prototype (the point of a prototype-pollution attack). */
export function assertPrototypesUnpolluted(): void {
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined, "Object.prototype was polluted");
  for (const [name, prototype] of Object.entries(PROTOTYPES)) {
    assert.equal(Reflect.ownKeys(prototype).map(String).sort().join(","), ORIGINAL_KEYS[name], `${name}.prototype gained or lost a property`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}\n${error.stack?.split("\n").slice(1, 6).join("\n") ?? ""}` : String(error);
}

export function assertTypedError(error: unknown): asserts error is TriggerError {
  assert.ok(error instanceof TriggerError, `the handler threw an untyped error: ${describeError(error)}`);
}

async function timedCall<E>(handler: (event: E) => Promise<E>, event: E): Promise<{ outcome: Outcome<E>; ms: number }> {
  const fresh = copyJson(event);
  const started = performance.now();
  let outcome: Outcome<E>;
  try {
    outcome = { ok: true, value: await handler(fresh) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  return { outcome, ms: performance.now() - started };
}

/** Timings of this file's calls, for the report: how slow the slowest first call was, and how many were timed again. */
const timings = { calls: 0, slowestMs: 0, retimed: 0, slowestMedianMs: 0 };

export function timingSummary(): string {
  const retimed = timings.retimed === 0 ? "none" : `${timings.retimed}, worst median ${timings.slowestMedianMs.toFixed(1)} ms`;
  return `${timings.calls} handler calls, slowest ${timings.slowestMs.toFixed(1)} ms; timed again for going over ${CALL_BOUND_MS} ms: ${retimed}`;
}

export interface CallOptions {
  /** Runs before each call, e.g. to clear mock histories, so what a test reads belongs to the returned call. */
  readonly beforeCall?: () => void;
}

/**
 * Calls the handler on a fresh copy of the event (the generated one stays as it was) and checks
 * the invariants every trigger keeps. Returns the outcome for the trigger's own checks.
 */
export async function callHandler<E>(handler: (event: E) => Promise<E>, event: E, options: CallOptions = {}): Promise<Outcome<E>> {
  options.beforeCall?.();
  let { outcome, ms } = await timedCall(handler, event);
  timings.calls += 1;
  timings.slowestMs = Math.max(timings.slowestMs, ms);
  if (ms > CALL_BOUND_MS) {
    timings.retimed += 1;
    const times = [ms];
    for (let retiming = 0; retiming < RETIMINGS; retiming += 1) {
      options.beforeCall?.();
      ({ outcome, ms } = await timedCall(handler, event));
      times.push(ms);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
    timings.slowestMedianMs = Math.max(timings.slowestMedianMs, median);
    assert.ok(median <= CALL_BOUND_MS, `the handler took a median ${median.toFixed(1)} ms over ${times.length} calls (bound ${CALL_BOUND_MS} ms)`);
  }
  assertPrototypesUnpolluted();
  if (!outcome.ok) assertTypedError(outcome.error);
  return outcome;
}

/** The handler's answer, or a failure saying what it threw. */
export function answered<E>(outcome: Outcome<E>, what: string): E {
  if (!outcome.ok) assert.fail(`${what}, but it threw ${describeError(outcome.error)}`);
  return outcome.value;
}
