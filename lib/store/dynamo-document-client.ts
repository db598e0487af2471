/**
 * The one DynamoDB client of a function's process.
 * Region (AWS_REGION) and endpoint (AWS_ENDPOINT_URL_DYNAMODB) are read by the SDK itself, so the
 * same code talks to DynamoDB in AWS and to the local stack's server: there is no local-only branch.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AwsCallConfig } from "../config.ts";
import { awsClientOptions } from "../aws/client-options.ts";

export function createDocumentClient(call: AwsCallConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(awsClientOptions(call)), {
    // Optional fields (exactOptionalPropertyTypes) may be absent; DynamoDB rejects explicit undefined.
    marshallOptions: { removeUndefinedValues: true },
  });
}

const shared = new Map<string, DynamoDBDocumentClient>();

/**
 * The process's document client for these call settings, made on first use and shared after: in
 * the combined function (template.yaml, TriggerLayout Combined) Create, Verify and
 * PreTokenGeneration each ask for one, and one client means one set of sockets and one first-call
 * cost (credentials, endpoint resolution) per process instead of three.
 */
export function documentClientFor(call: AwsCallConfig): DynamoDBDocumentClient {
  const key = `${call.timeoutMs}/${call.maxAttempts}`;
  let client = shared.get(key);
  if (client === undefined) {
    client = createDocumentClient(call);
    shared.set(key, client);
  }
  return client;
}
