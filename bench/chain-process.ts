/**
 * The parent's side of bench/runners/chain-process.mjs: starts one execution environment (a Node
 * process with exactly the environment given, a function's own), sends it invocations one at a
 * time and reads back their timings. Started before its chain begins, so Node's own start-up is
 * outside every figure, as Lambda's runtime start is outside what the handler code decides.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type CpuShare, inShare } from "./cpu-share.ts";

const RUNNER = fileURLToPath(new URL("./runners/chain-process.mjs", import.meta.url));

export interface Invocation {
  /** A module URL (file:…/index.mjs or …/x.cjs) and the handler it exports. */
  readonly module: string;
  readonly exportName: string;
  readonly event: unknown;
  readonly functionName: string;
  readonly memorySizeMb: number;
}

export interface InvocationResult {
  /** Loading the handler's file: 0 once it is loaded. */
  readonly loadMs: number;
  readonly invokeMs: number;
  readonly response: unknown;
  /** The process's resident set after the invocation. */
  readonly rssBytes: number;
}

export interface ExecutionEnvironment {
  invoke(invocation: Invocation): Promise<InvocationResult>;
  close(): Promise<void>;
}

type Message = { ready: true } | InvocationResult | { error: string };

/** `cpuShare`: the share of a CPU the function's memory size gets on Lambda (bench/cpu-share.ts); the whole machine without it. */
export async function startExecutionEnvironment(
  node: string,
  environment: Readonly<Record<string, string>>,
  cpuShare?: CpuShare,
): Promise<ExecutionEnvironment> {
  const started = inShare(cpuShare, node, [RUNNER]);
  const child: ChildProcess = spawn(started.command, started.args, { env: { ...environment }, stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let waiting: { resolve: (message: Message) => void; reject: (error: Error) => void } | undefined;
  const failed = (why: string) => waiting?.reject(new Error(`${RUNNER} ${why}:\n${stderr.trim()}`));
  child.on("message", (message: Message) => waiting?.resolve(message));
  child.once("exit", (code) => failed(`exited with ${code}`));
  child.once("error", (error) => failed(error.message));
  const next = () =>
    new Promise<Message>((resolve, reject) => {
      waiting = { resolve, reject };
    });
  await next();
  return {
    async invoke(invocation) {
      const answer = next();
      child.send({ invoke: invocation });
      const message = await answer;
      if ("error" in message) throw new Error(`${invocation.functionName}: ${message.error}`);
      if ("ready" in message) throw new Error(`${invocation.functionName}: the environment answered out of turn.`);
      return message;
    },
    async close() {
      waiting = undefined;
      child.removeAllListeners("exit");
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ exit: true });
      await exited;
    },
  };
}
