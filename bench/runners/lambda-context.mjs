// The Lambda context object a handler receives, as the local stack's trigger worker builds it
// (packages/local/src/lambda/function-worker.mjs): the bench runs bundles the way the stack does.
import { randomUUID } from "node:crypto";

export function lambdaContext(functionName, memorySizeMb, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memorySizeMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "bench",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
