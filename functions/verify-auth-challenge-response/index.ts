// VerifyAuthChallengeResponse: judges each answer (code, passkey assertion, passkey enrolment) and records the verified factor.
import type { AddressVerifier } from "../../lib/cognito/address-verifier.ts";
import { readAwsCallConfig, readFlowConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { createVerifyAuthChallengeHandler } from "../../lib/handlers/verify-auth-challenge-response.ts";
import { loadOnce } from "../../lib/load-once.ts";
import { createLogger } from "../../lib/logger.ts";
import { createDocumentClient } from "../../lib/store/dynamo-document-client.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";

const flow = readFlowConfig(process.env);
const passkeyConfig = readPasskeyConfig(process.env, flow);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);
const documentClient = createDocumentClient(call);

// The Cognito client is needed only the first time a code proves an address (to mark it
// verified), so it is imported then rather than on every cold start.
const cognitoVerifier = loadOnce(async () => {
  const [{ createCognitoAddressVerifier }, { createCognitoClient }] = await Promise.all([
    import("../../lib/cognito/address-verifier.ts"),
    import("../../lib/cognito/cognito-client.ts"),
  ]);
  return createCognitoAddressVerifier(createCognitoClient(call));
});
const addressVerifier: AddressVerifier = {
  markVerified: async (userPoolId, userName, flag) => (await cognitoVerifier()).markVerified(userPoolId, userName, flag),
};

export const handler = createVerifyAuthChallengeHandler({
  signInRecords: createDynamoSignInRecordStore({ client: documentClient, tableName }),
  addressVerifier,
  passkey:
    passkeyConfig === undefined
      ? undefined
      : { config: passkeyConfig, credentials: createDynamoPasskeyStore({ client: documentClient, tableName }) },
  logger: createLogger("verify-auth-challenge-response"),
  clock: Date.now,
});
