/**
 * Module load beside the anchor (issue 18): for each trigger, the median over fresh Node 22
 * processes of import() of its bundle alone, ours (with the environment template.yaml gives it,
 * since it reads its configuration as it loads) and the anchor's in its three builds
 * (build-anchor.ts). Runs are interleaved, one of every target per round, so a slow patch of the
 * machine weighs on all alike; the ratio ours ÷ the anchor's best build is taken within the run.
 * Module load is what is paid before the first event; what the first event costs is in the
 * cold-start table.
 */
import { pathToFileURL } from "node:url";
import { localFunctionRuntime } from "@cognito-passwordless/local/function-runtime.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { RUNNERS, runChild } from "../run-child.ts";
import { printTable } from "../print-table.ts";
import { median } from "../stats.ts";
import { type TemplateFunction, templateFunction } from "../template-functions.ts";
import { ANCHOR_BUILDS, ANCHOR_HANDLERS, type AnchorBuild, type AnchoredFunction, buildAnchor } from "./build-anchor.ts";
import { runtimeNode } from "./node22.ts";

export interface ModuleLoadRow {
  readonly function: AnchoredFunction;
  /** Median import() milliseconds of our bundle. */
  readonly oursMs: number;
  readonly anchorMs: Readonly<Record<AnchorBuild, number>>;
  /** The faster of the anchor's two best builds, and which it was. */
  readonly anchorBestMs: number;
  readonly anchorBestBuild: Exclude<AnchorBuild, "deployed">;
  /** oursMs ÷ anchorBestMs, within this run. */
  readonly oursOverBest: number;
  readonly oursOverDeployed: number;
}

export interface ModuleLoadResult {
  /** Which Node ran the processes, e.g. v22.23.5. */
  readonly node: string;
  /** Processes per target. */
  readonly runs: number;
  readonly rows: readonly ModuleLoadRow[];
}

interface Target {
  readonly fn: AnchoredFunction;
  readonly who: "ours" | AnchorBuild;
  readonly module: string;
  readonly environment: Readonly<Record<string, string>>;
}

/** Nothing is called while a module loads: the endpoints only have to be well formed. */
const NO_SERVERS = {
  region: "us-east-1",
  tableName: "bench-module-load",
  dynamoEndpoint: "http://127.0.0.1:9",
  webUrl: "http://127.0.0.1:9",
  cognitoEndpoint: "http://127.0.0.1:9",
  userPoolId: "us-east-1_Bench0000",
  clientId: "benchclient0000000000000000",
};

export async function measureModuleLoad(
  template: Template,
  functions: readonly TemplateFunction[],
  parameters: Readonly<Record<string, string>>,
  runs: number,
  log: (line: string) => void,
): Promise<ModuleLoadResult> {
  const node = runtimeNode();
  const anchor = await buildAnchor();
  const targets: Target[] = [];
  for (const fn of Object.keys(ANCHOR_HANDLERS) as AnchoredFunction[]) {
    const runtime = localFunctionRuntime(template, templateFunction(fn, functions).logicalId, NO_SERVERS, parameters);
    targets.push({ fn, who: "ours", module: pathToFileURL(runtime.bundleFile).href, environment: runtime.environment });
    // The anchor's handlers read their settings on first use; the region is all the SDK wants at load.
    for (const build of ANCHOR_BUILDS)
      targets.push({ fn, who: build, module: pathToFileURL(anchor[build][fn]).href, environment: { AWS_REGION: "us-east-1" } });
  }

  const samples = new Map(targets.map((target) => [target, [] as number[]]));
  for (let round = 0; round < runs; round += 1) {
    for (const target of targets) {
      const job = { module: target.module, exportName: null, event: null, functionName: target.fn, memorySizeMb: 256 };
      const { result } = await runChild<{ importMs: number }>(RUNNERS.coldStart, job, target.environment, node.binary);
      samples.get(target)!.push(result.importMs);
    }
    log(`  module load beside the anchor (${node.version}): round ${round + 1} of ${runs}`);
  }

  const medianOf = (fn: AnchoredFunction, who: Target["who"]) => median(samples.get(targets.find((t) => t.fn === fn && t.who === who)!)!);
  const rows = (Object.keys(ANCHOR_HANDLERS) as AnchoredFunction[]).map((fn): ModuleLoadRow => {
    const anchorMs = Object.fromEntries(ANCHOR_BUILDS.map((build) => [build, medianOf(fn, build)])) as Record<AnchorBuild, number>;
    const anchorBestBuild = anchorMs["best-esm"] <= anchorMs["best-cjs"] ? "best-esm" : "best-cjs";
    const oursMs = medianOf(fn, "ours");
    return {
      function: fn,
      oursMs,
      anchorMs,
      anchorBestMs: anchorMs[anchorBestBuild],
      anchorBestBuild,
      oursOverBest: oursMs / anchorMs[anchorBestBuild],
      oursOverDeployed: oursMs / anchorMs.deployed,
    };
  });
  return { node: node.version, runs, rows };
}

export function printModuleLoad(result: ModuleLoadResult): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const header = ["trigger", "anchor as deployed", "anchor, best build", "ours", "ours ÷ best", "ours ÷ deployed"];
  const rows = result.rows.map((row) => [
    row.function,
    ms(row.anchorMs.deployed),
    `${ms(row.anchorBestMs)} (${row.anchorBestBuild === "best-esm" ? "ESM" : "CJS"})`,
    ms(row.oursMs),
    `${row.oursOverBest.toFixed(2)}×`,
    `${row.oursOverDeployed.toFixed(2)}×`,
  ]);
  printTable(
    `Module load beside the aws-samples solution (amazon-cognito-passwordless-auth 0.17.0): median import() of each bundle, ${result.runs} fresh processes per target, interleaved, on Node ${result.node}`,
    header,
    rows,
  );
}
