/**
 * An invocation that throws fails the sign-in (Cognito answers UserLambdaValidationException);
 * the operator must see why in this function's own log, with the error's stable code as the
 * reason, not only in whatever the runtime prints about an uncaught error.
 */
import { TriggerError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export function logFailures<E, R>(logger: Logger, what: string, handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof TriggerError) {
        logger.error(`${what} failed: the sign-in cannot go on`, { reason: error.code, detail: error.message, error });
      } else {
        logger.error(`${what} failed on an unexpected error`, { reason: "unexpected", error });
      }
      throw error;
    }
  };
}
