/**
 * The trigger handlers as the handler tests build them: through their factories (lib/handlers/),
 * with configuration read by lib/config.ts's readers from a literal environment (nothing is read
 * from or written to process.env), a fixed clock, a logger at DEBUG, and the real stores,
 * senders and Cognito calls over SDK clients the test mocks (aws-sdk-client-mock replaces `send`
 * on every instance of a client class, so the clients made here are the mocked ones).
 *
 * The wiring is what functions/<trigger>/index.ts does with process.env and Date.now; the entry
 * points themselves run in the fuzz tests (test/fuzz/), the sample-event test
 * (test/unit/events.test.ts) and, built, through `npm run invoke` (test/template/invoke.test.ts).
 */
import { Logger } from "../../../lib/logger.ts";
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";
import { createCognitoAddressVerifier } from "../../../lib/cognito/address-verifier.ts";
import { createCognitoPublicKeyAttributeWriter } from "../../../lib/cognito/public-key-attribute.ts";
import { createCognitoUserAttributesReader } from "../../../lib/cognito/user-attributes.ts";
import { createCognitoClient } from "../../../lib/cognito/cognito-client.ts";
import { createPoolUsers } from "../../../lib/cognito/pool-users.ts";
import {
  type Env,
  readAwsCallConfig,
  readCodeConfig,
  readFlowConfig,
  readLinkConfig,
  readNoticeConfig,
  readPacingConfig,
  readPasskeyApiConfig,
  readPasskeyConfig,
  readStoreConfig,
} from "../../../lib/config.ts";
import { createCreateAuthChallengeHandler } from "../../../lib/handlers/create-auth-challenge.ts";
import { createDefineAuthChallengeHandler } from "../../../lib/handlers/define-auth-challenge.ts";
import { createPreSignUpHandler } from "../../../lib/handlers/pre-sign-up.ts";
import { createPasskeysApiHandler } from "../../../lib/handlers/passkeys-api.ts";
import { createPreTokenGenerationHandler } from "../../../lib/handlers/pre-token-generation.ts";
import { createVerifyAuthChallengeHandler } from "../../../lib/handlers/verify-auth-challenge-response.ts";
import { linkFederatedUser } from "../../../lib/linking/link-federated-user.ts";
import { createPasskeyNotifier } from "../../../lib/notify/passkey-notifier.ts";
import { createCodeDelivery } from "../../../lib/otp/code-delivery.ts";
import { createRoundPacing } from "../../../lib/otp/round-pacing.ts";
import { createSesClient, createSesEmailSender } from "../../../lib/send/email-sender.ts";
import { createSnsClient, createSnsSmsSender } from "../../../lib/send/sms-sender.ts";
import { createDynamoCodeSendStore } from "../../../lib/store/code-sends.ts";
import { createDocumentClient } from "../../../lib/store/dynamo-document-client.ts";
import { createDynamoPasskeyChallengeStore } from "../../../lib/store/passkey-challenges.ts";
import { createDynamoPasskeyStore } from "../../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../../lib/store/sign-in-records.ts";
import { createDynamoSmsBudgetStore } from "../../../lib/store/sms-budget.ts";
import type { ApiResponse } from "../../../lib/api/api-response.ts";
import { UNIT_ENV } from "../../support/function-env.ts";

/** The handler tests' time: 15 January 2026, 09:30 UTC. */
export const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);

export type Handler<E> = (event: E) => Promise<E>;
export type TokenHandler = <E extends PreTokenGenerationTriggerEvent | PreTokenGenerationV2TriggerEvent>(event: E) => Promise<E>;

export interface Options {
  /** The functions' environment; UNIT_ENV (what template.yaml gives them, for the tests' pool) by default. */
  readonly env?: Env;
  readonly clock?: () => number;
}

/** Every line at DEBUG, whatever LOG_LEVEL the runner has: the tests read INFO lines. */
function debugLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: "DEBUG" });
}

/** Define, Create and Verify of one deployment, sharing its clock. */
export function customAuthHandlers({ env = UNIT_ENV, clock = () => NOW }: Options = {}) {
  const flow = readFlowConfig(env);
  const code = readCodeConfig(env, flow);
  const { tableName } = readStoreConfig(env);
  const call = readAwsCallConfig(env);
  const documentClient = createDocumentClient(call);
  const signInRecords = createDynamoSignInRecordStore({ client: documentClient, tableName });

  const define = createDefineAuthChallengeHandler({ flow, logger: debugLogger("define-auth-challenge"), clock });
  const create = createCreateAuthChallengeHandler({
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
      email: code.emailFrom === undefined ? undefined : createSesEmailSender({ client: createSesClient(call), from: code.emailFrom }),
      sms: flow.signInMethods.includes("SMS_OTP") ? createSnsSmsSender({ client: createSnsClient(call), senderId: code.smsSenderId }) : undefined,
    }),
    firstProofs: signInRecords,
    smsBudget: createDynamoSmsBudgetStore({ client: documentClient, tableName, limits: code.smsBudget }),
    logger: debugLogger("create-auth-challenge"),
    clock,
    pacing: createRoundPacing({ clock, initialDelayMs: readPacingConfig(env).decoyInitialDelayMs }),
  });
  const verify = createVerifyAuthChallengeHandler({
    flow,
    signInRecords,
    addressVerifier: createCognitoAddressVerifier(createCognitoClient(call)),
    logger: debugLogger("verify-auth-challenge-response"),
    clock,
  });
  return {
    define: define as Handler<DefineAuthChallengeTriggerEvent>,
    create: create as Handler<CreateAuthChallengeTriggerEvent>,
    verify: verify as Handler<VerifyAuthChallengeResponseTriggerEvent>,
  };
}

/** PreTokenGeneration over the real sign-in record store. */
export function preTokenGenerationHandler({ env = UNIT_ENV, clock = () => NOW }: Options = {}): TokenHandler {
  const { tableName } = readStoreConfig(env);
  const signInRecords = createDynamoSignInRecordStore({ client: createDocumentClient(readAwsCallConfig(env)), tableName });
  return createPreTokenGenerationHandler({ signInRecords, logger: debugLogger("pre-token-generation"), clock });
}

/** PreSignUp with the real account linking over Cognito clients (lookups retried, changes once, as the function makes them). */
export function preSignUpHandler({ env = UNIT_ENV, clock = () => NOW }: Options = {}): Handler<PreSignUpTriggerEvent> {
  const call = readAwsCallConfig(env);
  const config = readLinkConfig(env);
  const logger = debugLogger("pre-sign-up");
  const poolUsers = createPoolUsers(createCognitoClient(call), createCognitoClient({ timeoutMs: config.changeTimeoutMs, maxAttempts: 1 }));
  return createPreSignUpHandler({ logger, linkFederatedUser: (request) => linkFederatedUser(request, { poolUsers, config, logger, clock }) });
}

/** The passkey API's function as functions/passkeys-api/index.ts wires it, with passkeys offered unless `env` says otherwise. */
export function passkeysApiHandler({ env = PASSKEY_API_ENV, clock = () => NOW }: Options = {}): (event: unknown) => Promise<ApiResponse> {
  const flow = readFlowConfig(env);
  const notice = readNoticeConfig(env, flow);
  const { tableName } = readStoreConfig(env);
  const call = readAwsCallConfig(env);
  const documentClient = createDocumentClient(call);
  const cognito = createCognitoClient(call);
  return createPasskeysApiHandler({
    api: readPasskeyApiConfig(env),
    passkey: readPasskeyConfig(env, flow),
    credentials: createDynamoPasskeyStore({ client: documentClient, tableName }),
    signIns: createDynamoSignInRecordStore({ client: documentClient, tableName }),
    challenges: createDynamoPasskeyChallengeStore({ client: documentClient, tableName }),
    users: createCognitoUserAttributesReader(cognito),
    publicKeyAttribute: createCognitoPublicKeyAttributeWriter(cognito),
    notices: createPasskeyNotifier({
      email: notice.emailFrom === undefined ? undefined : createSesEmailSender({ client: createSesClient(call), from: notice.emailFrom }),
      sms: createSnsSmsSender({ client: createSnsClient(call), senderId: notice.smsSenderId }),
      smsAllowedCountryCodes: notice.smsAllowedCountryCodes,
    }),
    appName: notice.appName,
    logger: debugLogger("passkeys-api"),
    clock,
  });
}

/** UNIT_ENV with passkeys offered and the API's own variables, as template.yaml gives them. */
export const PASSKEY_API_ENV: Env = {
  ...UNIT_ENV,
  SIGN_IN_METHODS: "PASSKEY,EMAIL_OTP,SMS_OTP",
  PASSKEY_RP_ID: "example.com",
  PASSKEY_ALLOWED_ORIGINS: "https://example.com",
  PASSKEY_MAX_PER_USER: "3",
  USER_POOL_ID: "eu-west-1_Example01",
  USER_POOL_CLIENT_ID: "3n4b5urk1ft4fl3mg5e62d9ado",
  PASSKEY_REAUTH_MAX_AGE_SECONDS: "300",
};
