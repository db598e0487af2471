/**
 * Audits the log lines of a test run for secrets: `tsx scripts/audit-logs.ts <audit file> <ledger file>`.
 * scripts/run-tests.mjs runs it after every test run (`npm test`), with the files it had the run
 * write; see scripts/log-audit/ for what is looked for. Exits 1 when any line holds a secret or
 * when a test file sent codes that the ledger does not hold (an audit blind to them proves nothing:
 * see audit-log-records.ts), 2 when the files cannot be read.
 */
import { readFileSync } from "node:fs";
import { auditFailed, auditLogRecords, describeAudit } from "./log-audit/audit-log-records.ts";

const USAGE = "usage: tsx scripts/audit-logs.ts <audit file> <ledger file>";

const [auditFile, ledgerFile, ...extra] = process.argv.slice(2);
if (auditFile === undefined || ledgerFile === undefined || extra.length > 0) {
  console.error(USAGE);
  process.exit(2);
}

let records: string;
let ledger: string;
try {
  records = readFileSync(auditFile, "utf8");
  ledger = readFileSync(ledgerFile, "utf8");
} catch (error) {
  console.error(`The log audit could not read its input: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}

const result = auditLogRecords(records, ledger);
const report = describeAudit(result);
if (auditFailed(result)) process.stderr.write(report);
else process.stdout.write(report);
process.exit(auditFailed(result) ? 1 : 0);
