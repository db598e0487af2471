/**
 * Sign-in chains (issue 18): the triggers of one sign-in as Cognito calls them, in order, each
 * in the execution environment (Node process, bench/chain-process.ts) its layout gives it, on the
 * runtime's Node. The first pass of a chain meets every environment cold, as a sign-in after idle
 * does: each function's first call pays for loading its code and its first use of an SDK client;
 * the passes after it, on the same environments, are the same sign-in warm.
 *
 * Measured beside the anchor's FIDO2 chain (bench/anchor/anchor-chain.ts) in both its best builds,
 * interleaved round by round, so every ratio is taken within one run. A chain's figure is the sum
 * of its calls' times inside their processes: Node's and Lambda's own start-up, paid once per
 * environment, is left out, which understates what one environment for every trigger saves.
 */
import { pathToFileURL } from "node:url";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { type AnchorBuild, type AnchoredFunction, buildAnchor } from "./anchor/build-anchor.ts";
import { checkAnchorResponse, prepareAnchorChain } from "./anchor/anchor-chain.ts";
import { runtimeNode } from "./anchor/node22.ts";
import { type ExecutionEnvironment, type Invocation, startExecutionEnvironment } from "./chain-process.ts";
import type { CpuShare } from "./cpu-share.ts";
import { functionRuntime } from "./function-runtime.ts";
import {
  type LabelledEvent,
  type PasskeyHolder,
  checkResponse,
  createEmailCodeRound,
  createSelectMethod,
  defineSessionStates,
  preTokenForSignIn,
  returningUser,
  verifyCodeAnswer,
  verifyMethodChoice,
  verifyPasskeyAnswer,
} from "./realistic-events.ts";
import { printTable } from "./print-table.ts";
import { mebibytes, median } from "./stats.ts";
import { type TemplateFunction, templateFunction } from "./template-functions.ts";

/** One call of a chain: which trigger, and its event, which may depend on earlier responses. */
export interface ChainStep {
  readonly fn: AnchoredFunction;
  readonly build: (earlier: readonly unknown[]) => LabelledEvent;
}

export const CHAIN_METHODS = ["passkey", "emailCode"] as const;
export type ChainMethod = (typeof CHAIN_METHODS)[number];

/** Our layouts: a function per trigger (the default), or one for all (TriggerLayout=Combined). */
export const OUR_LAYOUTS = ["separate", "combined"] as const;
export type OurLayout = (typeof OUR_LAYOUTS)[number];

/** The folder under dist/ of the function that serves every trigger in the combined layout. */
export const COMBINED_FOLDER = "sign-in-triggers";

/** Our chains, with fresh users where a method needs one (a code is sent to a new address each time). */
function ourSteps(method: ChainMethod, holder: PasskeyHolder): ChainStep[] {
  if (method === "passkey") {
    const user = returningUser(holder.email, holder.userName);
    const states = defineSessionStates(user);
    return [
      { fn: "define-auth-challenge", build: () => states[0]! },
      { fn: "create-auth-challenge", build: () => createSelectMethod(user) },
      { fn: "verify-auth-challenge-response", build: () => verifyPasskeyAnswer(holder) },
      { fn: "define-auth-challenge", build: () => states[4]! },
      { fn: "pre-token-generation", build: () => preTokenForSignIn(holder.userName) },
    ];
  }
  const user = returningUser();
  const states = defineSessionStates(user);
  return [
    { fn: "define-auth-challenge", build: () => states[0]! },
    { fn: "create-auth-challenge", build: () => createSelectMethod(user) },
    { fn: "verify-auth-challenge-response", build: () => verifyMethodChoice(user) },
    { fn: "define-auth-challenge", build: () => states[1]! },
    { fn: "create-auth-challenge", build: () => createEmailCodeRound(user) },
    { fn: "verify-auth-challenge-response", build: () => verifyCodeAnswer(true, user) },
    { fn: "define-auth-challenge", build: () => states[3]! },
    { fn: "pre-token-generation", build: () => preTokenForSignIn(user.userName) },
  ];
}

interface Placement {
  /** Calls with the same key share one execution environment. */
  readonly environmentKey: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly module: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly memorySizeMb: number;
}

interface ChainTarget {
  readonly id: string;
  readonly who: "ours" | "anchor";
  readonly layout: OurLayout | Exclude<AnchorBuild, "deployed">;
  readonly method: ChainMethod | "fido2";
  readonly steps: () => ChainStep[];
  readonly place: (fn: AnchoredFunction) => Placement;
  readonly check: (label: string, response: unknown) => string | undefined;
  /** The CPU share its environments get (bench/memory-size.ts); the whole machine without it. */
  readonly cpuShare?: CpuShare;
}

export interface ChainCall {
  readonly fn: AnchoredFunction;
  readonly label: string;
  /** Median over the runs of loading the function's code (0 once loaded) plus the call. */
  readonly coldMs: number;
  readonly warmMs: number;
}

export interface ChainResult {
  readonly id: string;
  readonly who: "ours" | "anchor";
  readonly layout: ChainTarget["layout"];
  readonly method: ChainTarget["method"];
  /** Execution environments one chain meets: one per function, or one for all. */
  readonly environments: number;
  readonly runs: number;
  /** Median over the runs of the whole chain, every environment cold. */
  readonly coldMs: number;
  /** Median over the runs of the same chain warm (the last of the warm passes of each run). */
  readonly warmMs: number;
  readonly calls: readonly ChainCall[];
  /** Largest resident set of the chain's environments after its cold pass, and after every warm pass. */
  readonly rssAfterColdMb: number;
  readonly rssAfterWarmMb: number;
}

export interface ChainsResult {
  readonly node: string;
  readonly runs: number;
  readonly warmPasses: number;
  readonly chains: readonly ChainResult[];
  /** Per our method and layout: our cold chain ÷ the anchor's best (faster) build's, and the same warm. */
  readonly ratios: readonly { readonly method: ChainMethod; readonly layout: OurLayout; readonly cold: number; readonly warm: number }[];
  /** Which of the anchor's builds was faster cold, so counts as its best. */
  readonly anchorBest: Exclude<AnchorBuild, "deployed">;
}

export function chainId(who: "ours" | "anchor", layout: string, method: string): string {
  return `${who}.${layout}.${method}`;
}

/** Where our functions run a chain's calls: one environment per function, or the combined one for all. */
export function ourPlacement(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  layout: OurLayout,
  memorySizeMb?: number,
): (fn: AnchoredFunction) => Placement {
  return (fn) => {
    const folder = layout === "combined" ? COMBINED_FOLDER : fn;
    const runtime = functionRuntime(template, templateFunction(folder, functions).logicalId, stack);
    return {
      environmentKey: folder,
      environment: runtime.environment,
      module: pathToFileURL(runtime.bundleFile).href,
      exportName: runtime.exportName,
      functionName: runtime.name,
      memorySizeMb: memorySizeMb ?? runtime.memorySizeMb,
    };
  };
}

/** Our chain of one method in one layout. */
export function ourChain(
  id: string,
  layout: OurLayout,
  method: ChainMethod,
  holder: PasskeyHolder,
  place: ChainTarget["place"],
  cpuShare?: CpuShare,
): ChainTarget {
  return {
    id,
    who: "ours",
    layout,
    method,
    steps: () => ourSteps(method, holder),
    place,
    check: checkResponse,
    ...(cpuShare === undefined ? {} : { cpuShare }),
  };
}

export async function measureChains(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  holder: PasskeyHolder,
  settings: { readonly runs: number; readonly warmPasses: number },
  log: (line: string) => void,
): Promise<ChainsResult> {
  const node = runtimeNode();
  const anchorBundles = await buildAnchor();
  const anchor = await prepareAnchorChain(stack.dynamoEndpoint, stack.config.region);
  const sdkEnvironment = functionRuntime(template, templateFunction("define-auth-challenge", functions).logicalId, stack).environment;
  // The anchor's functions get the AWS settings ours get (region, credentials, DynamoDB endpoint) and their own.
  const anchorEnvironment = {
    ...Object.fromEntries(Object.entries(sdkEnvironment).filter(([name]) => name.startsWith("AWS_"))),
    ...anchor.environment,
  };

  const hasCombined = functions.some((fn) => fn.folder === COMBINED_FOLDER);
  const targets: ChainTarget[] = [];
  for (const layout of OUR_LAYOUTS) {
    if (layout === "combined" && !hasCombined) continue;
    for (const method of CHAIN_METHODS)
      targets.push(ourChain(chainId("ours", layout, method), layout, method, holder, ourPlacement(stack, template, functions, layout)));
  }
  for (const build of ["best-esm", "best-cjs"] as const)
    targets.push({
      id: chainId("anchor", build, "fido2"),
      who: "anchor",
      layout: build,
      method: "fido2",
      steps: () => [...anchor.steps],
      place: (fn) => ({
        environmentKey: fn,
        environment: anchorEnvironment,
        module: pathToFileURL(anchorBundles[build][fn]).href,
        exportName: "handler",
        functionName: `anchor-${fn}`,
        memorySizeMb: 256,
      }),
      check: checkAnchorResponse,
    });

  const chains = await runChains(targets, node.binary, settings, (round) => log(`  sign-in chains (${node.version}): round ${round} of ${settings.runs}`));
  const byId = new Map(chains.map((chain) => [chain.id, chain]));
  const esm = byId.get(chainId("anchor", "best-esm", "fido2"))!;
  const cjs = byId.get(chainId("anchor", "best-cjs", "fido2"))!;
  const best = esm.coldMs <= cjs.coldMs ? esm : cjs;
  const ratios = chains
    .filter((chain) => chain.who === "ours")
    .map((chain) => ({
      method: chain.method as ChainMethod,
      layout: chain.layout as OurLayout,
      cold: chain.coldMs / best.coldMs,
      warm: chain.warmMs / best.warmMs,
    }));
  return {
    node: node.version,
    runs: settings.runs,
    warmPasses: settings.warmPasses,
    chains,
    ratios,
    anchorBest: best.layout as Exclude<AnchorBuild, "deployed">,
  };
}

/**
 * Runs every target's chain once per round, interleaved round by round: the first pass on fresh
 * environments (cold), then `warmPasses` more on the same ones (the last is the warm figure).
 */
export async function runChains(
  targets: readonly ChainTarget[],
  node: string,
  settings: { readonly runs: number; readonly warmPasses: number },
  roundDone: (round: number) => void,
): Promise<ChainResult[]> {
  type Pass = { label: string; fn: AnchoredFunction; ms: number }[];
  const samples = new Map(targets.map((target) => [target.id, { cold: [] as Pass[], warm: [] as Pass[], rssCold: [] as number[], rssWarm: [] as number[] }]));
  for (let round = 0; round < settings.runs; round += 1) {
    for (const target of targets) {
      const placements = new Map<AnchoredFunction, Placement>();
      for (const step of target.steps()) if (!placements.has(step.fn)) placements.set(step.fn, target.place(step.fn));
      const environments = new Map<string, ExecutionEnvironment>();
      try {
        for (const placement of placements.values())
          if (!environments.has(placement.environmentKey))
            environments.set(placement.environmentKey, await startExecutionEnvironment(node, placement.environment, target.cpuShare));
        const runPass = async (): Promise<{ pass: Pass; rss: number }> => {
          const pass: Pass = [];
          const responses: unknown[] = [];
          let rss = 0;
          for (const step of target.steps()) {
            const { label, event } = step.build(responses);
            const placement = placements.get(step.fn)!;
            const invocation: Invocation = { ...placement, event };
            const result = await environments.get(placement.environmentKey)!.invoke(invocation);
            const problem = target.check(label, result.response);
            if (problem !== undefined) throw new Error(`Chain ${target.id}, ${step.fn}: ${problem}`);
            responses.push(result.response);
            pass.push({ label, fn: step.fn, ms: result.loadMs + result.invokeMs });
            rss = Math.max(rss, result.rssBytes);
          }
          return { pass, rss };
        };
        const own = samples.get(target.id)!;
        const cold = await runPass();
        own.cold.push(cold.pass);
        own.rssCold.push(cold.rss);
        let warm = cold;
        for (let pass = 0; pass < settings.warmPasses; pass += 1) warm = await runPass();
        own.warm.push(warm.pass);
        own.rssWarm.push(warm.rss);
      } finally {
        await Promise.all([...environments.values()].map((environment) => environment.close()));
      }
    }
    roundDone(round + 1);
  }

  const total = (pass: Pass) => pass.reduce((sum, call) => sum + call.ms, 0);
  return targets.map((target): ChainResult => {
    const own = samples.get(target.id)!;
    const steps = own.cold[0]!;
    return {
      id: target.id,
      who: target.who,
      layout: target.layout,
      method: target.method,
      environments: new Set(steps.map((call) => target.place(call.fn).environmentKey)).size,
      runs: own.cold.length,
      coldMs: median(own.cold.map(total)),
      warmMs: median(own.warm.map(total)),
      calls: steps.map((call, index) => ({
        fn: call.fn,
        label: call.label,
        coldMs: median(own.cold.map((pass) => pass[index]!.ms)),
        warmMs: median(own.warm.map((pass) => pass[index]!.ms)),
      })),
      rssAfterColdMb: mebibytes(median(own.rssCold)),
      rssAfterWarmMb: mebibytes(median(own.rssWarm)),
    };
  });
}

export function printChains(result: ChainsResult): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const name = (chain: ChainResult) =>
    chain.who === "anchor"
      ? `anchor, FIDO2, best build ${chain.layout === "best-esm" ? "ESM" : "CJS"}`
      : `ours, ${chain.method === "passkey" ? "passkey" : "email code"}, ${chain.layout}`;
  const header = ["chain", "envs", "cold", "warm", "cold ÷ anchor", "warm ÷ anchor", "RSS cold → warm"];
  const best = result.chains.find((chain) => chain.who === "anchor" && chain.layout === result.anchorBest)!;
  const rows = result.chains.map((chain) => [
    name(chain),
    String(chain.environments),
    ms(chain.coldMs),
    ms(chain.warmMs),
    `${(chain.coldMs / best.coldMs).toFixed(2)}×`,
    `${(chain.warmMs / best.warmMs).toFixed(2)}×`,
    `${chain.rssAfterColdMb} → ${chain.rssAfterWarmMb} MB`,
  ]);
  printTable(
    `Sign-in chains as Cognito calls the triggers (Node ${result.node}): median over ${result.runs} runs of the chain with every execution environment cold, and of the same chain warm (after ${result.warmPasses} warm passes)`,
    header,
    rows,
  );
  console.log("\nEach call of each chain, cold (code loaded on the function's first call) and warm:");
  for (const chain of result.chains)
    console.log(
      `  ${name(chain)}: ${chain.calls.map((call) => `${call.fn.replace(/-.*/, "")} ${call.coldMs.toFixed(1)}/${call.warmMs.toFixed(1)}`).join(" → ")} ms`,
    );
}
