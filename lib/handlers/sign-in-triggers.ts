/**
 * The combined function's handler (TriggerLayout Combined): one Lambda function serves all five
 * triggers, so a sign-in chain (Define, Create, Verify, PreTokenGeneration) pays module load and
 * the SDK clients' first calls once per process rather than once per trigger. The event goes to
 * the trigger its triggerSource names (trigger-route.ts), whose handler `load` hands over
 * (functions/sign-in-triggers/index.ts says which triggers load with the function and which on
 * their first event).
 *
 * An event no trigger serves is refused with one WARN line and UnknownTriggerSourceError, which
 * fails the Cognito call, as each separate function fails on an event it cannot read.
 */
import { UnknownTriggerSourceError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { type SignInTrigger, routeTrigger } from "./trigger-route.ts";

/**
 * A trigger's handler as the router holds it. `never`: every trigger takes its own event type, and
 * the route decision is what makes this event that trigger's.
 */
export type TriggerHandler = (event: never) => Promise<unknown>;

export interface SignInTriggersDeps {
  readonly logger: Logger;
  /** The handler of a trigger, its module imported on the first call that needs it. */
  readonly load: (trigger: SignInTrigger) => Promise<TriggerHandler>;
}

/** How much of an unrecognised triggerSource a log line shows. */
const SHOWN_SOURCE_LENGTH = 64;

function shownSource(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null || !("triggerSource" in event)) return undefined;
  const source = event.triggerSource;
  return typeof source === "string" ? source.slice(0, SHOWN_SOURCE_LENGTH) : typeof source;
}

export function createSignInTriggersHandler({ logger, load }: SignInTriggersDeps) {
  return async function signInTriggers(event: unknown): Promise<unknown> {
    const route = routeTrigger(event);
    if (!route.ok) {
      const triggerSource = shownSource(event);
      logger.warn("Event refused: no trigger of this function serves it", {
        reason: route.reason,
        ...(triggerSource === undefined ? {} : { triggerSource }),
      });
      throw new UnknownTriggerSourceError(`${route.reason}: the event names no trigger this function serves`);
    }
    const handler = await load(route.trigger);
    return handler(event as never);
  };
}
