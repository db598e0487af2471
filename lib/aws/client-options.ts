/**
 * Options every AWS SDK client of the suite is created with.
 * Cognito gives a trigger 5 s in all, and may retry a slow trigger (sending a second code):
 * each attempt gets a short timeout and the SDK's retries are bounded, so even two calls in a
 * row fail cleanly inside the limit. Endpoints come from the standard AWS_ENDPOINT_URL_*
 * variables, which the SDK reads itself: there is no local-only code path.
 */
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCallConfig } from "../config.ts";

export function awsClientOptions(call: AwsCallConfig) {
  return {
    maxAttempts: call.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(500, call.timeoutMs),
      requestTimeout: call.timeoutMs,
      // Without this the handler only warns when a request overruns, and a silent endpoint would
      // hold the trigger until Lambda's own timeout, past Cognito's 5 s.
      throwOnRequestTimeout: true,
    }),
  };
}
