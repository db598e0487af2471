/**
 * How a function runs in a bench child process: exactly as the local stack runs its triggers
 * (packages/local/src/function-runtime.ts), aimed at the stack the bench started.
 */
import { type FunctionRuntime, localFunctionRuntime } from "@cognito-passwordless/local/function-runtime.ts";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

export type { FunctionRuntime } from "@cognito-passwordless/local/function-runtime.ts";

export function functionRuntime(template: Template, logicalId: string, stack: LocalStack): FunctionRuntime {
  return localFunctionRuntime(
    template,
    logicalId,
    {
      region: stack.config.region,
      tableName: stack.tableName,
      dynamoEndpoint: stack.dynamoEndpoint,
      webUrl: stack.webUrl,
      cognitoEndpoint: stack.cognitoEndpoint,
      // The passkey API's function names the pool and its app client (USER_POOL_ID, USER_POOL_CLIENT_ID).
      userPoolId: stack.config.userPoolId,
      clientId: stack.config.clientId,
    },
    stack.templateParameters,
  );
}
