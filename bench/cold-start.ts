/**
 * Cold-start cost: for each target, the median over fresh Node processes of the time from just
 * before import() of its module to the end of its first invocation, minus the same median for a
 * bare process that imports nothing. Runs are interleaved (one of each target per round), so a
 * slow patch of the machine weighs on every target alike.
 *
 * Targets: the five built functions, each with the event a sign-in first sends it (Verify twice:
 * with a passkey answer and with a code answer, whose difference is what the passkey path costs,
 * the figure its budget is about), and the reference for that budget, a
 * straightforward import of @simplewebauthn/server: bundled alone with esbuild as the functions
 * are (minified ESM, platform node), and, for comparison, straight from node_modules.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { functionRuntime } from "./function-runtime.ts";
import {
  type LabelledEvent,
  type PasskeyHolder,
  checkResponse,
  createSelectMethod,
  defineSessionStates,
  preSignUp,
  preTokenForSignIn,
  verifyCodeAnswer,
  verifyPasskeyAnswer,
} from "./realistic-events.ts";
import { RUNNERS, runChild } from "./run-child.ts";
import { median } from "./stats.ts";
import { type TemplateFunction, templateFunction } from "./template-functions.ts";

const ROOT = resolve(import.meta.dirname, "..");
export const BARE_NODE = "bare-node";
export const SIMPLEWEBAUTHN_BUNDLED = "simplewebauthn-server";
export const SIMPLEWEBAUTHN_UNBUNDLED = "simplewebauthn-server-node-modules";

interface ColdTarget {
  readonly id: string;
  readonly title: string;
  readonly module: string | null;
  readonly exportName: string | null;
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** A fresh first event for each run; absent for an import alone. */
  readonly firstEvent?: () => LabelledEvent;
}

export interface ColdStartResult {
  readonly id: string;
  readonly title: string;
  readonly runs: number;
  /** Median of import() plus first invocation, inside the process. */
  readonly medianInProcessMs: number;
  readonly medianImportMs: number;
  /** The median above minus the bare process's: the cost the issue asks for. */
  readonly coldStartMs: number;
  /** Median from spawn to exit as the parent saw it, and the same minus the bare process's. */
  readonly medianProcessMs: number;
  readonly processOverBareMs: number;
}

interface ColdRunnerResult {
  readonly bootMs: number;
  readonly importMs: number;
  readonly totalMs: number;
  readonly response?: unknown;
}

/** @simplewebauthn/server alone, bundled the way scripts/build.mjs bundles a function. */
export async function bundleSimpleWebAuthn(outdir: string): Promise<string> {
  const outfile = join(outdir, "simplewebauthn-server.mjs");
  await build({
    stdin: { contents: 'export * from "@simplewebauthn/server";', resolveDir: ROOT, loader: "js" },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    mainFields: ["module", "main"],
    target: "node22",
    minify: true,
    legalComments: "none",
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    logLevel: "warning",
  });
  return outfile;
}

export interface ColdStartInputs {
  readonly passkeyHolder: PasskeyHolder;
  readonly userWithSignInRecord: string;
}

/** The id of Verify's second cold-start target: the same bundle, first answering a code. */
export const VERIFY_CODE_ANSWER = "verify-auth-challenge-response-code";

/** Target id → the function folder it starts and the first event it gets. */
const FIRST_EVENTS: Readonly<Record<string, { folder: string; event: (inputs: ColdStartInputs) => LabelledEvent }>> = {
  "define-auth-challenge": { folder: "define-auth-challenge", event: () => defineSessionStates()[0]! },
  "create-auth-challenge": { folder: "create-auth-challenge", event: () => createSelectMethod() },
  "verify-auth-challenge-response": { folder: "verify-auth-challenge-response", event: (inputs) => verifyPasskeyAnswer(inputs.passkeyHolder) },
  // Everything Verify loads and does for any answer, without the passkey path: subtracted from
  // the passkey cold start, it leaves what the passkey path itself costs (its budget).
  [VERIFY_CODE_ANSWER]: { folder: "verify-auth-challenge-response", event: () => verifyCodeAnswer(true) },
  "pre-sign-up": { folder: "pre-sign-up", event: () => preSignUp() },
  "pre-token-generation": { folder: "pre-token-generation", event: (inputs) => preTokenForSignIn(inputs.userWithSignInRecord) },
};

export async function measureColdStarts(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  inputs: ColdStartInputs,
  runs: number,
  log: (line: string) => void,
): Promise<ColdStartResult[]> {
  const scratch = mkdtempSync(join(tmpdir(), "bench-cold-"));
  try {
    const simpleWebAuthnBundle = await bundleSimpleWebAuthn(scratch);
    const importOnly = (id: string, title: string, module: string | null): ColdTarget => ({
      id,
      title,
      module,
      exportName: null,
      functionName: id,
      memorySizeMb: 256,
      environment: {},
    });
    const targets: ColdTarget[] = [
      importOnly(BARE_NODE, "bare Node process (imports nothing)", null),
      ...Object.entries(FIRST_EVENTS).map(([id, { folder, event: firstEvent }]): ColdTarget => {
        const runtime = functionRuntime(template, templateFunction(folder, functions).logicalId, stack);
        return {
          id,
          title: `first event: ${firstEvent(inputs).label}`,
          module: pathToFileURL(runtime.bundleFile).href,
          exportName: runtime.exportName,
          functionName: runtime.name,
          memorySizeMb: runtime.memorySizeMb,
          environment: runtime.environment,
          firstEvent: () => firstEvent(inputs),
        };
      }),
      importOnly(SIMPLEWEBAUTHN_BUNDLED, "import of @simplewebauthn/server, bundled alone", pathToFileURL(simpleWebAuthnBundle).href),
      importOnly(SIMPLEWEBAUTHN_UNBUNDLED, "import of @simplewebauthn/server from node_modules", "@simplewebauthn/server"),
    ];

    const samples = new Map(targets.map((target) => [target.id, [] as { result: ColdRunnerResult; wallMs: number }[]]));
    for (let round = 0; round < runs; round += 1) {
      for (const target of targets) {
        const first = target.firstEvent?.();
        const sample = await runChild<ColdRunnerResult>(
          RUNNERS.coldStart,
          {
            module: target.module,
            exportName: target.exportName,
            event: first?.event ?? null,
            functionName: target.functionName,
            memorySizeMb: target.memorySizeMb,
          },
          target.environment,
        );
        if (first !== undefined) {
          const problem = checkResponse(first.label, sample.result.response);
          if (problem !== undefined) throw new Error(`Cold start of ${target.id}: ${problem}`);
        }
        samples.get(target.id)!.push(sample);
      }
      log(`  cold starts: round ${round + 1} of ${runs}`);
    }

    const bare = samples.get(BARE_NODE)!;
    const bareInProcess = median(bare.map((sample) => sample.result.totalMs));
    const bareProcess = median(bare.map((sample) => sample.wallMs));
    return targets.map((target) => {
      const own = samples.get(target.id)!;
      const inProcess = median(own.map((sample) => sample.result.totalMs));
      const process = median(own.map((sample) => sample.wallMs));
      return {
        id: target.id,
        title: target.title,
        runs: own.length,
        medianInProcessMs: inProcess,
        medianImportMs: median(own.map((sample) => sample.result.importMs)),
        coldStartMs: inProcess - bareInProcess,
        medianProcessMs: process,
        processOverBareMs: process - bareProcess,
      };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
