// PasskeysApi: the HTTP API a signed-in user manages their passkeys through (list, rename, remove, add).
import type { PublicKeyAttributeWriter } from "../../lib/cognito/public-key-attribute.ts";
import type { UserAttributesReader } from "../../lib/cognito/user-attributes.ts";
import { readAwsCallConfig, readFlowConfig, readNoticeConfig, readPasskeyApiConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { createPasskeysApiHandler } from "../../lib/handlers/passkeys-api.ts";
import { loadOnce } from "../../lib/load-once.ts";
import { createLogger } from "../../lib/logger.ts";
import type { PasskeyNotifier } from "../../lib/notify/passkey-notifier.ts";
import { documentClientFor } from "../../lib/store/dynamo-document-client.ts";
import { createDynamoPasskeyChallengeStore } from "../../lib/store/passkey-challenges.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";

const flow = readFlowConfig(process.env);
const api = readPasskeyApiConfig(process.env);
const passkey = readPasskeyConfig(process.env, flow);
const notice = readNoticeConfig(process.env, flow);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);
const documentClient = documentClientFor(call);

// Listing and renaming touch DynamoDB only, so the Cognito client is imported when a route first
// needs it (removing, adding); the SES and SNS clients likewise, for the notice of a change.
const cognitoClient = loadOnce(async () => (await import("../../lib/cognito/cognito-client.ts")).createCognitoClient(call));
const cognitoUsers = loadOnce(async () => {
  const [{ createCognitoUserAttributesReader }, client] = await Promise.all([import("../../lib/cognito/user-attributes.ts"), cognitoClient()]);
  return createCognitoUserAttributesReader(client);
});
const users: UserAttributesReader = { read: async (...args) => (await cognitoUsers()).read(...args) };
const publicKeyAttribute: PublicKeyAttributeWriter = {
  async write(userPoolId, userName, value) {
    const [{ createCognitoPublicKeyAttributeWriter }, client] = await Promise.all([import("../../lib/cognito/public-key-attribute.ts"), cognitoClient()]);
    return createCognitoPublicKeyAttributeWriter(client).write(userPoolId, userName, value);
  },
};
const passkeyNotifier = loadOnce(async () => {
  const [{ createPasskeyNotifier }, email, sms] = await Promise.all([
    import("../../lib/notify/passkey-notifier.ts"),
    import("../../lib/send/email-sender.ts"),
    import("../../lib/send/sms-sender.ts"),
  ]);
  return createPasskeyNotifier({
    email: notice.emailFrom === undefined ? undefined : email.createSesEmailSender({ client: email.sesClientFor(call), from: notice.emailFrom }),
    sms: sms.createSnsSmsSender({ client: sms.snsClientFor(call), senderId: notice.smsSenderId }),
    smsAllowedCountryCodes: notice.smsAllowedCountryCodes,
  });
});
const notices: PasskeyNotifier = { notify: async (...args) => (await passkeyNotifier()).notify(...args) };

export const handler = createPasskeysApiHandler({
  api,
  passkey,
  credentials: createDynamoPasskeyStore({ client: documentClient, tableName }),
  signIns: createDynamoSignInRecordStore({ client: documentClient, tableName }),
  challenges: createDynamoPasskeyChallengeStore({ client: documentClient, tableName }),
  users,
  publicKeyAttribute,
  notices,
  appName: notice.appName,
  logger: createLogger("passkeys-api"),
  clock: Date.now,
});
