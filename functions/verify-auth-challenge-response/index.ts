// VerifyAuthChallengeResponse: judges each answer (code, passkey assertion, passkey enrolment) and records the verified factor.
import type { AddressVerifier } from "../../lib/cognito/address-verifier.ts";
import type { PublicKeyAttributeWriter } from "../../lib/cognito/public-key-attribute.ts";
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

// The Cognito client is needed only when a code first proves an address (to mark it verified)
// or a passkey is enrolled (to cache its key), so it is imported then rather than on every cold
// start: sign-ins never load it.
const cognitoClient = loadOnce(async () => (await import("../../lib/cognito/cognito-client.ts")).createCognitoClient(call));
const addressVerifier: AddressVerifier = {
  async markVerified(userPoolId, userName, flag) {
    const [{ createCognitoAddressVerifier }, client] = await Promise.all([import("../../lib/cognito/address-verifier.ts"), cognitoClient()]);
    return createCognitoAddressVerifier(client).markVerified(userPoolId, userName, flag);
  },
};
const publicKeyAttribute: PublicKeyAttributeWriter = {
  async write(userPoolId, userName, value) {
    const [{ createCognitoPublicKeyAttributeWriter }, client] = await Promise.all([import("../../lib/cognito/public-key-attribute.ts"), cognitoClient()]);
    return createCognitoPublicKeyAttributeWriter(client).write(userPoolId, userName, value);
  },
};

export const handler = createVerifyAuthChallengeHandler({
  signInRecords: createDynamoSignInRecordStore({ client: documentClient, tableName }),
  addressVerifier,
  passkey:
    passkeyConfig === undefined
      ? undefined
      : { config: passkeyConfig, credentials: createDynamoPasskeyStore({ client: documentClient, tableName }), publicKeyAttribute },
  logger: createLogger("verify-auth-challenge-response"),
  clock: Date.now,
});
