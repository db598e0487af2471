/**
 * Invokes the pool's Lambda triggers as Cognito does: synchronously, 5 seconds per call, each
 * function warm in its own worker thread with its own environment. The answer becomes Cognito's:
 * - a thrown error → UserLambdaValidationException "<Trigger> failed with error <message>."
 *   (developer guide, "Customizing user pool workflows with Lambda triggers", error handling:
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html);
 * - no answer within 5 s → UnexpectedLambdaException "<Trigger> invocation failed due to error
 *   Socket timeout while invoking Lambda function." (reported: aws-amplify/amplify-js#4805 era
 *   reports, anomalyco/sst#1815), and the worker is replaced, as Lambda would start a fresh one;
 * - output that is not a JSON object → InvalidLambdaResponseException "Unrecognizable lambda output".
 */
import { FUNCTION_TIMEOUT, type FunctionSpec, FunctionWorker } from "../lambda/function-worker.ts";
import { CognitoError, unrecognizableLambdaOutput } from "./errors.ts";
import type { TriggerName } from "./pool-config.ts";

export type { FunctionSpec } from "../lambda/function-worker.ts";

/** Cognito waits this long for each trigger, and it cannot be configured. */
export const TRIGGER_TIMEOUT_MS = 5000;

/** One trigger invocation as the pool made it: which trigger, and the function (logical id) that served it. */
export interface TriggerInvocation {
  readonly trigger: TriggerName;
  readonly functionName: string;
  readonly triggerSource: string | undefined;
}

export class TriggerInvoker {
  readonly #workers = new Map<string, FunctionWorker>();

  constructor(
    private readonly functions: Partial<Record<TriggerName, FunctionSpec>>,
    readonly timeoutMs = TRIGGER_TIMEOUT_MS,
    /** Told of every invocation before it runs: tests see which function served each trigger. */
    private readonly onInvocation?: (invocation: TriggerInvocation) => void,
  ) {
    // One worker per function: a function serving two triggers shares its warm state between them.
    for (const spec of Object.values(functions)) {
      if (spec !== undefined && !this.#workers.has(spec.name)) this.#workers.set(spec.name, new FunctionWorker(spec, timeoutMs));
    }
  }

  has(trigger: TriggerName): boolean {
    return this.functions[trigger] !== undefined;
  }

  /** Runs the trigger and returns the event it answered with (a JSON object), or throws Cognito's error. */
  async invoke(trigger: TriggerName, event: Record<string, unknown>): Promise<Record<string, unknown>> {
    const spec = this.functions[trigger];
    if (spec === undefined) throw new CognitoError("InternalErrorException", `No function serves ${trigger}.`, 500);
    const worker = this.#workers.get(spec.name)!;
    const source = event["triggerSource"];
    this.onInvocation?.({ trigger, functionName: spec.name, triggerSource: typeof source === "string" ? source : undefined });
    let output: string;
    try {
      output = await worker.invoke(event);
    } catch (error) {
      if (error instanceof Error && error.message === FUNCTION_TIMEOUT) {
        throw new CognitoError("UnexpectedLambdaException", `${trigger} invocation failed due to error Socket timeout while invoking Lambda function.`);
      }
      const message = (error as { message?: unknown }).message;
      throw new CognitoError("UserLambdaValidationException", `${trigger} failed with error ${String(message)}.`);
    }
    const parsed: unknown = JSON.parse(output);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw unrecognizableLambdaOutput();
    return parsed as Record<string, unknown>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((worker) => worker.close()));
  }
}
