/**
 * The log lines of fuzzed handlers. They are captured call by call, so each fuzz test checks the
 * lines of the call it judges for the secrets of that call (a code, a hash, a salt).
 *
 * They are kept out of the run's log audit (scripts/audit-logs.ts): the fuzzer writes random
 * text into every field by design, including fields Cognito never fills with an address (the
 * user name of an existing user, a trigger source), and the audit cannot tell such generated
 * text from a leaked address. Tens of thousands of generated lines would also slow it down for
 * nothing. What the audit looks for that a fuzz run can produce, an issued code or a hash, is
 * checked here instead, with the exact values.
 */
import assert from "node:assert/strict";
import { type LogCapture, captureLogs } from "../support/log-capture.ts";

export function captureFuzzLogs(): LogCapture {
  // log-capture.ts copies captured lines to LOG_AUDIT_FILE when it is set.
  delete process.env["LOG_AUDIT_FILE"];
  return captureLogs();
}

/** Fails if a captured line holds one of the secrets (empty ones are skipped). */
export function assertLogsKeep(logs: LogCapture, secrets: readonly string[], what: string): void {
  const text = logs.raw.join("\n");
  for (const secret of secrets) {
    if (secret !== "") assert.ok(!text.includes(secret), `a log line holds ${what}`);
  }
}
