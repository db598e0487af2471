/**
 * The trigger functions' log lines, as a test against the local stack sees them. Each function
 * runs in a worker thread whose stdout and stderr Node forwards to this process's, where
 * log-capture.ts collects the functions' JSON log lines; everything else written there (a runtime's own
 * error line, say) is kept as text beside them. The forwarding is asynchronous: a line may
 * arrive a moment after the SDK call that caused it has returned, hence `waitFor` and `settle`.
 */
import { type LogCapture, type LogLine, captureLogs } from "./log-capture.ts";

export type { LogLine } from "./log-capture.ts";

/** Where reading starts: the lines and the text written after it. */
export interface LogMark {
  readonly lines: number;
  readonly text: number;
}

export interface TriggerLogs {
  mark(): LogMark;
  /** Structured lines written since the mark, oldest first. */
  since(mark: LogMark): LogLine[];
  /** Everything else written to stdout and stderr since the mark, as one text. */
  textSince(mark: LogMark): string;
  /** The first line since the mark that matches; rejects after `timeoutMs` with what was logged. */
  waitFor(mark: LogMark, predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once no new line has arrived for a short while: every forwarded line is in. */
  settle(): Promise<void>;
  stop(): void;
}

const QUIET_MS = 150;
const MAX_SETTLE_MS = 3000;

/**
 * Records what reaches `stream.write` and log-capture.ts lets through: whatever is not a
 * structured line (log-capture.ts keeps those, and adds each one's text to `capture.raw`).
 */
function recordOtherText(stream: NodeJS.WriteStream, capture: LogCapture, other: string[]): () => void {
  const inner = stream.write;
  const recording = ((chunk: unknown, ...rest: unknown[]) => {
    const structuredBefore = capture.raw.length;
    const passed = (inner as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    if (capture.raw.length === structuredBefore && (typeof chunk === "string" || Buffer.isBuffer(chunk))) other.push(chunk.toString());
    return passed;
  }) as typeof stream.write;
  stream.write = recording;
  return () => {
    if (stream.write === recording) stream.write = inner;
  };
}

export function triggerLogs(): TriggerLogs {
  const capture: LogCapture = captureLogs();
  const other: string[] = [];
  const restoreOther = [process.stdout, process.stderr].map((stream) => recordOtherText(stream, capture, other));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    mark: () => ({ lines: capture.lines.length, text: other.length }),
    since: (mark) => capture.lines.slice(mark.lines),
    textSince: (mark) => other.slice(mark.text).join(""),
    async waitFor(mark, predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = capture.lines.slice(mark.lines).find(predicate);
        if (found !== undefined) return found;
        if (Date.now() >= deadline) {
          const seen = capture.lines.slice(mark.lines).map((line) => `${line.level} ${String(line["service"])}: ${line.message}`);
          throw new Error(`No matching log line within ${timeoutMs} ms. Logged since the mark:\n  ${seen.join("\n  ") || "(nothing)"}`);
        }
        await sleep(20);
      }
    },
    async settle() {
      const deadline = Date.now() + MAX_SETTLE_MS;
      let count = -1;
      while (count !== capture.lines.length + other.length && Date.now() < deadline) {
        count = capture.lines.length + other.length;
        await sleep(QUIET_MS);
      }
    },
    stop: () => {
      for (const undo of restoreOther) undo();
      capture.stop();
    },
  };
}
