/**
 * One SDK client per process and call settings: in the combined function (template.yaml,
 * TriggerLayout Combined) Create, Verify and PreTokenGeneration each ask for a DynamoDB client,
 * and one client means one set of sockets and one first-call cost (credentials, endpoint
 * resolution) per process instead of three. Callers with other timeouts or attempts get their own.
 */
import type { AwsCallConfig } from "../config.ts";

export function sharedPerCallSettings<T>(make: (call: AwsCallConfig) => T): (call: AwsCallConfig) => T {
  const made = new Map<string, T>();
  return (call) => {
    const key = `${call.timeoutMs}/${call.maxAttempts}`;
    let client = made.get(key);
    if (client === undefined) {
      client = make(call);
      made.set(key, client);
    }
    return client;
  };
}
