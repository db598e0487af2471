// Which files a function loads for one invocation: its bundle and every chunk, static or dynamic,
// that loading it and answering the event pulls in. A count, not a timing: the same code and the
// same event always give the same list. Not used for timings: the resolve hook it installs runs
// on a thread of its own and would slow the load it watches.
// Plain JavaScript on purpose: it runs without a TypeScript loader, like Lambda's runtime.
//
// Usage: node module-census.mjs <job.json> <result.json>
// job: { module, exportName, event, functionName, memorySizeMb }   result: { files: string[] } (file URLs)
import { readFileSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
import { lambdaContext } from "./lambda-context.mjs";

const [jobFile, resultFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, "utf8"));
const files = new Set();
const { port1, port2 } = new MessageChannel();
port1.on("message", (url) => files.add(url));
port1.unref();
register(new URL("./census-hooks.mjs", import.meta.url), { data: { port: port2 }, transferList: [port2] });

const exports = await import(job.module);
await exports[job.exportName](job.event, lambdaContext(job.functionName, job.memorySizeMb));
// The hook thread posts as it resolves; one turn of the event loop lets the last messages in.
await new Promise((resolve) => setTimeout(resolve, 50));
writeFileSync(resultFile, JSON.stringify({ files: [...files].filter((url) => url.startsWith("file:")) }));
process.exit(0);
