/**
 * Memory over a long warm life (issue 18: "no growth"): one scenario per function, each in one
 * warm process for 10,000 invocations (4,000 in a quick run), the JS heap and the resident set
 * read after a full collection every 1,000. What is judged is the heap's growth over the second
 * half of the run: a warm environment serves thousands of events before Lambda recycles it, and
 * state kept per event (a cache without a bound, a listener added per call) grows it in proportion
 * to the count. Early growth is not state: V8 keeps type feedback and optimised code for the paths
 * it has run, and the SDK fills its bounded caches (endpoints, 50 entries), so the heap climbs for
 * a few thousand invocations and then holds.
 *
 * The runner keeps the duration and response of the last invocation only (warmup is all but one),
 * so its own arrays do not grow with the count (two arrays of 10,000 entries are ≈ 120 KiB).
 * Registration answers are left out: each needs a user of its own with no passkey.
 */
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { SOAK_SCENARIOS } from "./budgets.ts";
import { printTable } from "./print-table.ts";
import { mebibytes } from "./stats.ts";
import type { TemplateFunction } from "./template-functions.ts";
import { type WarmScenario, runWarmScenario } from "./warm-latency.ts";

export interface SoakSettings {
  readonly invocations: number;
  readonly every: number;
}

export interface SoakResult {
  readonly id: string;
  readonly function: string;
  readonly invocations: number;
  /** After every `every` invocations: how many, the heap in use (KiB) and the resident set (MB). */
  readonly readings: readonly { readonly invocations: number; readonly heapKib: number; readonly rssMb: number }[];
  /** Heap in use after the last invocation minus at half the run, in KiB. */
  readonly heapGrowthSecondHalfKib: number;
}

type Reading = SoakResult["readings"][number];

/** The reading taken after `invocations` invocations (each is a multiple of `every`, the last included). */
function readingAt(result: Pick<SoakResult, "id" | "readings">, invocations: number): Reading {
  const reading = result.readings.find((candidate) => candidate.invocations === invocations);
  if (reading === undefined) throw new Error(`Soak ${result.id}: no reading after ${invocations} invocations.`);
  return reading;
}

const signedKib = (kib: number) => `${kib >= 0 ? "+" : ""}${kib} KiB`;

export async function measureMemorySoak(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  scenarios: readonly WarmScenario[],
  settings: SoakSettings,
  log: (line: string) => void,
): Promise<SoakResult[]> {
  if (settings.invocations % (2 * settings.every) !== 0)
    throw new Error(`Soak: ${settings.invocations} invocations should be an even number of ${settings.every}s.`);
  const results: SoakResult[] = [];
  for (const id of SOAK_SCENARIOS) {
    const scenario = scenarios.find((candidate) => candidate.id === id);
    if (scenario === undefined) throw new Error(`Soak: no warm scenario ${id}.`);
    const run = await runWarmScenario(stack, template, functions, scenario, {
      warmup: settings.invocations - 1,
      iterations: 1,
      memoryEvery: settings.every,
    });
    const readings = run.curve.map((reading) => ({
      invocations: reading.invocations,
      heapKib: Math.round(reading.heapUsedBytes / 1024),
      rssMb: mebibytes(reading.rssBytes),
    }));
    const heapGrowthSecondHalfKib = readingAt({ id, readings }, settings.invocations).heapKib - readingAt({ id, readings }, settings.invocations / 2).heapKib;
    results.push({ id, function: scenario.function, invocations: settings.invocations, readings, heapGrowthSecondHalfKib });
    log(
      `  soak ${id}: heap ${readings.map((reading) => reading.heapKib).join(" → ")} KiB every ${settings.every}; second half ${signedKib(heapGrowthSecondHalfKib)}`,
    );
  }
  return results;
}

export function printMemorySoak(results: readonly SoakResult[]): void {
  if (results.length === 0) return;
  const { invocations } = results[0]!;
  const half = invocations / 2;
  const first = (result: SoakResult) => result.readings[0]!;
  printTable(
    `Memory over ${invocations.toLocaleString("en")} warm invocations, read after a full collection (JS heap in use; resident set)`,
    [
      "scenario",
      `heap at ${first(results[0]!).invocations.toLocaleString("en")}`,
      `at ${half.toLocaleString("en")}`,
      `at ${invocations.toLocaleString("en")}`,
      "second half",
      "RSS",
    ],
    results.map((result) => [
      result.id,
      `${(first(result).heapKib / 1024).toFixed(1)} MB`,
      `${(readingAt(result, half).heapKib / 1024).toFixed(1)} MB`,
      `${(readingAt(result, invocations).heapKib / 1024).toFixed(1)} MB`,
      signedKib(result.heapGrowthSecondHalfKib),
      `${first(result).rssMb} → ${readingAt(result, invocations).rssMb} MB`,
    ]),
  );
}
