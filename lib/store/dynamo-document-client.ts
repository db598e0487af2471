/**
 * The one DynamoDB client of a function's process.
 * Region (AWS_REGION) and endpoint (AWS_ENDPOINT_URL_DYNAMODB) are read by the SDK itself, so the
 * same code talks to DynamoDB in AWS and to the local stack's server: there is no local-only branch.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AwsCallConfig } from "../config.ts";
import { awsClientOptions } from "../aws/client-options.ts";
import { sharedPerCallSettings } from "../aws/shared-per-call.ts";

export function createDocumentClient(call: AwsCallConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(awsClientOptions(call)), {
    // Optional fields (exactOptionalPropertyTypes) may be absent; DynamoDB rejects explicit undefined.
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The process's document client for these call settings (lib/aws/shared-per-call.ts): Create, Verify and PreTokenGeneration share it in the combined function. */
export const documentClientFor = sharedPerCallSettings(createDocumentClient);
