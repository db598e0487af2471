/**
 * Runs one of bench/runners/*.mjs in a fresh Node process with exactly the environment given (a
 * function's own, as Lambda would set it), passing the job and reading the result through files so
 * the function's own output on stdout (its logs) cannot mix with them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const RUNNERS = {
  coldStart: new URL("./runners/cold-start-runner.mjs", import.meta.url),
  warm: new URL("./runners/warm-runner.mjs", import.meta.url),
  moduleCensus: new URL("./runners/module-census.mjs", import.meta.url),
} as const;

export interface ChildResult<T> {
  readonly result: T;
  /** From spawn to exit, as the parent saw it: process start-up and shut-down included. */
  readonly wallMs: number;
}

/**
 * @param node the Node binary to run (the runtime's major, for cold starts: bench/anchor/node22.ts);
 * this process's own by default.
 */
export async function runChild<T>(
  runner: URL,
  job: unknown,
  environment: Readonly<Record<string, string>>,
  node = process.execPath,
  nodeArgs: readonly string[] = [],
): Promise<ChildResult<T>> {
  const folder = mkdtempSync(join(tmpdir(), "bench-child-"));
  try {
    const jobFile = join(folder, "job.json");
    const resultFile = join(folder, "result.json");
    writeFileSync(jobFile, JSON.stringify(job));
    const started = performance.now();
    // No execArgv: plain Node, like the Lambda runtime, with no TypeScript loader from this process
    // (nodeArgs only for what a measurement itself needs, such as --expose-gc).
    const child = spawn(node, [...nodeArgs, fileURLToPath(runner), jobFile, resultFile], {
      env: { ...environment },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (exitCode) => resolve(exitCode));
    });
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${fileURLToPath(runner)} exited with ${code}:\n${stderr.trim()}`);
    return { result: JSON.parse(readFileSync(resultFile, "utf8")) as T, wallMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
