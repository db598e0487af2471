/**
 * Captures the structured log lines the suite writes (lib/logger.ts: JSON lines on stdout and stderr) while letting
 * everything else, such as the test runner's own output, through. Tests assert on what was
 * logged and, above all, on what never may be: codes, hashes, full addresses.
 *
 * Captured lines never reach the test runner, so under scripts/run-tests.mjs they are also
 * appended to LOG_AUDIT_FILE: the audit after the run (scripts/audit-logs.ts) reads every line.
 */
import { appendFileSync } from "node:fs";
import { relative } from "node:path";

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

export interface LogCapture {
  readonly lines: LogLine[];
  /** Every captured line, as the raw text that reached stdout. */
  readonly raw: string[];
  clear(): void;
  stop(): void;
}

/** lib/logger.ts writes INFO/DEBUG to stdout and WARN/ERROR to stderr: both are captured. */
export function captureLogs(): LogCapture {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const restore = [process.stdout, process.stderr].map((stream) => intercept(stream, lines, raw));
  return {
    lines,
    raw,
    clear() {
      lines.length = 0;
      raw.length = 0;
    },
    stop() {
      for (const undo of restore) undo();
    },
  };
}

function intercept(stream: NodeJS.WriteStream, lines: LogLine[], raw: string[]): () => void {
  const original = stream.write.bind(stream);
  const patched = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : undefined;
    if (text !== undefined) {
      const parsed = text
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return undefined;
          }
        });
      if (parsed.length > 0 && parsed.every((line) => line !== undefined && "level" in line && "service" in line)) {
        keepForAudit(text);
        raw.push(text);
        lines.push(...(parsed as LogLine[]));
        const callback = rest.find((item) => typeof item === "function") as (() => void) | undefined;
        callback?.();
        return true;
      }
    }
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  stream.write = patched;
  return () => {
    if (stream.write === patched) stream.write = original;
  };
}

/**
 * In the audit file's records ({ file: this test file, line }, as scripts/log-audit/log-lines-reporter.mjs
 * writes them), one write per chunk in append mode: other processes add to the same file at the same time.
 */
function keepForAudit(text: string): void {
  const auditFile = process.env["LOG_AUDIT_FILE"];
  if (auditFile === undefined || auditFile === "") return;
  const testFile = relative(process.cwd(), process.argv[1] ?? "");
  const lines = text.split("\n").filter((line) => line.startsWith("{"));
  appendFileSync(auditFile, lines.map((line) => `${JSON.stringify({ file: testFile, line })}\n`).join(""));
}
