/**
 * One Lambda function kept warm in its own worker thread (function-worker.mjs) with its own
 * environment, invoked synchronously with a deadline, as Lambda runs a warm execution environment.
 * The Cognito triggers (cognito/trigger-invoker.ts) and the HTTP API's functions
 * (http-api/) both run their built bundles through it; each turns a failure into its own
 * service's answer.
 */
import { Worker } from "node:worker_threads";

export interface FunctionSpec {
  /** A name for logs and the Lambda context (the template's logical id). */
  readonly name: string;
  /** Absolute path of the built ESM bundle. */
  readonly file: string;
  readonly exportName: string;
  /** The complete environment of the function: nothing of this process's environment leaks in. */
  readonly environment: Readonly<Record<string, string>>;
}

/** How an invocation failed: the handler threw (its error's name and message), or it overran its deadline. */
export type FunctionFailure = { readonly name: string; readonly message: string };

/** The message an invocation is rejected with when the function did not answer in time. */
export const FUNCTION_TIMEOUT = "timeout";

interface Pending {
  resolve(value: string): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

interface WorkerResult {
  id: number;
  ok: boolean;
  result?: string;
  error?: FunctionFailure;
}

export class FunctionWorker {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(
    private readonly spec: FunctionSpec,
    private readonly timeoutMs: number,
  ) {}

  #start(): Worker {
    const worker = new Worker(new URL("./function-worker.mjs", import.meta.url), {
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
      if (message.ok) pending.resolve(message.result ?? "null");
      else pending.reject(message.error);
    });
    worker.on("error", (error) => this.#fail(worker, { name: error.name, message: error.message }));
    worker.on("exit", () => this.#fail(worker, { name: "Error", message: "Runtime exited" }));
    worker.unref();
    return worker;
  }

  #fail(worker: Worker, error: FunctionFailure): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  /**
   * The function's answer as JSON text. Rejects with the handler's error ({ name, message }), or
   * with Error(FUNCTION_TIMEOUT) when it overran: then the worker is abandoned, and the next call
   * starts a fresh one, as Lambda would.
   */
  invoke(event: unknown): Promise<string> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    const id = this.#nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(FUNCTION_TIMEOUT));
        // A function that overran is abandoned with everything it was doing.
        if (this.#worker === worker) {
          this.#fail(worker, { name: "Error", message: "Socket timeout while invoking Lambda function" });
          void worker.terminate();
        }
      }, this.timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, event });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}
