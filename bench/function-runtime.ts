/**
 * How a function runs in a bench child process: its built bundle, its export, and the environment
 * template.yaml gives it, aimed at the local stack's servers through the standard
 * AWS_ENDPOINT_URL_* variables, exactly as local/stack.ts aims the stack's own workers (that
 * function is not exported, so its few lines are mirrored here).
 */
import { functionEnvironment } from "../scripts/lib/function-environment.ts";
import type { Template } from "../scripts/lib/read-template.ts";
import type { LocalStack } from "../local/stack.ts";

export interface FunctionRuntime {
  readonly name: string;
  readonly bundleFile: string;
  readonly exportName: string;
  readonly memorySizeMb: number;
  /** The complete environment: nothing of the bench's own environment leaks in. */
  readonly environment: Readonly<Record<string, string>>;
}

const LOCAL_ACCOUNT = "000000000000";

export function functionRuntime(template: Template, logicalId: string, stack: LocalStack): FunctionRuntime {
  const region = stack.config.region;
  const resolved = functionEnvironment(template, logicalId, {
    parameters: stack.templateParameters,
    resources: { Table: stack.tableName, "Table.Arn": `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${stack.tableName}` },
    pseudoParameters: { "AWS::Region": region, "AWS::AccountId": LOCAL_ACCOUNT, "AWS::StackName": "local" },
  });
  return {
    name: logicalId,
    bundleFile: resolved.handlerFile,
    exportName: resolved.exportName,
    memorySizeMb: resolved.memorySizeMb,
    environment: {
      ...resolved.environment,
      TABLE_NAME: stack.tableName,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(resolved.memorySizeMb),
      // Requests are signed, so the SDK needs credentials; the local servers accept any.
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_ENDPOINT_URL_SES: `${stack.webUrl}/aws/ses`,
      AWS_ENDPOINT_URL_SNS: `${stack.webUrl}/aws/sns`,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: stack.cognitoEndpoint,
    },
  };
}
