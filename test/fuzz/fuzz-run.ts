/**
 * How the fuzz tests run: FUZZ_RUNS runs per property (10 000 by default, what `npm test` does),
 * from the seed in FUZZ_SEED (a fixed one by default, so CI is reproducible; "random" for a fresh
 * one, as `npm run fuzz` does). The seed is printed with every property, and a failure says how to
 * replay it.
 */
import { randomInt } from "node:crypto";
import type { TestContext } from "node:test";
import fc from "fast-check";

const DEFAULT_RUNS = 10_000;
/** Any fixed number works; this one is what CI has always run. */
const DEFAULT_SEED = 7_000_001;
/** Counterexamples may hold megabyte strings: a failure report shows this much of each line. */
const MAX_REPORT_LINE = 2000;

function readRuns(): number {
  const raw = process.env["FUZZ_RUNS"]?.trim();
  if (raw === undefined || raw === "") return DEFAULT_RUNS;
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`FUZZ_RUNS is "${raw}": it should be a positive whole number of runs per property.`);
  return Number(raw);
}

function readSeed(): number {
  const raw = process.env["FUZZ_SEED"]?.trim();
  if (raw === undefined || raw === "") return DEFAULT_SEED;
  if (raw === "random") return randomInt(0, 2 ** 31 - 1);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new Error(`FUZZ_SEED is "${raw}": it should be a whole number, or "random".`);
  return Number(raw);
}

export const FUZZ_RUNS = readRuns();
export const FUZZ_SEED = readSeed();

/** Runs for a positive control: a tenth of the fuzz runs, at least 100. It proves the property can pass for the right reason. */
export const CONTROL_RUNS = Math.max(100, Math.ceil(FUZZ_RUNS / 10));

function shorten(report: string): string {
  return report
    .split("\n")
    .map((line) => (line.length <= MAX_REPORT_LINE ? line : `${line.slice(0, MAX_REPORT_LINE)}… (${line.length - MAX_REPORT_LINE} more characters)`))
    .join("\n");
}

/** Checks an asynchronous property with the configured seed and runs; a failure names the seed and path to replay. */
export async function fuzz<Ts>(t: TestContext, property: fc.IAsyncProperty<Ts>, numRuns = FUZZ_RUNS): Promise<void> {
  const path = process.env["FUZZ_PATH"]?.trim();
  t.diagnostic(`fast-check seed ${FUZZ_SEED}, ${numRuns} runs (replay with FUZZ_SEED=${FUZZ_SEED})`);
  const details = await fc.check(property, { seed: FUZZ_SEED, numRuns, includeErrorInReport: true, ...(path ? { path } : {}) });
  if (!details.failed) return;
  let report: string;
  try {
    report = fc.defaultReportMessage(details) ?? "The property failed.";
  } catch {
    // fast-check prints values recursively: a counterexample thousands of levels deep overflows the stack.
    const error = details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance);
    report = `Property failed after ${details.numRuns} tests (the counterexample is too deep to print; replay it with the path below).\nGot ${error}`;
  }
  const replay = details.counterexamplePath === null ? "" : `\nReplay: FUZZ_SEED=${FUZZ_SEED} FUZZ_PATH=${details.counterexamplePath}`;
  throw new Error(shorten(report) + replay, { cause: details.errorInstance });
}
