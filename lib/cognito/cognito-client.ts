import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { awsClientOptions } from "../aws/client-options.ts";
import type { AwsCallConfig } from "../config.ts";

/** The Cognito admin client, created once per cold start with the suite's timeouts. */
export function createCognitoClient(call: AwsCallConfig): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient(awsClientOptions(call));
}
