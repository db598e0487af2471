/**
 * MemorySize (issue 18): our cold sign-in chains with every execution environment given the share
 * of a CPU that Lambda gives a function of each memory size (bench/cpu-share.ts), interleaved round
 * by round, and the smallest size whose cold chains all stay within 10 % of 256 MB's (the size
 * template.yaml deploys). Lambda bills memory × duration, the Init phase included, so the table
 * also gives what a million cold chains cost in GB-seconds at each size.
 *
 * Sizes in 64 MB steps from Lambda's minimum (128 MB), and 512 MB for the other direction. Our
 * chains only: the anchor's ratios are taken at 256 MB (bench/sign-in-chains.ts).
 */
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { runtimeNode } from "./anchor/node22.ts";
import { PRICES } from "./cost.ts";
import { MB_PER_VCPU, openCpuShares } from "./cpu-share.ts";
import { printTable } from "./print-table.ts";
import type { PasskeyHolder } from "./realistic-events.ts";
import {
  CHAIN_METHODS,
  COMBINED_FOLDER,
  type ChainMethod,
  type ChainResult,
  OUR_LAYOUTS,
  type OurLayout,
  ourChain,
  ourPlacement,
  runChains,
} from "./sign-in-chains.ts";
import type { TemplateFunction } from "./template-functions.ts";

export const MEMORY_SIZES_MB = [128, 192, 256, 512] as const;
/** The size template.yaml deploys, against which the others are compared. */
export const DEPLOYED_MB = 256;
/** How much slower than 256 MB's a cold chain may be at a smaller size (issue 18). */
export const WITHIN = 0.1;

export interface MemorySizeChain {
  readonly layout: OurLayout;
  readonly method: ChainMethod;
  readonly coldMs: number;
  /** coldMs ÷ the same chain's at 256 MB, same run. */
  readonly overDeployed: number;
  /** GB-seconds Lambda bills for one cold chain: each call rounded up to the millisecond, times the size. */
  readonly gbSeconds: number;
  /** USD for a million such chains' compute (arm64 price; requests cost the same at every size). */
  readonly usdPerMillion: number;
  /** The chain's largest environment's resident set after the cold pass, in MB. */
  readonly rssAfterColdMb: number;
}

export interface MemorySizeRow {
  readonly memorySizeMb: number;
  /** Of one CPU. */
  readonly cpuFraction: number;
  readonly chains: readonly MemorySizeChain[];
  /** Every chain within 10 % of 256 MB's, and every environment's resident set inside the size. */
  readonly qualifies: boolean;
}

export type MemorySizeResult =
  | { readonly skipped: string }
  | {
      readonly node: string;
      readonly runs: number;
      readonly cpuShares: string;
      readonly rows: readonly MemorySizeRow[];
      /** The smallest size that qualifies (256 MB itself at worst). */
      readonly smallestWithinMb: number;
    };

const gbSecondUsd = PRICES.lambdaArmGbSecond.usd / PRICES.lambdaArmGbSecond.quantity;

export async function measureMemorySizes(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  holder: PasskeyHolder,
  runs: number,
  log: (line: string) => void,
): Promise<MemorySizeResult> {
  const shares = openCpuShares();
  if ("unavailable" in shares) return { skipped: shares.unavailable };
  const node = runtimeNode();
  try {
    const layouts = OUR_LAYOUTS.filter((layout) => layout !== "combined" || functions.some((fn) => fn.folder === COMBINED_FOLDER));
    const targets = MEMORY_SIZES_MB.flatMap((memorySizeMb) => {
      const share = shares.create(memorySizeMb);
      return layouts.flatMap((layout) =>
        CHAIN_METHODS.map((method) => {
          return ourChain(
            `${memorySizeMb}mb.${layout}.${method}`,
            layout,
            method,
            holder,
            ourPlacement(stack, template, functions, layout, memorySizeMb),
            share,
          );
        }),
      );
    });
    const chains = await runChains(targets, node.binary, { runs, warmPasses: 0 }, (round) =>
      log(`  memory sizes (${node.version}, ${shares.kind}): round ${round} of ${runs}`),
    );
    const found = (memorySizeMb: number, layout: OurLayout, method: ChainMethod): ChainResult =>
      chains.find((chain) => chain.id === `${memorySizeMb}mb.${layout}.${method}`)!;

    const rows = MEMORY_SIZES_MB.map((memorySizeMb): MemorySizeRow => {
      const rowChains = layouts.flatMap((layout) =>
        CHAIN_METHODS.map((method): MemorySizeChain => {
          const chain = found(memorySizeMb, layout, method);
          const billedMs = chain.calls.reduce((sum, call) => sum + Math.ceil(call.coldMs), 0);
          const gbSeconds = (billedMs / 1000) * (memorySizeMb / 1024);
          return {
            layout,
            method,
            coldMs: chain.coldMs,
            overDeployed: chain.coldMs / found(DEPLOYED_MB, layout, method).coldMs,
            gbSeconds,
            usdPerMillion: gbSeconds * gbSecondUsd * 1_000_000,
            rssAfterColdMb: chain.rssAfterColdMb,
          };
        }),
      );
      const qualifies = rowChains.every((chain) => chain.overDeployed <= 1 + WITHIN && chain.rssAfterColdMb < memorySizeMb);
      return { memorySizeMb, cpuFraction: memorySizeMb / MB_PER_VCPU, chains: rowChains, qualifies };
    });
    const smallestWithinMb = rows
      .filter((row) => row.memorySizeMb <= DEPLOYED_MB && row.qualifies)
      .reduce((least, row) => Math.min(least, row.memorySizeMb), DEPLOYED_MB);
    return { node: node.version, runs, cpuShares: shares.kind, rows, smallestWithinMb };
  } finally {
    shares.close();
  }
}

export function printMemorySizes(result: MemorySizeResult): void {
  if ("skipped" in result) {
    console.log(`\nMemory sizes: skipped, ${result.skipped}.`);
    return;
  }
  const name = (chain: MemorySizeChain) => `${chain.method === "passkey" ? "passkey" : "email code"}, ${chain.layout}`;
  printTable(
    `Memory sizes: our cold sign-in chains with each environment held to the CPU share Lambda gives the size (size ÷ ${MB_PER_VCPU} MB of one CPU, ${result.cpuShares} CPU quota; Node ${result.node}), median of ${result.runs} runs each, interleaved`,
    ["MemorySize", "CPU", "chain", "cold", "÷ 256 MB", "GB-s per chain", "USD per 1M chains", "largest RSS"],
    result.rows.flatMap((row) =>
      row.chains.map((chain) => [
        `${row.memorySizeMb} MB${row.qualifies ? "" : " ✗"}`,
        `${(row.cpuFraction * 100).toFixed(1)} %`,
        name(chain),
        `${chain.coldMs.toFixed(0)} ms`,
        `${chain.overDeployed.toFixed(2)}×`,
        chain.gbSeconds.toFixed(4),
        `$${chain.usdPerMillion.toFixed(2)}`,
        `${chain.rssAfterColdMb} MB`,
      ]),
    ),
  );
  console.log(
    `Smallest MemorySize whose cold chains all stay within ${WITHIN * 100} % of ${DEPLOYED_MB} MB's (and whose environments fit in it): ${result.smallestWithinMb} MB.`,
  );
}
