#!/usr/bin/env node
// Runs every test file under test/ with Node's own test runner (TypeScript through tsx), then
// audits every log line the run wrote for secrets (scripts/audit-logs.ts).
// Node 20's runner has no glob support, so the files are listed here. Extra arguments
// (paths or folders) narrow the run: `npm test -- test/unit`.
//
// The whole run logs at DEBUG, so every line any code path can write is audited. The report
// stays readable: scripts/log-audit/log-lines-reporter.mjs prints the usual report and moves the log lines
// to LOG_AUDIT_FILE; test/support/code-ledger.ts writes the one-time codes the run issued to
// CODE_LEDGER_FILE. Both live in a temporary folder, kept when the audit fails.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith(".test.ts") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === "node_modules" ? [] : collect(join(path, name))));
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ["test", "packages/client/test"]).flatMap(collect);
if (files.length === 0) {
  console.error("No test files found.");
  process.exit(1);
}

const auditDir = mkdtempSync(join(tmpdir(), "log-audit-"));
const logFile = join(auditDir, "log-lines.jsonl");
const ledgerFile = join(auditDir, "issued-codes.txt");
writeFileSync(logFile, "");
writeFileSync(ledgerFile, "");
const env = { ...process.env, LOG_LEVEL: "DEBUG", LOG_AUDIT_FILE: logFile, CODE_LEDGER_FILE: ledgerFile };

const moduleUrl = (path) => pathToFileURL(join(ROOT, path)).href;
const tests = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    // Also loaded into every test file's process: the runner passes its own flags on.
    "--import",
    moduleUrl("test/support/code-ledger.ts"),
    "--test",
    "--test-concurrency=2",
    `--test-reporter=${moduleUrl("scripts/log-audit/log-lines-reporter.mjs")}`,
    "--test-reporter-destination=stdout",
    ...files,
  ],
  { stdio: "inherit", env },
);

const audit = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/audit-logs.ts"), logFile, ledgerFile], {
  stdio: "inherit",
  env: process.env,
});
if (audit.status === 0) rmSync(auditDir, { recursive: true, force: true });
else console.error(`The log lines and the ledger of codes are kept in ${auditDir}.`);

process.exit(tests.status !== 0 ? (tests.status ?? 1) : (audit.status ?? 1));
