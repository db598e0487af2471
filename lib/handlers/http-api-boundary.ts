/**
 * The boundary the passkey API's handler runs inside: the HTTP counterpart of handler-boundary.ts.
 * A trigger's error goes on to Cognito; an HTTP API's would reach the browser as API Gateway's
 * bare `500 Internal Server Error`, so nothing escapes here: an outage (the store, Cognito, a
 * sender) or a bug answers `503 service_unavailable` in the contract's shape, and the operator
 * sees why in this function's own log, with the error's stable code as the reason.
 */
import { TriggerError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { type ApiResponse, refusalResponse } from "../api/api-response.ts";

const UNAVAILABLE = refusalResponse({ error: "service_unavailable", message: "The service could not answer just now; try again in a moment." });

export function httpApiBoundary(logger: Logger, api: string, handler: (event: unknown) => Promise<ApiResponse>): (event: unknown) => Promise<ApiResponse> {
  return async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof TriggerError) {
        logger.error(`${api} answered 503: a service it needs failed`, { reason: error.code, status: 503, detail: error.message, error });
      } else {
        logger.error(`${api} answered 503 on an unexpected error`, { reason: "unexpected", status: 503, error });
      }
      return UNAVAILABLE;
    }
  };
}
