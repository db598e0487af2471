/**
 * Warm invocation latency: per scenario, one process imports a function's bundle once and invokes
 * it with a long run of realistic events (bench/realistic-events.ts), as a warm Lambda execution
 * environment would; DynamoDB is the local stack's DynamoDB-compatible server and SES/SNS its
 * outbox. Each function runs with its template environment, rate limits included: the code-round
 * scenario gives every invocation a fresh user and address, so none is ever reached. The
 * registration-answer scenario gives each invocation a user of the local pool with no passkey
 * yet (made beforehand), so each answer stores a first passkey, sends its notice and caches its key.
 */
import { pathToFileURL } from "node:url";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { functionRuntime } from "./function-runtime.ts";
import { checkKeyCached } from "./prepare-fixtures.ts";
import {
  type EnrolmentInputs,
  type LabelledEvent,
  type PasskeyHolder,
  checkResponse,
  createEmailCodeRound,
  createRegistrationRound,
  createSelectMethod,
  defineEnrolmentStates,
  defineSessionStates,
  preSignUp,
  preTokenForSignIn,
  verifyCodeAnswer,
  verifyCodeAnswerBeforeEnrolment,
  passkeySignInChallenge,
  verifyMethodChoice,
  verifyPasskeyAnswer,
  verifyRegistrationAnswer,
} from "./realistic-events.ts";
import { RUNNERS, runChild } from "./run-child.ts";
import { type LatencySummary, meanBilledMs, mebibytes, summarise } from "./stats.ts";
import { type TemplateFunction, templateFunction } from "./template-functions.ts";

export interface WarmScenario {
  /** `<function>` or `<function>/<variant>`; the Define one is what its budget reads. */
  readonly id: string;
  /** The dist/ folder of the function. */
  readonly function: string;
  readonly title: string;
  events(count: number): LabelledEvent[];
  /** Emails each event must send (a code, a passkey notice): the run fails if the outbox got another count. */
  readonly emailsPerEvent?: number;
  /** A check of what the events left behind, once they have all run: a message when it is wrong. */
  afterwards?(stack: LocalStack, events: number): Promise<string | undefined>;
}

export interface WarmResult {
  readonly id: string;
  readonly function: string;
  readonly title: string;
  readonly latencyMs: LatencySummary;
  /** Mean duration Lambda would bill per invocation: each rounded up to the millisecond. */
  readonly meanBilledMs: number;
  readonly byLabel: Readonly<Record<string, { readonly latencyMs: LatencySummary; readonly meanBilledMs: number }>>;
  /**
   * The process's memory after its first invocation, after its 1,000th (fewer in a quick run) and after its last (warm-up
   * included), each after a full collection, in MB: the resident set, and the JS heap in use (what
   * a leak grows; the resident set also keeps compiled code and allocator pages once touched).
   */
  readonly memory: WarmMemory;
}

export interface WarmMemory {
  readonly invocations: number;
  /** After how many invocations the middle reading was taken: 1,000 (fewer in a quick run). */
  readonly checkpoint: number;
  readonly rssMb: MemoryPoints;
  readonly heapUsedMb: MemoryPoints;
  /** JS heap in use after the last invocation minus after the checkpoint, in KiB: ≈ 0 when nothing leaks. */
  readonly heapGrowthAfterCheckpointKib: number;
}

interface MemoryPoints {
  readonly afterFirst: number;
  readonly afterCheckpoint: number;
  readonly afterLast: number;
}

export interface WarmInputs {
  /** A user with a passkey enrolled through the real flow, for Verify's passkey answers. */
  readonly passkeyHolder: PasskeyHolder;
  /** A user whose sign-in record is in the table, for PreTokenGeneration. */
  readonly userWithSignInRecord: string;
  /** Users of the pool with no passkey, at least one per registration answer (warmup included). */
  readonly enrolment: EnrolmentInputs;
}

const repeat = (count: number, make: (index: number) => LabelledEvent) => Array.from({ length: count }, (_, index) => make(index));

export function warmScenarios(inputs: WarmInputs): WarmScenario[] {
  return [
    {
      id: "define-auth-challenge",
      function: "define-auth-challenge",
      title: "session states, round robin",
      events: (count) => {
        const states = defineSessionStates();
        return repeat(count, (index) => states[index % states.length]!);
      },
    },
    {
      id: "create-auth-challenge/select-method",
      function: "create-auth-challenge",
      title: "SELECT_METHOD round",
      events: (count) => repeat(count, () => createSelectMethod()),
    },
    {
      id: "create-auth-challenge/email-code-round",
      function: "create-auth-challenge",
      title: "email code round (UpdateItem + SES)",
      events: (count) => repeat(count, () => createEmailCodeRound()),
      emailsPerEvent: 1,
    },
    {
      id: "verify-auth-challenge-response/code-answer",
      function: "verify-auth-challenge-response",
      title: "code answer, correct / wrong",
      events: (count) => repeat(count, (index) => verifyCodeAnswer(index % 2 === 0)),
    },
    {
      id: "verify-auth-challenge-response/method-choice",
      function: "verify-auth-challenge-response",
      title: "method choice (not a factor)",
      events: (count) => repeat(count, () => verifyMethodChoice()),
    },
    {
      id: "verify-auth-challenge-response/passkey-assertion",
      function: "verify-auth-challenge-response",
      title: "passkey assertion",
      events: (count) => repeat(count, () => verifyPasskeyAnswer(inputs.passkeyHolder)),
    },
    {
      id: "passkeys-api/sign-in-challenge",
      function: "passkeys-api",
      title: "POST /passkeys/challenge (one PutItem)",
      events: (count) => repeat(count, passkeySignInChallenge),
    },
    {
      id: "define-auth-challenge/enrolment",
      function: "define-auth-challenge",
      title: "enrolment session states, round robin",
      events: (count) => {
        const states = defineEnrolmentStates();
        return repeat(count, (index) => states[index % states.length]!);
      },
    },
    {
      id: "create-auth-challenge/passkey-registration-round",
      function: "create-auth-challenge",
      title: "PASSKEY_REGISTRATION round (Query + creation options)",
      events: (count) => repeat(count, createRegistrationRound),
    },
    {
      id: "verify-auth-challenge-response/code-answer-before-enrolment",
      function: "verify-auth-challenge-response",
      title: "correct code, enrolment follows",
      events: (count) => repeat(count, verifyCodeAnswerBeforeEnrolment),
    },
    {
      id: "verify-auth-challenge-response/passkey-registration",
      function: "verify-auth-challenge-response",
      title: "passkey registration (stored, notice email, key cached)",
      events: (count) => {
        const { users } = inputs.enrolment;
        if (users.length < count) throw new Error(`${count} registration answers need as many users with no passkey; ${users.length} were made.`);
        return repeat(count, (index) => verifyRegistrationAnswer(inputs.enrolment, users[index]!));
      },
      emailsPerEvent: 1,
      afterwards: (stack, events) => checkKeyCached(stack, inputs.enrolment, events),
    },
    { id: "pre-sign-up", function: "pre-sign-up", title: "sign-up", events: (count) => repeat(count, preSignUp) },
    {
      id: "pre-token-generation",
      function: "pre-token-generation",
      title: "sign-in with a record (V2 event)",
      events: (count) => repeat(count, () => preTokenForSignIn(inputs.userWithSignInRecord)),
    },
  ];
}

export interface WarmRunnerResult {
  readonly labels: string[];
  readonly durationsMs: number[];
  readonly responses: Record<string, unknown>;
  readonly memory: Readonly<Record<keyof MemoryPoints, MemoryReading>>;
  readonly checkpoint: number;
  readonly invocations: number;
  /** With `memoryEvery`: the reading after every that many invocations. */
  readonly curve: readonly (MemoryReading & { readonly invocations: number })[];
}

interface MemoryReading {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/**
 * One scenario's events in one warm process (bench/runners/warm-runner.mjs), with the function's
 * template environment, and the checks that it did the work: every reported label's first
 * response, the emails it had to send, what it had to leave behind. Throws when one fails.
 */
export async function runWarmScenario(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  scenario: WarmScenario,
  counts: { readonly warmup: number; readonly iterations: number; readonly memoryEvery?: number },
): Promise<WarmRunnerResult> {
  const runtime = functionRuntime(template, templateFunction(scenario.function, functions).logicalId, stack);
  const events = scenario.events(counts.warmup + counts.iterations);
  const emailsBefore = stack.outbox.list().filter((message) => message.channel === "email").length;
  const { result } = await runChild<WarmRunnerResult>(
    RUNNERS.warm,
    {
      module: pathToFileURL(runtime.bundleFile).href,
      exportName: runtime.exportName,
      functionName: runtime.name,
      memorySizeMb: runtime.memorySizeMb,
      warmup: counts.warmup,
      events: events.map(({ label, event }) => ({ label, event: JSON.stringify(event) })),
      ...(counts.memoryEvery === undefined ? {} : { memoryEvery: counts.memoryEvery }),
    },
    runtime.environment,
    process.execPath,
    // Lets the runner collect garbage before it reads the process's memory (never inside a timing).
    ["--expose-gc"],
  );
  for (const [label, response] of Object.entries(result.responses)) {
    const problem = checkResponse(label, response);
    if (problem !== undefined) throw new Error(`Warm ${scenario.id}: ${problem}`);
  }
  if (scenario.emailsPerEvent !== undefined) {
    const sent = stack.outbox.list().filter((message) => message.channel === "email").length - emailsBefore;
    const expected = events.length * scenario.emailsPerEvent;
    if (sent !== expected) throw new Error(`Warm ${scenario.id}: ${events.length} events sent ${sent} emails, ${expected} expected.`);
  }
  const problem = await scenario.afterwards?.(stack, events.length);
  if (problem !== undefined) throw new Error(`Warm ${scenario.id}: ${problem}`);
  return result;
}

export async function measureWarmLatency(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  scenarios: readonly WarmScenario[],
  counts: { readonly warmup: number; readonly iterations: number },
  log: (line: string) => void,
): Promise<WarmResult[]> {
  const results: WarmResult[] = [];
  for (const scenario of scenarios) {
    const result = await runWarmScenario(stack, template, functions, scenario, counts);
    const byLabel: Record<string, { latencyMs: LatencySummary; meanBilledMs: number }> = {};
    for (const label of new Set(result.labels)) {
      const durations = result.durationsMs.filter((_, index) => result.labels[index] === label);
      byLabel[label] = { latencyMs: summarise(durations), meanBilledMs: meanBilledMs(durations) };
    }
    const latencyMs = summarise(result.durationsMs);
    const points = (read: (point: MemoryReading) => number): MemoryPoints => ({
      afterFirst: mebibytes(read(result.memory.afterFirst)),
      afterCheckpoint: mebibytes(read(result.memory.afterCheckpoint)),
      afterLast: mebibytes(read(result.memory.afterLast)),
    });
    const memory: WarmMemory = {
      invocations: result.invocations,
      checkpoint: result.checkpoint,
      rssMb: points((point) => point.rssBytes),
      heapUsedMb: points((point) => point.heapUsedBytes),
      heapGrowthAfterCheckpointKib: Math.round((result.memory.afterLast.heapUsedBytes - result.memory.afterCheckpoint.heapUsedBytes) / 1024),
    };
    results.push({
      id: scenario.id,
      function: scenario.function,
      title: scenario.title,
      latencyMs,
      meanBilledMs: meanBilledMs(result.durationsMs),
      byLabel,
      memory,
    });
    log(
      `  warm ${scenario.id}: p50 ${latencyMs.p50.toFixed(3)} ms, p99 ${latencyMs.p99.toFixed(3)} ms over ${latencyMs.count}; RSS ${memory.rssMb.afterFirst} → ${memory.rssMb.afterCheckpoint} → ${memory.rssMb.afterLast} MB, heap ${memory.heapUsedMb.afterFirst} → ${memory.heapUsedMb.afterCheckpoint} → ${memory.heapUsedMb.afterLast} MB after 1, ${memory.checkpoint} and ${memory.invocations} invocations`,
    );
  }
  return results;
}
