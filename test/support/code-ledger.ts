/**
 * The ledger of one-time codes the test run issued, for the log audit (scripts/audit-logs.ts): a
 * code that was really sent must never show up in a log line, whatever field it hides in.
 * scripts/run-tests.mjs loads this module into every test process (`--import`) and names the
 * ledger file in CODE_LEDGER_FILE; without it this module does nothing.
 *
 * Codes are seen in two places, and written down as they are issued:
 * - the local stack's outbox, where every email and SMS of the trigger workers lands
 *   (Outbox.add, wrapped here so packages/local stays free of test hooks);
 * - crypto.randomInt in the test process itself: lib/otp/generate-code.ts draws each code with
 *   one call over 0 … 10^length − 1, so the codes of unit tests that run the real handlers with
 *   SES and SNS mocked are seen too. The wrapper returns the draw unchanged.
 */
import { appendFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { relative } from "node:path";
import { Outbox, type OutboxMessage } from "@cognito-passwordless/local/outbox/outbox.ts";

/** CODE_LENGTH's range (lib/config.ts): shorter digit runs are years, ports and counts, not codes. */
const MIN_CODE_LENGTH = 6;
const MAX_CODE_LENGTH = 10;
const CODE_IN_TEXT = new RegExp(`(?<![0-9])[0-9]{${MIN_CODE_LENGTH},${MAX_CODE_LENGTH}}(?![0-9])`, "g");

/** The codes in a message's words: every standalone run of 6 to 10 digits. */
export function codesInMessage(message: Pick<OutboxMessage, "body" | "subject">): string[] {
  return [...`${message.subject ?? ""}\n${message.body}`.matchAll(CODE_IN_TEXT)].map((match) => match[0]);
}

/** The code a randomInt(min, max) draw stands for, when the range is that of a code of some length. */
export function codeOfDraw(min: number, max: number, value: number): string | undefined {
  if (min !== 0) return undefined;
  const length = Math.log10(max);
  if (!Number.isInteger(length) || length < MIN_CODE_LENGTH || length > MAX_CODE_LENGTH) return undefined;
  return String(value).padStart(length, "0");
}

/**
 * One line per code, `<test file>\t<code>`: a code can only leak into the log lines of the test
 * file that issued it (its process, and the trigger workers of its local stack), so the audit
 * looks for each file's codes in that file's lines only. Tens of thousands of codes drawn by the
 * code generator's own tests then cannot match a number in another file's line by chance.
 */
function recordTo(ledgerFile: string): (codes: readonly string[]) => void {
  const testFile = relative(process.cwd(), process.argv[1] ?? "");
  return (codes) => {
    if (codes.length > 0) appendFileSync(ledgerFile, codes.map((code) => `${testFile}\t${code}\n`).join(""));
  };
}

function watchOutbox(record: (codes: readonly string[]) => void): void {
  const add = Outbox.prototype.add;
  Outbox.prototype.add = function addAndRecord(this: Outbox, message: OutboxMessage): void {
    record(codesInMessage(message));
    add.call(this, message);
  };
}

type RandomInt = (...args: unknown[]) => unknown;

function watchRandomInt(record: (codes: readonly string[]) => void): void {
  // The CommonJS object is the one whose properties the ESM named exports mirror after a sync.
  const crypto = createRequire(import.meta.url)("node:crypto") as { randomInt: RandomInt };
  const randomInt = crypto.randomInt;
  crypto.randomInt = function randomIntAndRecord(...args: unknown[]): unknown {
    const value = randomInt(...args);
    // Only the synchronous forms return the draw: randomInt(max) and randomInt(min, max).
    const [first, second] = args;
    if (typeof value === "number" && typeof first === "number") {
      const [min, max] = typeof second === "number" ? [first, second] : [0, first];
      const code = codeOfDraw(min, max, value);
      if (code !== undefined) record([code]);
    }
    return value;
  };
  syncBuiltinESMExports();
}

const ledgerFile = process.env["CODE_LEDGER_FILE"];
if (ledgerFile !== undefined && ledgerFile !== "") {
  const record = recordTo(ledgerFile);
  watchOutbox(record);
  watchRandomInt(record);
}
