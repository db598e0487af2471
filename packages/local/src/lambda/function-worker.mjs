// One Lambda function, warm (a Cognito trigger or an HTTP API route's function): runs in its own
// worker thread with its own environment (set by the parent through the Worker `env` option),
// imports the built bundle once and keeps its module state between invocations, as a warm Lambda
// execution environment does.
// Plain JavaScript on purpose: it must start without a TypeScript loader, like the bundle it runs.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";

const { file, exportName, functionName, timeoutMs } = workerData;
const loaded = import(pathToFileURL(file).href).then((module) => {
  const handler = module[exportName];
  if (typeof handler !== "function") throw new Error(`${file} does not export a function named ${exportName}.`);
  return handler;
});
// Reported to the parent on its invocations instead of crashing the thread, as Lambda reports an init error.
loaded.catch(() => {});

function lambdaContext(deadline) {
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: "128",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

parentPort.on("message", async ({ id, event }) => {
  try {
    const handler = await loaded;
    const result = await new Promise((resolve, reject) => {
      const callback = (error, value) => (error ? reject(error) : resolve(value));
      const returned = handler(event, lambdaContext(Date.now() + timeoutMs), callback);
      if (returned !== undefined && typeof returned?.then === "function") returned.then(resolve, reject);
    });
    parentPort.postMessage({ id, ok: true, result: JSON.stringify(result ?? null) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const name = error instanceof Error ? error.name : "Error";
    parentPort.postMessage({ id, ok: false, error: { name, message } });
  }
});
