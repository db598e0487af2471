// PreTokenGeneration: adds auth_methods / auth_level from the server-side record of the verified factor.
import { readAwsCallConfig, readStoreConfig } from "../../lib/config.ts";
import { createPreTokenGenerationHandler } from "../../lib/handlers/pre-token-generation.ts";
import { createLogger } from "../../lib/logger.ts";
import { createDocumentClient } from "../../lib/store/dynamo-document-client.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";

const { tableName } = readStoreConfig(process.env);

export const handler = createPreTokenGenerationHandler({
  signInRecords: createDynamoSignInRecordStore({ client: createDocumentClient(readAwsCallConfig(process.env)), tableName }),
  logger: createLogger("pre-token-generation"),
  clock: Date.now,
});
