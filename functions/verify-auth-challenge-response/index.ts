// VerifyAuthChallengeResponse: judges each answer and records the verified factor.
import { createCognitoAddressVerifier } from "../../lib/cognito/address-verifier.ts";
import { createCognitoClient } from "../../lib/cognito/cognito-client.ts";
import { readAwsCallConfig, readFlowConfig, readStoreConfig } from "../../lib/config.ts";
import { createVerifyAuthChallengeHandler } from "../../lib/handlers/verify-auth-challenge-response.ts";
import { createLogger } from "../../lib/logger.ts";
import { createDocumentClient } from "../../lib/store/dynamo-document-client.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";

// Read for validation at cold start: a deployment with a bad flow configuration fails loudly here too.
readFlowConfig(process.env);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);

export const handler = createVerifyAuthChallengeHandler({
  signInRecords: createDynamoSignInRecordStore({ client: createDocumentClient(call), tableName }),
  addressVerifier: createCognitoAddressVerifier(createCognitoClient(call)),
  logger: createLogger("verify-auth-challenge-response"),
  clock: Date.now,
});
