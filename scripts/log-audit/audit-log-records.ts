/**
 * The audit of a test run's log lines: reads the records of the audit file (one JSON object a
 * line, `{ file, line }`: the test file whose process wrote the log line, and the line as
 * written) and the ledger of issued codes (`<test file>\t<code>` a line), and says which lines
 * hold a secret (./secret-detectors.ts) and how to find them.
 *
 * A ledger that misses codes makes the issued-code detector blind without anyone noticing: a run
 * whose ledger is empty proves nothing about codes. But an empty ledger alone is no failure, since a
 * narrowed run (`npm test -- test/unit/mask.test.ts`) rightly issues no code. So the audit asks
 * the log lines themselves: a test file whose lines say a code was sent (CODE_SENT_MESSAGE, which
 * lib/otp/issue-code-round.ts logs after every code it sends) must have codes on the ledger, or
 * the run fails for that file (`unprovable`). That holds for the full run and for any narrowed run
 * that includes a test sending codes, and asks nothing of a run that sends none.
 */
import { type Finding, findSecrets } from "./secret-detectors.ts";

export interface Offence {
  readonly file: string;
  readonly line: string;
  readonly findings: readonly Finding[];
}

/** A test file whose log lines say codes were sent, with none of its codes on the ledger. */
export interface UnprovableFile {
  readonly file: string;
  /** How many CODE_SENT_MESSAGE lines the file's processes wrote. */
  readonly codesSent: number;
}

export interface AuditResult {
  readonly linesAudited: number;
  readonly testFiles: number;
  readonly codesOnLedger: number;
  readonly offences: readonly Offence[];
  /** Test files that sent codes the ledger does not hold: their lines cannot be audited for them. */
  readonly unprovable: readonly UnprovableFile[];
}

/** The message lib/otp/issue-code-round.ts logs once a code went out (INFO, so in every audited run). */
export const CODE_SENT_MESSAGE = "Code sent";

/** Whether an audit found anything: a secret in a line, or codes it could not look for. */
export function auditFailed(result: AuditResult): boolean {
  return result.offences.length > 0 || result.unprovable.length > 0;
}

/** The ledger's codes by the test file that issued them. */
export function readLedger(text: string): Map<string, Set<string>> {
  const ledger = new Map<string, Set<string>>();
  for (const entry of text.split("\n")) {
    const tab = entry.lastIndexOf("\t");
    if (tab < 0) continue;
    const file = entry.slice(0, tab);
    const codes = ledger.get(file) ?? new Set<string>();
    codes.add(entry.slice(tab + 1));
    ledger.set(file, codes);
  }
  return ledger;
}

interface LogRecord {
  file: string;
  line: string;
}

/** A record the audit cannot read is audited as text: being unreadable must not make it pass. */
function parseRecord(text: string): LogRecord {
  try {
    const record: unknown = JSON.parse(text);
    if (typeof record === "object" && record !== null) {
      const { file, line } = record as Record<string, unknown>;
      if (typeof file === "string" && typeof line === "string") return { file, line };
    }
  } catch {
    // Audited as text below.
  }
  return { file: "(unreadable record)", line: text };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

export function auditLogRecords(recordsText: string, ledgerText: string): AuditResult {
  const ledger = readLedger(ledgerText);
  const noCodes = new Set<string>();
  const offences: Offence[] = [];
  const files = new Set<string>();
  const codesSent = new Map<string, number>();
  let linesAudited = 0;
  for (const text of recordsText.split("\n")) {
    if (text.trim() === "") continue;
    const { file, line } = parseRecord(text);
    linesAudited += 1;
    files.add(file);
    const parsed = parseLine(line);
    if (typeof parsed === "object" && parsed !== null && (parsed as Record<string, unknown>).message === CODE_SENT_MESSAGE) {
      codesSent.set(file, (codesSent.get(file) ?? 0) + 1);
    }
    const findings = findSecrets(parsed, ledger.get(file) ?? noCodes);
    if (findings.length > 0) offences.push({ file, line, findings });
  }
  const codesOnLedger = [...ledger.values()].reduce((sum, codes) => sum + codes.size, 0);
  const unprovable = [...codesSent]
    .filter(([file]) => (ledger.get(file)?.size ?? 0) === 0)
    .map(([file, sent]) => ({ file, codesSent: sent }))
    .sort((a, b) => a.file.localeCompare(b.file));
  return { linesAudited, testFiles: files.size, codesOnLedger, offences, unprovable };
}

const SHOWN_OFFENCES = 20;
const SHOWN_LINE_CHARACTERS = 400;

/** What a developer reads: the verdict, then each offending line with what was found where. */
export function describeAudit(result: AuditResult): string {
  const counts = `${result.linesAudited} log line(s) from ${result.testFiles} test file(s), ${result.codesOnLedger} issued code(s) on the ledger`;
  if (!auditFailed(result)) return `Log audit passed: ${counts}; no secret in any line.\n`;
  const report =
    result.offences.length > 0
      ? [`Log audit FAILED: ${result.offences.length} log line(s) hold a secret (${counts}).`]
      : [`Log audit FAILED: ${result.unprovable.length} test file(s) sent codes the ledger does not hold (${counts}).`];
  if (result.unprovable.length > 0) {
    report.push(
      "",
      "  These test files sent one-time codes, but none of their codes is on the ledger, so their log lines",
      "  could not be searched for them. Is test/support/code-ledger.ts loaded (scripts/run-tests.mjs),",
      "  and does lib/otp/generate-code.ts still draw each code with one crypto.randomInt call?",
    );
    for (const { file, codesSent } of result.unprovable) report.push(`    ${file}: ${codesSent} "${CODE_SENT_MESSAGE}" line(s), 0 codes on the ledger`);
  }
  for (const offence of result.offences.slice(0, SHOWN_OFFENCES)) {
    report.push("", `  ${offence.file}`);
    for (const { kind, path, match } of offence.findings) report.push(`    ${kind} at ${path || "(line)"}: ${match}`);
    const line = offence.line.length > SHOWN_LINE_CHARACTERS ? `${offence.line.slice(0, SHOWN_LINE_CHARACTERS)}…` : offence.line;
    report.push(`    ${line}`);
  }
  const hidden = result.offences.length - SHOWN_OFFENCES;
  if (hidden > 0) report.push("", `  … and ${hidden} more line(s).`);
  return `${report.join("\n")}\n`;
}
