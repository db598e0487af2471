// One Lambda execution environment for the sign-in chains (bench/sign-in-chains.ts): a Node
// process that stays up across a chain, as a function's environment stays warm between the
// triggers of one sign-in, and invokes the handler it is told to with each event it is sent.
// The first invocation of a handler also loads its file, and that load is timed apart, so a
// chain's first pass is what a user meets after idle (every function cold) and later passes are warm.
// Plain JavaScript on purpose: it runs without a TypeScript loader, like Lambda's runtime.
//
// Messages in (IPC): { invoke: { module, exportName, event, functionName, memorySizeMb } } | { exit: true }
// Messages out: { ready: true } once, then per invoke { loadMs, invokeMs, response, rssBytes } or { error }
import { lambdaContext } from "./lambda-context.mjs";
import { loadAsLambdaDoes } from "./load-handler.mjs";

const loaded = new Map();

async function invoke({ module, exportName, event, functionName, memorySizeMb }) {
  let loadMs = 0;
  let handler = loaded.get(`${module}#${exportName}`);
  if (handler === undefined) {
    const started = performance.now();
    const exports = await loadAsLambdaDoes(module);
    loadMs = performance.now() - started;
    handler = exports[exportName];
    if (typeof handler !== "function") throw new Error(`${module} does not export a function named ${exportName}.`);
    loaded.set(`${module}#${exportName}`, handler);
  }
  const started = performance.now();
  const answered = await handler(event, lambdaContext(functionName, memorySizeMb));
  const invokeMs = performance.now() - started;
  return { loadMs, invokeMs, response: answered?.response ?? null, rssBytes: process.memoryUsage().rss };
}

process.on("message", (message) => {
  if (message.exit === true) process.exit(0);
  invoke(message.invoke).then(
    (result) => process.send(result),
    (error) => process.send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.send({ ready: true });
