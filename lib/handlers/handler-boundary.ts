/**
 * The one boundary every trigger handler runs inside. An invocation that throws fails the sign-in
 * or sign-up (Cognito answers UserLambdaValidationException); the operator must see why in this
 * function's own log, with the error's stable code as the reason, not only in whatever the
 * runtime prints about an uncaught error. Then the error goes on to Cognito unchanged.
 *
 * Levels: a malformed event is a WARN (the caller sent it, nothing here is broken); ACCOUNT_LINKED
 * is no failure at all but how PreSignUp ends a linked first sign-in (INFO); every other error is
 * an ERROR.
 */
import { AccountLinkedError, MalformedEventError, TriggerError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export function handlerBoundary<E, R>(logger: Logger, trigger: string, handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof AccountLinkedError) {
        logger.info(`${trigger} ended the sign-in: the identity was linked to an existing account`, { reason: error.code });
      } else if (error instanceof MalformedEventError) {
        logger.warn(`${trigger} refused the event: it is malformed`, { reason: error.code, detail: error.message });
      } else if (error instanceof TriggerError) {
        logger.error(`${trigger} failed: the sign-in cannot go on`, { reason: error.code, detail: error.message, error });
      } else {
        logger.error(`${trigger} failed on an unexpected error`, { reason: "unexpected", error });
      }
      throw error;
    }
  };
}
