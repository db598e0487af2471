/**
 * Factories for Cognito trigger events of the exact shape Cognito sends (AWS developer guide,
 * "Custom authentication challenge Lambda triggers", "Pre sign-up Lambda trigger",
 * "Pre token generation Lambda trigger"). Tests, the bench and scripts/generate-events.ts build
 * events here instead of copying JSON.
 *
 * The kit imports nothing of the suite (lib/, functions/): what a round leaves in the session is
 * typed by the caller, with lib/flow/challenge-metadata.ts's RoundMetadata, and written here as
 * that module's encodeRoundMetadata writes it, as JSON (test/unit/flow/session-entry.test.ts
 * holds the two to the same string).
 */
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";

export const POOL_ID = "eu-west-1_Example01";
export const CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado";
export const USER_NAME = "8f2e4c1a-5b6d-4e7f-9a0b-1c2d3e4f5a6b";
export const USER_ATTRIBUTES: Record<string, string> = {
  sub: USER_NAME,
  email: "jane.doe@example.com",
  email_verified: "false",
  phone_number: "+447700900123",
  phone_number_verified: "false",
  "cognito:user_status": "CONFIRMED",
};

export interface SessionEntry {
  challengeName: "CUSTOM_CHALLENGE";
  challengeResult: boolean;
  challengeMetadata: string;
}

/** The facts a round leaves as challengeMetadata, such as lib/flow/challenge-metadata.ts's RoundMetadata. */
export interface RoundFacts {
  readonly round: string;
}

/** One entry of Cognito's `session[]`: the round `metadata` was written for, and whether its answer was right. */
export function sessionEntry<M extends RoundFacts>(metadata: M, challengeResult = false): SessionEntry {
  return { challengeName: "CUSTOM_CHALLENGE", challengeResult, challengeMetadata: JSON.stringify(metadata) };
}

interface CommonOptions {
  userName?: string;
  userAttributes?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  userNotFound?: boolean;
}

function common(triggerSource: string, options: CommonOptions) {
  return {
    version: "1",
    triggerSource,
    region: "eu-west-1",
    userPoolId: POOL_ID,
    userName: options.userName ?? USER_NAME,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: CLIENT_ID },
  };
}

function customAuthRequest(options: CommonOptions) {
  return {
    userAttributes: options.userNotFound ? {} : (options.userAttributes ?? USER_ATTRIBUTES),
    ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    ...(options.userNotFound === undefined ? {} : { userNotFound: options.userNotFound }),
  };
}

export function defineEvent(session: SessionEntry[], options: CommonOptions = {}): DefineAuthChallengeTriggerEvent {
  return {
    ...common("DefineAuthChallenge_Authentication", options),
    request: { ...customAuthRequest(options), session },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  } as unknown as DefineAuthChallengeTriggerEvent;
}

export function createEvent(session: SessionEntry[], options: CommonOptions = {}): CreateAuthChallengeTriggerEvent {
  return {
    ...common("CreateAuthChallenge_Authentication", options),
    request: { ...customAuthRequest(options), challengeName: "CUSTOM_CHALLENGE", session },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  } as unknown as CreateAuthChallengeTriggerEvent;
}

export function verifyEvent(
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: unknown,
  options: CommonOptions = {},
): VerifyAuthChallengeResponseTriggerEvent {
  return {
    ...common("VerifyAuthChallengeResponse_Authentication", options),
    request: { ...customAuthRequest(options), privateChallengeParameters, challengeAnswer },
    response: { answerCorrect: null },
  } as unknown as VerifyAuthChallengeResponseTriggerEvent;
}

export function preSignUpEvent(
  triggerSource: "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider",
  options: CommonOptions & { validationData?: Record<string, string> } = {},
): PreSignUpTriggerEvent {
  return {
    ...common(triggerSource, options),
    request: {
      userAttributes: options.userAttributes ?? { email: USER_ATTRIBUTES.email },
      validationData: options.validationData ?? null,
      ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as unknown as PreSignUpTriggerEvent;
}

export function preTokenEventV1(triggerSource = "TokenGeneration_Authentication", options: CommonOptions = {}): PreTokenGenerationTriggerEvent {
  return {
    ...common(triggerSource, options),
    request: {
      userAttributes: options.userAttributes ?? USER_ATTRIBUTES,
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    },
    response: { claimsOverrideDetails: null },
  } as unknown as PreTokenGenerationTriggerEvent;
}

export function preTokenEventV2(triggerSource = "TokenGeneration_Authentication", options: CommonOptions = {}): PreTokenGenerationV2TriggerEvent {
  return {
    ...common(triggerSource, options),
    version: "2",
    request: {
      userAttributes: options.userAttributes ?? USER_ATTRIBUTES,
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      scopes: ["aws.cognito.signin.user.admin"],
      ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    },
    response: { claimsAndScopeOverrideDetails: null },
  } as unknown as PreTokenGenerationV2TriggerEvent;
}
