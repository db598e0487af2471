/**
 * The shape of bench/results.json and the table printed from it: every figure once, with its unit.
 */
import type { ModuleLoadResult } from "./anchor/module-load.ts";
import { printTable } from "./print-table.ts";
import type { BudgetResult } from "./budgets.ts";
import type { BundleSize } from "./bundle-sizes.ts";
import type { ColdStartResult } from "./cold-start.ts";
import { type MethodCost, PRICES } from "./cost.ts";
import type { LoadSettings, SignInLoadResult } from "./sign-in-load.ts";
import type { Usage } from "./sign-in-usage.ts";
import type { PasskeyPathBytes } from "./passkey-path-bytes.ts";
import type { MemorySizeResult } from "./memory-size.ts";
import type { SoakResult } from "./memory-soak.ts";
import type { ChainsResult } from "./sign-in-chains.ts";
import type { WarmResult } from "./warm-latency.ts";

export interface BenchResults {
  readonly quick: boolean;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGb: number;
    readonly node: string;
    readonly platform: string;
    readonly date: string;
  };
  readonly notes: readonly string[];
  readonly settings: { readonly coldStartRuns: number; readonly warm: { readonly warmup: number; readonly iterations: number }; readonly load: LoadSettings };
  readonly bundles: readonly BundleSize[];
  readonly coldStarts: readonly ColdStartResult[];
  /** Module load of each trigger beside the aws-samples solution's two builds, on Node 22 (issue 18). */
  readonly moduleLoad: ModuleLoadResult;
  /** Sign-in chains cold and warm, ours in both layouts beside the anchor's (issue 18). */
  readonly chains: ChainsResult;
  readonly memorySizes: MemorySizeResult;
  /** The files Verify loads for a passkey answer beyond a code answer's. */
  readonly passkeyPath: PasskeyPathBytes;
  readonly warm: readonly WarmResult[];
  /** Memory over a long warm life, one scenario per function (bench/memory-soak.ts). */
  readonly soak: readonly SoakResult[];
  readonly signIns: SignInLoadResult;
  readonly costs: readonly MethodCost[];
  readonly budgets: readonly BudgetResult[];
  readonly missed: readonly string[];
}

const METHOD_NAMES = {
  emailCode: "email code",
  passkey: "passkey",
  passkeyWithoutUsername: "passkey, no username",
  smsCode: "SMS code",
  emailCodeThenEnrolment: "email code, then passkey enrolment",
} as const;

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));
const usd = (value: number) => `$${value < 10 ? value.toFixed(3) : value.toFixed(2)}`;

function invocationsText(usage: Usage): string {
  const short: Record<string, string> = {
    DefineAuthChallenge: "D",
    CreateAuthChallenge: "C",
    VerifyAuthChallengeResponse: "V",
    PreTokenGeneration: "T",
    PreSignUp: "S",
  };
  return Object.entries(usage.invocations)
    .map(([trigger, count]) => `${short[trigger] ?? trigger}${num(count)}`)
    .join(" ");
}

function messagesText(usage: Usage): string {
  const notices = usage.passkeyNotices > 0 ? ` (${num(usage.passkeyNotices)} passkey notice)` : "";
  const parts = [usage.emails > 0 ? `${num(usage.emails)} email${notices}` : "", usage.sms > 0 ? `${num(usage.sms)} SMS (${num(usage.smsParts)} part)` : ""];
  return parts.filter(Boolean).join(", ") || "none";
}

function formatLimit(result: BudgetResult): string {
  if (result.limit === null) return "unknown";
  return result.unit === "bytes" ? `${result.limit} B` : `${num(result.limit)} ${result.unit}`;
}

function formatMeasured(result: BudgetResult): string {
  if (result.measured === null) return "not measured";
  return result.unit === "bytes" ? `${result.measured} B` : `${num(result.measured)} ${result.unit}`;
}

export function printResults(results: BenchResults): void {
  const { machine } = results;
  console.log(`Bench${results.quick ? " (QUICK: few iterations, rough figures)" : ""} — ${machine.date}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}`);

  printTable(
    "Bundles (dist/<function>/): index.mjs; + its static imports (every cold start loads these); + lazy chunks (deployed)",
    ["function", "index.mjs", "cold start", "gzip", "files", "deployed", "gzip", "files", "policy services", "SDK pkgs (cold)", "not used by policy"],
    results.bundles.map((bundle) => [
      bundle.function,
      kb(bundle.entryBytes),
      kb(bundle.coldStartBytes),
      kb(bundle.coldStartGzipBytes),
      String(bundle.coldStartFiles),
      kb(bundle.deployedBytes),
      kb(bundle.deployedGzipBytes),
      String(bundle.deployedFiles),
      bundle.awsServicesInPolicy.join(",") || "none",
      `${bundle.awsSdkPackages.length} (${bundle.awsSdkPackagesAtColdStart.length})`,
      bundle.unusedAwsSdkPackages.join(" ") || "—",
    ]),
  );

  const bare = results.coldStarts.find((result) => result.id === "bare-node");
  printTable(
    `Cold start: median of ${results.settings.coldStartRuns} fresh processes; import() + first invocation, minus a bare process (${ms(bare?.medianInProcessMs ?? 0, 3)})`,
    ["target", "cold start", "of it import", "process wall", "wall − bare", "first event / what"],
    results.coldStarts.map((result) => [
      result.id,
      ms(result.coldStartMs, 1),
      ms(result.medianImportMs, 1),
      ms(result.medianProcessMs, 1),
      ms(result.processOverBareMs, 1),
      result.title,
    ]),
    1,
  );

  printTable(
    `Warm invocations: ${results.settings.warm.iterations} per scenario after ${results.settings.warm.warmup}, one process each; memory after a full collection`,
    ["function / scenario", "p50", "p99", "max", "billed mean", "RSS after 1 → 1,000 → last", "heap after 1,000 → last"],
    results.warm.map((result) => [
      `${result.function} · ${result.title}`,
      ms(result.latencyMs.p50, 3),
      ms(result.latencyMs.p99, 3),
      ms(result.latencyMs.max, 3),
      ms(result.meanBilledMs, 2),
      `${result.memory.rssMb.afterFirst} → ${result.memory.rssMb.afterCheckpoint} → ${result.memory.rssMb.afterLast} MB`,
      `${result.memory.heapUsedMb.afterCheckpoint} → ${result.memory.heapUsedMb.afterLast} MB (${result.memory.heapGrowthAfterCheckpointKib >= 0 ? "+" : ""}${result.memory.heapGrowthAfterCheckpointKib} KiB)`,
    ]),
  );

  printTable(
    "Sign-ins through the local stack (SDK → Cognito-compatible endpoint → bundles → DynamoDB-compatible server, outbox)",
    ["method", "clients", "sign-ins", "sign-ins/s", "p50", "p99", "DDB r/w per sign-in", "invocations", "messages"],
    results.signIns.methods.flatMap((method) =>
      method.levels.map((level) => [
        METHOD_NAMES[method.method],
        String(level.clients),
        String(level.signIns),
        level.signInsPerSecond.toFixed(1),
        ms(level.latencyMs.p50, 1),
        ms(level.latencyMs.p99, 1),
        `${num(level.usagePerSignIn.dynamoReads)} / ${num(level.usagePerSignIn.dynamoWrites)}`,
        num(level.usagePerSignIn.lambdaInvocations),
        messagesText(level.usagePerSignIn),
      ]),
    ),
  );

  printTable(
    "What one sign-in costs (measured one at a time; D Define, C Create, V Verify, T PreTokenGeneration)",
    ["method", "app requests", "DDB reads", "DDB writes", "read units", "write units", "Lambda invocations", "messages", "same every time"],
    results.signIns.methods.map((method) => [
      METHOD_NAMES[method.method],
      num(method.perSignIn.appRequests),
      num(method.perSignIn.dynamoReads),
      num(method.perSignIn.dynamoWrites),
      num(method.perSignIn.readUnits),
      num(method.perSignIn.writeUnits),
      `${num(method.perSignIn.lambdaInvocations)} (${invocationsText(method.perSignIn)})`,
      messagesText(method.perSignIn),
      method.deterministic ? "yes" : `NO: ${method.variants.length} variants`,
    ]),
  );

  printTable(
    "Cost per 1 million sign-ins (USD; prices below)",
    ["method", "total", "Lambda requests", "Lambda GB-s", "DDB reads", "DDB writes", "API Gateway", "SES / SMS"],
    results.costs.map((cost) => [
      METHOD_NAMES[cost.method],
      usd(cost.usdPerMillionSignIns),
      usd(cost.usdPerMillionByLine.lambdaRequests),
      usd(cost.usdPerMillionByLine.lambdaCompute),
      usd(cost.usdPerMillionByLine.dynamoReads),
      usd(cost.usdPerMillionByLine.dynamoWrites),
      usd(cost.usdPerMillionByLine.apiGateway),
      usd(cost.usdPerMillionByLine.messages),
    ]),
  );
  console.log("Prices used (us-east-1 unless named; Cognito, CloudWatch Logs, data transfer and free tiers left out):");
  for (const price of Object.values(PRICES)) {
    const quantity = price.quantity === 1 ? "" : `${price.quantity.toLocaleString("en-US")} `;
    console.log(`  $${price.usd} per ${quantity}${price.per}\n      ${price.source}; read on ${price.readOn}`);
  }
  for (const cost of results.costs) {
    if (cost.unexpectedInvocations.length > 0)
      console.log(`  ${METHOD_NAMES[cost.method]}: unexpected invocations, billed at the mean of known paths: ${cost.unexpectedInvocations.join("; ")}`);
  }

  printTable(
    `Budgets${results.quick ? " (judged on a QUICK run)" : ""}`,
    ["", "budget", "measured", "limit"],
    results.budgets.map((result) => [result.ok ? "✓" : "✗", result.what, formatMeasured(result), formatLimit(result)]),
    2,
  );

  console.log("\nNotes:");
  for (const note of results.notes) console.log(`  - ${note}`);
  console.log("Results written to bench/results.json.");
}

/** The closing lines: every missed budget, or that all were met. */
export function printMissed(missed: readonly BudgetResult[], quick: boolean): void {
  const run = quick ? " (quick run)" : "";
  if (missed.length === 0) {
    console.log(`\nAll budgets met${run}.`);
    return;
  }
  console.log(`\n${missed.length} budget(s) missed${run}:`);
  for (const result of missed) console.log(`  ✗ ${result.what}: measured ${formatMeasured(result)}, limit ${formatLimit(result)}`);
}
