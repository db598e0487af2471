// A node:test reporter for scripts/run-tests.mjs: the report node --test would print anyway (spec
// on a terminal, TAP otherwise), minus the structured log lines that the test files and the local
// stack's trigger workers write. Those go to LOG_AUDIT_FILE for scripts/audit-logs.ts to check,
// one record a line: {"file": the test file whose process wrote it, "line": the line as written}.
// Every log line of the run is there, and the report stays as readable as at WARN.
//
// A reporter rather than a filter on the runner's printed output: TAP escapes `#` and `\` in what
// a test file printed and cuts output into 64 KiB pieces, so a log line could not be read back
// exactly. Here each piece arrives as written, and pieces are joined into lines per file and stream.
import { closeSync, openSync, writeSync } from "node:fs";
import { relative } from "node:path";
import { Readable } from "node:stream";
import { spec, tap } from "node:test/reporters";

/** A line the structured logger (lib/logger.ts) wrote: a JSON object with a level. */
export function isLogLine(line) {
  if (!line.startsWith("{")) return false;
  try {
    const parsed = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null && typeof parsed.level === "string";
  } catch {
    return false;
  }
}

/**
 * The events of `source` with every log line taken out of test:stdout and test:stderr and handed
 * to `divert` with the event's test file; what is left of such an event (report text, a console
 * message) goes on, a line at a time. Unfinished lines wait for their end, or for the end of the run.
 */
export async function* withoutLogLines(source, divert) {
  const pending = new Map();
  const outputOf = (event, text) => ({ type: event.type, data: { ...event.data, message: text } });
  for await (const event of source) {
    if (event.type !== "test:stdout" && event.type !== "test:stderr") {
      yield event;
      continue;
    }
    const key = `${event.type}\n${event.data.file ?? ""}`;
    const text = (pending.get(key)?.text ?? "") + event.data.message;
    const end = text.lastIndexOf("\n");
    pending.set(key, { event, text: text.slice(end + 1) });
    if (end < 0) continue;
    let passed = "";
    for (const line of text.slice(0, end).split("\n")) {
      if (isLogLine(line)) divert(line, event.data.file);
      else passed += `${line}\n`;
    }
    if (passed !== "") yield outputOf(event, passed);
  }
  for (const { event, text } of pending.values()) {
    if (text === "") continue;
    if (isLogLine(text)) divert(text, event.data.file);
    else yield outputOf(event, text);
  }
}

export default async function* logLinesReporter(source) {
  const auditFile = process.env.LOG_AUDIT_FILE;
  // Appending (O_APPEND), one whole record per write: test processes add the lines they captured
  // to the same file at the same time (test/support/log-capture.ts).
  const fd = auditFile === undefined ? undefined : openSync(auditFile, "a");
  try {
    const record = (line, testFile) => writeSync(fd, `${JSON.stringify({ file: relative(process.cwd(), testFile ?? ""), line })}\n`);
    // Without an audit file (the reporter run by hand) nothing is taken out.
    const events = fd === undefined ? source : withoutLogLines(source, record);
    if (process.stdout.isTTY) {
      for await (const chunk of Readable.from(events).pipe(new spec())) yield chunk;
    } else {
      yield* tap(events);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
