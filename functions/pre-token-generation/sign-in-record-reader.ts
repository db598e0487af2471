// PreTokenGeneration's lazy part: the DynamoDB client and the sign-in record store, loaded when a
// sign-in's record must be read. Built as a bundle of its own (scripts/build.mjs, "parts"), so
// index.mjs is the one file a cold start loads.
import type { AwsCallConfig } from "../../lib/config.ts";
import { documentClientFor } from "../../lib/store/dynamo-document-client.ts";
import { type SignInRecordStore, createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";

export function createSignInRecordReader(call: AwsCallConfig, tableName: string): Pick<SignInRecordStore, "findRecent"> {
  return createDynamoSignInRecordStore({ client: documentClientFor(call), tableName });
}
