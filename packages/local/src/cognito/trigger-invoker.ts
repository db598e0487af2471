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
import { Worker } from "node:worker_threads";
import { CognitoError, unrecognizableLambdaOutput } from "./errors.ts";
import type { TriggerName } from "./pool-config.ts";

/** Cognito waits this long for each trigger, and it cannot be configured. */
export const TRIGGER_TIMEOUT_MS = 5000;

export interface FunctionSpec {
  /** A name for logs and the Lambda context (the template's logical id). */
  readonly name: string;
  /** Absolute path of the built ESM bundle. */
  readonly file: string;
  readonly exportName: string;
  /** The complete environment of the function: nothing of this process's environment leaks in. */
  readonly environment: Readonly<Record<string, string>>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

interface WorkerResult {
  id: number;
  ok: boolean;
  result?: string;
  error?: { name: string; message: string };
}

class FunctionWorker {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(
    private readonly spec: FunctionSpec,
    private readonly timeoutMs: number,
  ) {}

  #start(): Worker {
    const worker = new Worker(new URL("./trigger-worker.mjs", import.meta.url), {
      env: { ...this.spec.environment },
      workerData: { file: this.spec.file, exportName: this.spec.exportName, functionName: this.spec.name, timeoutMs: this.timeoutMs },
      // Plain Node, like the Lambda runtime: no TypeScript loader inherited from this process.
      execArgv: [],
    });
    worker.on("message", (message: WorkerResult) => {
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(message.error);
    });
    worker.on("error", (error) => this.#fail(worker, { name: error.name, message: error.message }));
    worker.on("exit", () => this.#fail(worker, { name: "Error", message: "Runtime exited" }));
    worker.unref();
    return worker;
  }

  #fail(worker: Worker, error: { name: string; message: string }): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  invoke(event: unknown): Promise<string> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    const id = this.#nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error("timeout"));
        // A function that overran is abandoned with everything it was doing.
        if (this.#worker === worker) {
          this.#fail(worker, { name: "Error", message: "Socket timeout while invoking Lambda function" });
          void worker.terminate();
        }
      }, this.timeoutMs);
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      worker.postMessage({ id, event });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}

export class TriggerInvoker {
  readonly #workers = new Map<string, FunctionWorker>();

  constructor(
    private readonly functions: Partial<Record<TriggerName, FunctionSpec>>,
    readonly timeoutMs = TRIGGER_TIMEOUT_MS,
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
    let output: string;
    try {
      output = await worker.invoke(event);
    } catch (error) {
      if (error instanceof Error && error.message === "timeout") {
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
