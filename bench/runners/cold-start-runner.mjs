// One cold start, in a fresh Node process: import a module (a function's bundle, a library, or
// nothing at all for the bare baseline) and, for a function, run its first invocation. Reports the
// time from just before import() to the end of that invocation, measured inside the process, so
// spawning the process is not part of it (the bare baseline measures what is left).
// Plain JavaScript on purpose: it runs without a TypeScript loader, like Lambda's runtime.
//
// A bundle loads as Lambda's runtime loads a handler (load-handler.mjs).
//
// Usage: node cold-start-runner.mjs <job.json> <result.json>
// job: { module: string | null, exportName: string | null, event: object | null, functionName, memorySizeMb }
import { readFileSync, writeFileSync } from "node:fs";
import { lambdaContext } from "./lambda-context.mjs";
import { loadAsLambdaDoes } from "./load-handler.mjs";

const [jobFile, resultFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, "utf8"));
// performance.now() counts from the start of this process: how long Node itself took to get here.
const bootMs = performance.now();

const started = performance.now();
const module = job.module === null ? undefined : await loadAsLambdaDoes(job.module);
const imported = performance.now();
let response;
if (job.exportName !== null && job.event !== null) {
  const handler = module?.[job.exportName];
  if (typeof handler !== "function") throw new Error(`${job.module} does not export a function named ${job.exportName}.`);
  const answered = await handler(job.event, lambdaContext(job.functionName, job.memorySizeMb));
  response = answered?.response;
}
const finished = performance.now();

writeFileSync(resultFile, JSON.stringify({ bootMs, importMs: imported - started, totalMs: finished - started, response }));
// An SDK client keeps sockets open; Lambda would freeze the process here, the bench ends it.
process.exit(0);
