// PreTokenGeneration: adds auth_methods / auth_level from the server-side record of the verified factor.
import { readAwsCallConfig, readStoreConfig } from "../../lib/config.ts";
import { createPreTokenGenerationHandler } from "../../lib/handlers/pre-token-generation.ts";
import { loadOnce } from "../../lib/load-once.ts";
import { createLogger } from "../../lib/logger.ts";
import type { SignInRecordStore } from "../../lib/store/sign-in-records.ts";

const call = readAwsCallConfig(process.env);
const { tableName } = readStoreConfig(process.env);

// The DynamoDB client is imported when a sign-in's record must be read, not at cold start:
// refreshes (most of this trigger's calls in an app that stays signed in) never read it.
const store = loadOnce(async () => (await import("./sign-in-record-reader.ts")).createSignInRecordReader(call, tableName));
const signInRecords: Pick<SignInRecordStore, "findRecent"> = {
  findRecent: async (userName, clientId, now) => (await store()).findRecent(userName, clientId, now),
};

export const handler = createPreTokenGenerationHandler({ signInRecords, logger: createLogger("pre-token-generation"), clock: Date.now });
