// CreateAuthChallenge: builds each round, sends the code of a code round (SES, SNS), and offers passkey options.
import { readAwsCallConfig, readCodeConfig, readFlowConfig, readPacingConfig, readPasskeyConfig, readStoreConfig } from "../../lib/config.ts";
import { createCreateAuthChallengeHandler } from "../../lib/handlers/create-auth-challenge.ts";
import { createLogger } from "../../lib/logger.ts";
import { createCodeDelivery } from "../../lib/otp/code-delivery.ts";
import { createRoundPacing } from "../../lib/otp/round-pacing.ts";
import { createSesEmailSender, sesClientFor } from "../../lib/send/email-sender.ts";
import { createSnsSmsSender, snsClientFor } from "../../lib/send/sms-sender.ts";
import { createDynamoCodeSendStore } from "../../lib/store/code-sends.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { documentClientFor } from "../../lib/store/dynamo-document-client.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";
import { createDynamoSmsBudgetStore } from "../../lib/store/sms-budget.ts";

const flow = readFlowConfig(process.env);
const code = readCodeConfig(process.env, flow);
const { tableName } = readStoreConfig(process.env);
const call = readAwsCallConfig(process.env);
const passkeyConfig = readPasskeyConfig(process.env, flow);
const documentClient = documentClientFor(call);

export const handler = createCreateAuthChallengeHandler({
  flow,
  code,
  codeSends: createDynamoCodeSendStore({
    client: documentClient,
    tableName,
    limits: {
      windowSeconds: code.rateLimitWindowSeconds,
      perUser: code.rateLimitPerUser,
      perDestination: code.rateLimitPerDestination,
      codeTtlSeconds: code.codeTtlSeconds,
    },
  }),
  delivery: createCodeDelivery({
    code,
    email: code.emailFrom === undefined ? undefined : createSesEmailSender({ client: sesClientFor(call), from: code.emailFrom }),
    sms: flow.signInMethods.includes("SMS_OTP") ? createSnsSmsSender({ client: snsClientFor(call), senderId: code.smsSenderId }) : undefined,
  }),
  passkey: passkeyConfig === undefined ? undefined : { config: passkeyConfig, credentials: createDynamoPasskeyStore({ client: documentClient, tableName }) },
  firstProofs: createDynamoSignInRecordStore({ client: documentClient, tableName }),
  smsBudget: createDynamoSmsBudgetStore({ client: documentClient, tableName, limits: code.smsBudget }),
  logger: createLogger("create-auth-challenge"),
  clock: Date.now,
  pacing: createRoundPacing({ clock: Date.now, initialDelayMs: readPacingConfig(process.env).decoyInitialDelayMs }),
});
