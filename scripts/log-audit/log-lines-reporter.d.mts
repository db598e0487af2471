// Types of log-lines-reporter.mjs, for the TypeScript that tests it (the runner loads the reporter
// before any TypeScript loader, so the reporter itself is plain JavaScript).
import type { TestEvent } from "node:test/reporters";

export function isLogLine(line: string): boolean;
export function withoutLogLines(source: AsyncIterable<TestEvent>, divert: (line: string, file: string | undefined) => void): AsyncGenerator<TestEvent>;
export default function logLinesReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string>;
