/**
 * How one of the template's functions runs locally: its built bundle, its export, and the
 * environment template.yaml gives it, aimed at the local servers through the standard
 * AWS_ENDPOINT_URL_* variables (lib/ has no local code path). The stack's trigger workers and the
 * bench's child processes both run functions this way.
 */
import { functionEnvironment } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

export interface LocalServers {
  readonly region: string;
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  /** The web server, which serves the SES and SNS outbox at /aws/ses and /aws/sns. */
  readonly webUrl: string;
  readonly cognitoEndpoint: string;
  /** The local pool's id and app client id: what `!Ref UserPool` and `!Ref UserPoolClient` give a function. */
  readonly userPoolId?: string | undefined;
  readonly clientId?: string | undefined;
}

export interface FunctionRuntime {
  readonly name: string;
  readonly bundleFile: string;
  readonly exportName: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** The complete environment of the function: nothing of the caller's own leaks in. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The account id every local resource ARN and event names. */
export const LOCAL_ACCOUNT = "000000000000";

export function localFunctionRuntime(
  template: Template,
  logicalId: string,
  servers: LocalServers,
  parameters: Readonly<Record<string, string>>,
  /** Folder CodeUri is relative to: the template's own (the repository's root) unless told. */
  rootDir?: string,
): FunctionRuntime {
  const { region, tableName, userPoolId, clientId } = servers;
  const resolved = functionEnvironment(template, logicalId, {
    parameters,
    resources: {
      Table: tableName,
      "Table.Arn": `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${tableName}`,
      ...(userPoolId === undefined ? {} : { UserPool: userPoolId, "UserPool.Arn": `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT}:userpool/${userPoolId}` }),
      ...(clientId === undefined ? {} : { UserPoolClient: clientId }),
    },
    pseudoParameters: { "AWS::Region": region, "AWS::AccountId": LOCAL_ACCOUNT, "AWS::StackName": "local" },
    ...(rootDir === undefined ? {} : { rootDir }),
  });
  return {
    name: logicalId,
    bundleFile: resolved.handlerFile,
    exportName: resolved.exportName,
    memorySizeMb: resolved.memorySizeMb,
    timeoutSeconds: resolved.timeoutSeconds,
    environment: {
      ...resolved.environment,
      TABLE_NAME: tableName,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(resolved.memorySizeMb),
      // Requests are signed, so the SDK needs credentials; the local servers accept any.
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: servers.dynamoEndpoint,
      AWS_ENDPOINT_URL_SES: `${servers.webUrl}/aws/ses`,
      AWS_ENDPOINT_URL_SNS: `${servers.webUrl}/aws/sns`,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: servers.cognitoEndpoint,
    },
  };
}
