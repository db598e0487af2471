// VerifyAuthChallengeResponse: judges each answer (code, passkey assertion, passkey enrolment) and records the verified factor.
import type { AddressVerifier } from "../../lib/cognito/address-verifier.ts";
import type { PublicKeyAttributeWriter } from "../../lib/cognito/public-key-attribute.ts";
import { readAwsCallConfig, readFlowConfig, readNoticeConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { createVerifyAuthChallengeHandler } from "../../lib/handlers/verify-auth-challenge-response.ts";
import { loadOnce, loadedOnFirstCall } from "../../lib/load-once.ts";
import { createLogger } from "../../lib/logger.ts";
import type { PasskeyNotifier } from "../../lib/notify/passkey-notifier.ts";
import type { PasskeyChallengeStore } from "../../lib/store/passkey-challenges.ts";
import { lazyDynamoStores } from "../../lib/store/lazy-stores.ts";

const flow = readFlowConfig(process.env);
const passkeyConfig = readPasskeyConfig(process.env, flow);
const notice = readNoticeConfig(process.env, flow);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);
// DynamoDB loads on the first answer that reads or writes a record, not at cold start: the answer
// to SELECT_METHOD that only chooses a code method (the first Verify of every code sign-in) needs none.
const stores = lazyDynamoStores(call, tableName);
const documentClient = stores.client;

// The Cognito client is needed only when a code first proves or claims an address, or a passkey
// is enrolled (to cache its key), so it is imported then rather than on every cold start: most
// sign-ins never load it. The SES and SNS clients likewise load only to announce a new passkey.
const cognitoClient = loadOnce(async () => (await import("../../lib/cognito/cognito-client.ts")).createCognitoClient(call));
const cognitoAddressVerifier = loadOnce(async () => {
  const [{ createCognitoAddressVerifier }, client] = await Promise.all([import("../../lib/cognito/address-verifier.ts"), cognitoClient()]);
  return createCognitoAddressVerifier(client);
});
const addressVerifier: AddressVerifier = {
  markVerified: async (...args) => (await cognitoAddressVerifier()).markVerified(...args),
  release: async (...args) => (await cognitoAddressVerifier()).release(...args),
};
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

export const handler = createVerifyAuthChallengeHandler({
  flow,
  signInRecords: stores.signInRecords(),
  addressVerifier,
  passkey:
    passkeyConfig === undefined
      ? undefined
      : {
          config: passkeyConfig,
          credentials: stores.passkeyCredentials(),
          challenges: loadedOnFirstCall<Pick<PasskeyChallengeStore, "takeForSignIn">>(
            async () =>
              (await import("../../lib/store/passkey-challenges.ts")).createDynamoPasskeyChallengeStore({ client: await documentClient(), tableName }),
            { takeForSignIn: true },
          ),
          publicKeyAttribute,
          notices,
          appName: notice.appName,
        },
  logger: createLogger("verify-auth-challenge-response"),
  clock: Date.now,
});
