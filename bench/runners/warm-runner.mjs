// Warm invocations in one process: imports a function's bundle once, then invokes it with each
// event in turn, as a warm Lambda execution environment would, timing each invocation alone.
// Events arrive as JSON text and are parsed outside the timed part; the first `warmup` ones are
// not reported (they let V8 optimise and the SDK open its connections).
// Plain JavaScript on purpose: it runs without a TypeScript loader, like Lambda's runtime.
//
// Usage: node warm-runner.mjs <job.json> <result.json>
// job: { module, exportName, functionName, memorySizeMb, warmup, events: [{ label, event: string }], memoryEvery? }
// result: { labels: string[], durationsMs: number[], responses: { [label]: response of its first reported event },
//           memory: { afterFirst, afterCheckpoint, afterLast } each { rssBytes, heapUsedBytes }, checkpoint, invocations,
//           curve: [{ invocations, rssBytes, heapUsedBytes }] (with memoryEvery: the same reading every that many invocations) }
import { readFileSync, writeFileSync } from "node:fs";
import { lambdaContext } from "./lambda-context.mjs";

const [jobFile, resultFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, "utf8"));
const module = await import(job.module);
const handler = module[job.exportName];
if (typeof handler !== "function") throw new Error(`${job.module} does not export a function named ${job.exportName}.`);

const labels = [];
// Memory after the first invocation (the cold start's), after the 1,000th (the checkpoint; halfway
// in a quick run) and after the last, each
// read after a full collection (the bench starts this runner with --expose-gc), so what is counted
// is what the function keeps: the JS heap growing after the checkpoint would be a leak an
// execution environment carries until Lambda recycles it. Without the collection, V8 simply lets
// its heap grow. The resident set also holds compiled code and allocator pages, which V8 and
// malloc keep once touched; the heap is the figure a leak moves.
const memoryNow = () => {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed };
};
const memory = {};
const curve = [];
const checkpoint = Math.min(1000, Math.ceil(job.events.length / 2));
const durationsMs = [];
const responses = {};
for (const [index, { label, event: text }] of job.events.entries()) {
  const event = JSON.parse(text);
  const context = lambdaContext(job.functionName, job.memorySizeMb);
  const started = performance.now();
  const answered = await handler(event, context);
  const duration = performance.now() - started;
  if (index === 0) memory.afterFirst = memoryNow();
  if (index === checkpoint - 1) memory.afterCheckpoint = memoryNow();
  if (job.memoryEvery !== undefined && (index + 1) % job.memoryEvery === 0) curve.push({ invocations: index + 1, ...memoryNow() });
  if (index >= job.warmup) {
    labels.push(label);
    durationsMs.push(duration);
    // A trigger answers with its event (the response inside it); an HTTP API function with the response itself.
    if (!(label in responses)) responses[label] = (event.triggerSource === undefined ? answered : answered?.response) ?? null;
  }
}
memory.afterLast = memoryNow();

writeFileSync(resultFile, JSON.stringify({ labels, durationsMs, responses, memory, checkpoint, invocations: job.events.length, curve }));
process.exit(0);
