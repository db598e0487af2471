/**
 * The events Cognito sends its triggers, field for field. Common parameters (developer guide,
 * "Customizing user pool workflows with Lambda triggers", "User pool Lambda trigger common parameters":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html#cognito-user-pools-lambda-trigger-syntax-shared):
 * `version`, `triggerSource`, `region`, `userPoolId`, `userName`, `callerContext { awsSdkVersion, clientId }`,
 * `request`, `response`; the response fields arrive as `null`.
 * Optional request members (`clientMetadata`, `userNotFound`) are present only when Cognito has them.
 */
import type { PoolConfig } from "./pool-config.ts";

export interface CallerContext {
  readonly awsSdkVersion: string;
  readonly clientId: string;
}

/** One entry of `request.session`: what a custom round asked and whether it was answered correctly. */
export interface ChallengeResult {
  readonly challengeName: "CUSTOM_CHALLENGE";
  readonly challengeResult: boolean;
  /** `null` when CreateAuthChallenge set no metadata (as real logs show). */
  readonly challengeMetadata: string | null;
}

/** The `awsSdkVersion` Cognito reports: the caller's SDK from its User-Agent, else unknown. */
export function sdkVersionFrom(userAgent: string | undefined): string {
  const match = /aws-sdk-js\/([0-9][0-9.]*)/.exec(userAgent ?? "");
  if (match !== null) return `aws-sdk-js-${match[1]}`;
  const amplify = /aws-amplify\/([0-9][0-9.]*)/.exec(userAgent ?? "");
  if (amplify !== null) return `aws-amplify-${amplify[1]}`;
  return "aws-sdk-unknown-unknown";
}

interface Envelope {
  readonly pool: PoolConfig;
  readonly userName: string;
  readonly callerContext: CallerContext;
}

function event(
  { pool, userName, callerContext }: Envelope,
  triggerSource: string,
  request: Record<string, unknown>,
  response: Record<string, unknown>,
  version = "1",
): Record<string, unknown> {
  return {
    version,
    triggerSource,
    region: pool.region,
    userPoolId: pool.userPoolId,
    userName,
    callerContext: { ...callerContext },
    request,
    response,
  };
}

function optional(clientMetadata: Readonly<Record<string, string>> | undefined, userNotFound: boolean | undefined) {
  return {
    ...(clientMetadata === undefined ? {} : { clientMetadata: { ...clientMetadata } }),
    ...(userNotFound === undefined ? {} : { userNotFound }),
  };
}

export interface AuthEventInput extends Envelope {
  readonly userAttributes: Readonly<Record<string, string>>;
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
  /** Set only when the app client has PreventUserExistenceErrors ENABLED. */
  readonly userNotFound?: boolean | undefined;
}

/** https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html */
export function defineAuthChallengeEvent(input: AuthEventInput & { session: readonly ChallengeResult[] }) {
  return event(
    input,
    "DefineAuthChallenge_Authentication",
    {
      userAttributes: { ...input.userAttributes },
      session: input.session.map((entry) => ({ ...entry })),
      ...optional(input.clientMetadata, input.userNotFound),
    },
    { challengeName: null, issueTokens: null, failAuthentication: null },
  );
}

/** https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html */
export function createAuthChallengeEvent(input: AuthEventInput & { session: readonly ChallengeResult[]; challengeName: string }) {
  return event(
    input,
    "CreateAuthChallenge_Authentication",
    {
      userAttributes: { ...input.userAttributes },
      challengeName: input.challengeName,
      session: input.session.map((entry) => ({ ...entry })),
      ...optional(input.clientMetadata, input.userNotFound),
    },
    { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  );
}

/** https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html */
export function verifyAuthChallengeEvent(input: AuthEventInput & { privateChallengeParameters: Readonly<Record<string, string>>; challengeAnswer: string }) {
  return event(
    input,
    "VerifyAuthChallengeResponse_Authentication",
    {
      userAttributes: { ...input.userAttributes },
      privateChallengeParameters: { ...input.privateChallengeParameters },
      challengeAnswer: input.challengeAnswer,
      ...optional(input.clientMetadata, input.userNotFound),
    },
    { answerCorrect: null },
  );
}

/**
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 * For PreSignUp_ExternalProvider (a federated user's first sign-in) the caller passes an empty
 * validationData and no clientMetadata: the hosted UI has neither to give, and a logged real event
 * shows `validationData: {}` (aws-amplify/amplify-js#8823).
 */
export function preSignUpEvent(
  input: Envelope & {
    triggerSource: "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider";
    userAttributes: Readonly<Record<string, string>>;
    validationData: Readonly<Record<string, string>> | undefined;
    clientMetadata: Readonly<Record<string, string>> | undefined;
  },
) {
  return event(
    input,
    input.triggerSource,
    {
      userAttributes: { ...input.userAttributes },
      ...(input.validationData === undefined ? {} : { validationData: { ...input.validationData } }),
      ...optional(input.clientMetadata, undefined),
    },
    { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  );
}

/** Sign-in through the API, a refresh, or the hosted UI's /oauth2/token (federated sign-in). */
export type TokenGenerationSource = "TokenGeneration_Authentication" | "TokenGeneration_RefreshTokens" | "TokenGeneration_HostedAuth";

/** https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html */
export function preTokenGenerationEvent(
  input: Envelope & {
    triggerSource: TokenGenerationSource;
    version: "1" | "2";
    userAttributes: Readonly<Record<string, string>>;
    groups: readonly string[];
    scopes: readonly string[];
    clientMetadata: Readonly<Record<string, string>> | undefined;
  },
) {
  const groupConfiguration = { groupsToOverride: [...input.groups], iamRolesToOverride: [], preferredRole: null };
  const request =
    input.version === "2"
      ? { userAttributes: { ...input.userAttributes }, scopes: [...input.scopes], groupConfiguration, ...optional(input.clientMetadata, undefined) }
      : { userAttributes: { ...input.userAttributes }, groupConfiguration, ...optional(input.clientMetadata, undefined) };
  const response = input.version === "2" ? { claimsAndScopeOverrideDetails: null } : { claimsOverrideDetails: null };
  return event(input, input.triggerSource, request, response, input.version);
}
