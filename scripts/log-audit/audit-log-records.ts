/**
 * The audit of a test run's log lines: reads the records of the audit file (one JSON object a
 * line, `{ file, line }`: the test file whose process wrote the log line, and the line as
 * written) and the ledger of issued codes (`<test file>\t<code>` a line), and says which lines
 * hold a secret (./secret-detectors.ts) and how to find them.
 */
import { type Finding, findSecrets } from "./secret-detectors.ts";

export interface Offence {
  readonly file: string;
  readonly line: string;
  readonly findings: readonly Finding[];
}

export interface AuditResult {
  readonly linesAudited: number;
  readonly testFiles: number;
  readonly codesOnLedger: number;
  readonly offences: readonly Offence[];
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
  let linesAudited = 0;
  for (const text of recordsText.split("\n")) {
    if (text.trim() === "") continue;
    const { file, line } = parseRecord(text);
    linesAudited += 1;
    files.add(file);
    const findings = findSecrets(parseLine(line), ledger.get(file) ?? noCodes);
    if (findings.length > 0) offences.push({ file, line, findings });
  }
  const codesOnLedger = [...ledger.values()].reduce((sum, codes) => sum + codes.size, 0);
  return { linesAudited, testFiles: files.size, codesOnLedger, offences };
}

const SHOWN_OFFENCES = 20;
const SHOWN_LINE_CHARACTERS = 400;

/** What a developer reads: the verdict, then each offending line with what was found where. */
export function describeAudit(result: AuditResult): string {
  const counts = `${result.linesAudited} log line(s) from ${result.testFiles} test file(s), ${result.codesOnLedger} issued code(s) on the ledger`;
  if (result.offences.length === 0) return `Log audit passed: ${counts}; no secret in any line.\n`;
  const report = [`Log audit FAILED: ${result.offences.length} log line(s) hold a secret (${counts}).`];
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
