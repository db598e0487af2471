/**
 * What a million sign-ins of each method cost in AWS, from what one sign-in was measured to use:
 * Lambda requests and GB-seconds (memory from template.yaml, duration from the warm latencies,
 * each invocation rounded up to the millisecond as Lambda bills), DynamoDB on-demand request units,
 * and SES emails or SMS parts (every email: codes, and the notice of each passkey added). Not included: Cognito's own price (per monthly active user, not per
 * sign-in), CloudWatch Logs, data transfer, free tiers.
 *
 * Durations were measured on the bench machine; Lambda at 256 MB gets a fraction of a vCPU (a full
 * one at 1,769 MB: https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html), so
 * deployed durations, and the compute line, will be higher. The request, DynamoDB and message
 * lines do not depend on the machine.
 */
import type { TriggerName } from "@cognito-passwordless/local/cognito/pool-config.ts";
import type { MethodResult, SignInMethodId } from "./sign-in-load.ts";
import { PASSKEY_API_FUNCTION } from "./sign-in-usage.ts";
import { mean } from "./stats.ts";
import type { WarmResult } from "./warm-latency.ts";

export interface Price {
  /** USD for `quantity` of what `per` names, as the price page states it. */
  readonly usd: number;
  readonly quantity: number;
  readonly per: string;
  /** Where the figure is published, and the public page the bench author read it on, with that page's date. */
  readonly source: string;
  readonly readOn: string;
}

/** Public prices, us-east-1 unless named otherwise. Figures checked on 2026-11-23. */
export const PRICES = {
  lambdaRequest: {
    usd: 0.2,
    quantity: 1_000_000,
    per: "Lambda requests",
    source: "https://aws.amazon.com/lambda/pricing/",
    readOn: "https://git.mcrn.ar/mariano/lambda_local_runner (docs/lambdas-md/lambda-13-cost.md): $0.20 per 1M requests, x86 and arm64",
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    quantity: 1,
    per: "GB-second, arm64 (first 7.5 billion GB-s a month)",
    source: "https://aws.amazon.com/lambda/pricing/",
    readOn: "https://cloudchipr.com/blog/aws-lambda-pricing (US East, ARM, first 7.5 billion GB-s: $0.0000133334)",
  },
  dynamoReadRequestUnit: {
    usd: 0.125,
    quantity: 1_000_000,
    per: "DynamoDB on-demand read request units (standard table class)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    readOn: "https://airbyte.com/data-engineering-resources/dynamodb-pricing (2025-07-21; prices after the November 2024 on-demand cut)",
  },
  dynamoWriteRequestUnit: {
    usd: 0.625,
    quantity: 1_000_000,
    per: "DynamoDB on-demand write request units (standard table class)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    readOn: "https://airbyte.com/data-engineering-resources/dynamodb-pricing (2025-07-21)",
  },
  httpApiRequest: {
    usd: 1.0,
    quantity: 1_000_000,
    per: "API Gateway HTTP API requests (first 300 million a month)",
    source: "https://aws.amazon.com/api-gateway/pricing/",
    readOn: "https://awsforengineers.com/blog/aws-api-gateway-pricing-explained (2025-05-19: HTTP APIs $1.00 per million, first 300M, US East)",
  },
  sesEmail: {
    usd: 0.1,
    quantity: 1_000,
    per: "SES outbound email recipients, à la carte (accounts on the Essentials plan, the default for new accounts since 2026-07-21, pay $0.16)",
    source: "https://aws.amazon.com/ses/pricing/",
    readOn: "AWS Price List API, AmazonSES us-east-1, published 2026-07-22, via github.com/api-evangelist/amazon-ses plans/amazon-ses-plans-pricing.yml",
  },
  smsPartJapan: {
    usd: 0.07451,
    quantity: 1,
    per: "SMS part to Japan (+81), transactional, all networks; prices differ by country and change often (81 is not in the template's default SmsAllowedCountryCodes)",
    source: "https://aws.amazon.com/end-user-messaging/pricing/",
    readOn: "https://dev.classmethod.jp/articles/aws-end-user-messaging-sms-japanese-message-parts-pricing/ (2026-05-18, quoting the AWS page)",
  },
} as const satisfies Record<string, Price>;

/**
 * The warm-latency scenario (and event label) standing for each invocation a sign-in makes, in
 * flow order (README "How an app signs in"), so each is billed at the duration of its own path. The
 * SMS code round is billed as the email one: both are one UpdateItem and one request to the outbox.
 */
type Path = readonly [scenario: string, label?: string];
type BilledFunction = TriggerName | typeof PASSKEY_API_FUNCTION;
/** A passkey answer to SELECT_METHOD, with a username or without one. */
const PASSKEY_SIGN_IN_PATHS: Partial<Record<BilledFunction, readonly Path[]>> = {
  DefineAuthChallenge: [
    ["define-auth-challenge", "new sign-in"],
    ["define-auth-challenge", "passkey accepted"],
  ],
  CreateAuthChallenge: [["create-auth-challenge/select-method"]],
  VerifyAuthChallengeResponse: [["verify-auth-challenge-response/passkey-assertion"]],
  PreTokenGeneration: [["pre-token-generation"]],
};
const INVOCATION_PATHS: Readonly<Record<SignInMethodId, Partial<Record<BilledFunction, readonly Path[]>>>> = {
  emailCode: {
    DefineAuthChallenge: [
      ["define-auth-challenge", "new sign-in"],
      ["define-auth-challenge", "method chosen"],
      ["define-auth-challenge", "code accepted"],
    ],
    CreateAuthChallenge: [["create-auth-challenge/select-method"], ["create-auth-challenge/email-code-round"]],
    VerifyAuthChallengeResponse: [["verify-auth-challenge-response/method-choice"], ["verify-auth-challenge-response/code-answer", "correct code"]],
    PreTokenGeneration: [["pre-token-generation"]],
  },
  passkey: PASSKEY_SIGN_IN_PATHS,
  // The passkey sign-in's invocations, after the passkey API's challenge route (PASSKEY_API_FUNCTION).
  // Verify is billed at the passkey answer's duration: taking the stored challenge adds one
  // UpdateItem to it, whose request units are in the DynamoDB lines (its milliseconds are not).
  passkeyWithoutUsername: { [PASSKEY_API_FUNCTION]: [["passkeys-api/sign-in-challenge"]], ...PASSKEY_SIGN_IN_PATHS },
  smsCode: {
    DefineAuthChallenge: [
      ["define-auth-challenge", "new sign-in"],
      ["define-auth-challenge", "method chosen"],
      ["define-auth-challenge", "code accepted"],
    ],
    CreateAuthChallenge: [["create-auth-challenge/select-method"], ["create-auth-challenge/email-code-round"]],
    VerifyAuthChallengeResponse: [["verify-auth-challenge-response/method-choice"], ["verify-auth-challenge-response/code-answer", "correct code"]],
    PreTokenGeneration: [["pre-token-generation"]],
  },
  emailCodeThenEnrolment: {
    DefineAuthChallenge: [
      ["define-auth-challenge", "new sign-in"],
      ["define-auth-challenge", "method chosen"],
      ["define-auth-challenge/enrolment", "code accepted, enrolment asked"],
      ["define-auth-challenge/enrolment", "enrolment accepted"],
    ],
    CreateAuthChallenge: [
      ["create-auth-challenge/select-method"],
      ["create-auth-challenge/email-code-round"],
      ["create-auth-challenge/passkey-registration-round"],
    ],
    VerifyAuthChallengeResponse: [
      ["verify-auth-challenge-response/method-choice"],
      ["verify-auth-challenge-response/code-answer-before-enrolment"],
      // Stores the passkey and sends the notice email, whose price is in the messages line.
      ["verify-auth-challenge-response/passkey-registration"],
    ],
    PreTokenGeneration: [["pre-token-generation"]],
  },
};

export interface CostLines {
  readonly lambdaRequests: number;
  readonly lambdaCompute: number;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  /** HTTP API requests: the passkey API's, in a sign-in without a username. */
  readonly apiGateway: number;
  readonly messages: number;
}

export interface MethodCost {
  readonly method: SignInMethodId;
  readonly usdPerMillionSignIns: number;
  /** The same total, by what is billed. */
  readonly usdPerMillionByLine: CostLines;
  readonly gbSecondsPerSignIn: number;
  /** Trigger invocations whose path the bench did not expect: billed at the mean of that trigger's known paths. */
  readonly unexpectedInvocations: readonly string[];
}

/** USD for one unit: one request, one GB-second, one request unit, one message. */
export function unitPrice(price: Price): number {
  return price.usd / price.quantity;
}

function billedMs(warm: readonly WarmResult[], [scenario, label]: Path): number {
  const result = warm.find((entry) => entry.id === scenario);
  if (result === undefined) throw new Error(`No warm-latency result for ${scenario}.`);
  if (label === undefined) return result.meanBilledMs;
  const ofLabel = result.byLabel[label];
  if (ofLabel === undefined) throw new Error(`No warm-latency result for ${scenario} · ${label}.`);
  return ofLabel.meanBilledMs;
}

/**
 * @param memoryMbOfTrigger memory size of the function serving each trigger (and PASSKEY_API_FUNCTION), from template.yaml
 */
export function costPerMillion(measured: MethodResult, warm: readonly WarmResult[], memoryMbOfTrigger: Readonly<Partial<Record<string, number>>>): MethodCost {
  const usage = measured.perSignIn;
  let gbSeconds = 0;
  const unexpected: string[] = [];
  for (const [trigger, count] of Object.entries(usage.invocations)) {
    const paths = INVOCATION_PATHS[measured.method][trigger as BilledFunction] ?? [];
    if (paths.length !== count) unexpected.push(`${trigger}: ${count} invocations, ${paths.length} expected`);
    if (paths.length === 0) throw new Error(`No warm-latency path stands for ${trigger} in a ${measured.method} sign-in.`);
    const memoryGb = (memoryMbOfTrigger[trigger] ?? 128) / 1024;
    gbSeconds += ((count * mean(paths.map((path) => billedMs(warm, path)))) / 1000) * memoryGb;
  }
  const perSignIn: CostLines = {
    lambdaRequests: usage.lambdaInvocations * unitPrice(PRICES.lambdaRequest),
    lambdaCompute: gbSeconds * unitPrice(PRICES.lambdaArmGbSecond),
    dynamoReads: usage.readUnits * unitPrice(PRICES.dynamoReadRequestUnit),
    dynamoWrites: usage.writeUnits * unitPrice(PRICES.dynamoWriteRequestUnit),
    apiGateway: (usage.invocations[PASSKEY_API_FUNCTION] ?? 0) * unitPrice(PRICES.httpApiRequest),
    messages: usage.emails * unitPrice(PRICES.sesEmail) + usage.smsParts * unitPrice(PRICES.smsPartJapan),
  };
  const perMillion = Object.fromEntries(Object.entries(perSignIn).map(([line, usd]) => [line, usd * 1_000_000])) as unknown as CostLines;
  return {
    method: measured.method,
    usdPerMillionSignIns: Object.values(perMillion).reduce((sum, usd) => sum + usd, 0),
    usdPerMillionByLine: perMillion,
    gbSecondsPerSignIn: gbSeconds,
    unexpectedInvocations: unexpected,
  };
}
