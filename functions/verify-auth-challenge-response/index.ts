// VerifyAuthChallengeResponse: judges each answer (code, passkey assertion, passkey enrolment) and records the verified factor.
import { createCognitoAddressVerifier } from "../../lib/cognito/address-verifier.ts";
import { createCognitoClient } from "../../lib/cognito/cognito-client.ts";
import { readAwsCallConfig, readFlowConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { createVerifyAuthChallengeHandler } from "../../lib/handlers/verify-auth-challenge-response.ts";
import { createLogger } from "../../lib/logger.ts";
import { createDocumentClient } from "../../lib/store/dynamo-document-client.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";

const flow = readFlowConfig(process.env);
const passkeyConfig = readPasskeyConfig(process.env, flow);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);
const documentClient = createDocumentClient(call);

export const handler = createVerifyAuthChallengeHandler({
  signInRecords: createDynamoSignInRecordStore({ client: documentClient, tableName }),
  addressVerifier: createCognitoAddressVerifier(createCognitoClient(call)),
  passkey:
    passkeyConfig === undefined
      ? undefined
      : { config: passkeyConfig, credentials: createDynamoPasskeyStore({ client: documentClient, tableName }) },
  logger: createLogger("verify-auth-challenge-response"),
  clock: Date.now,
});
