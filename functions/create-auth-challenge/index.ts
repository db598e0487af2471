// CreateAuthChallenge: builds each round, sends the code of a code round (SES, SNS), and offers passkey options.
import { readAwsCallConfig, readCodeConfig, readFlowConfig, readPacingConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { createCreateAuthChallengeHandler } from "../../lib/handlers/create-auth-challenge.ts";
import { loadedOnFirstCall } from "../../lib/load-once.ts";
import { createLogger } from "../../lib/logger.ts";
import { createCodeDelivery } from "../../lib/otp/code-delivery.ts";
import { createRoundPacing } from "../../lib/otp/round-pacing.ts";
import { lazyDynamoStores } from "../../lib/store/lazy-stores.ts";

const flow = readFlowConfig(process.env);
const code = readCodeConfig(process.env, flow);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);
const passkeyConfig = readPasskeyConfig(process.env, flow);

// Every SDK client loads on the first call that needs it, not at cold start: the first round of
// every sign-in (SELECT_METHOD, with its passkey options) touches no AWS service, and a sign-in's
// first Create is exactly that round. A code round loads DynamoDB, then SES or SNS.
const stores = lazyDynamoStores(call, tableName);
const documentClient = stores.client;

export const handler = createCreateAuthChallengeHandler({
  flow,
  code,
  codeSends: loadedOnFirstCall(
    async () =>
      (await import("../../lib/store/code-sends.ts")).createDynamoCodeSendStore({
        client: await documentClient(),
        tableName,
        limits: {
          windowSeconds: code.rateLimitWindowSeconds,
          perUser: code.rateLimitPerUser,
          perDestination: code.rateLimitPerDestination,
          codeTtlSeconds: code.codeTtlSeconds,
        },
      }),
    { reserve: true, release: true },
  ),
  delivery: createCodeDelivery({
    code,
    email:
      code.emailFrom === undefined
        ? undefined
        : loadedOnFirstCall(
            async () => {
              const { createSesEmailSender, sesClientFor } = await import("../../lib/send/email-sender.ts");
              return createSesEmailSender({ client: sesClientFor(call), from: code.emailFrom! });
            },
            { send: true },
          ),
    sms: flow.signInMethods.includes("SMS_OTP")
      ? loadedOnFirstCall(
          async () => {
            const { createSnsSmsSender, snsClientFor } = await import("../../lib/send/sms-sender.ts");
            return createSnsSmsSender({ client: snsClientFor(call), senderId: code.smsSenderId });
          },
          { send: true },
        )
      : undefined,
  }),
  passkey:
    passkeyConfig === undefined
      ? undefined
      : {
          config: passkeyConfig,
          credentials: stores.passkeyCredentials(),
        },
  firstProofs: stores.signInRecords(),
  smsBudget: loadedOnFirstCall(
    async () =>
      (await import("../../lib/store/sms-budget.ts")).createDynamoSmsBudgetStore({ client: await documentClient(), tableName, limits: code.smsBudget }),
    { reserve: true, release: true },
  ),
  logger: createLogger("create-auth-challenge"),
  clock: Date.now,
  pacing: createRoundPacing({ clock: Date.now, initialDelayMs: readPacingConfig(process.env).decoyInitialDelayMs }),
});
