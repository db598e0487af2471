/**
 * CUSTOM_AUTH exactly as Cognito runs it (developer guide, "Custom authentication challenge Lambda
 * triggers": https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html):
 * InitiateAuth → Define → Create → (app answers → Verify → Define → Create …) until Define issues
 * tokens or fails the sign-in.
 * - ClientMetadata of InitiateAuth reaches none of Define/Create/Verify (InitiateAuth API reference,
 *   ClientMetadata: "doesn't invoke … define auth challenge, create auth challenge, verify auth challenge");
 *   that of RespondToAuthChallenge reaches Define, Create, Verify and pre token generation.
 * - The app gets Create's public parameters plus USERNAME (the internal username); the private
 *   parameters and challengeMetadata stay here.
 * - An unknown user with PreventUserExistenceErrors ENABLED runs the same triggers with
 *   `userNotFound: true` and no attributes, and can never receive tokens
 *   (developer guide, "Managing user existence error responses":
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html).
 */
import { createHmac } from "node:crypto";
import type { AuthSessionState, PendingChallenge } from "./auth-sessions.ts";
import { CognitoError, MESSAGES, invalidParameter, notAuthorized, unrecognizableLambdaOutput, userNotFound } from "./errors.ts";
import type { RequestContext } from "./pool-services.ts";
import type { AuthenticationResult } from "./token-service.ts";
import { type ChallengeResult, createAuthChallengeEvent, defineAuthChallengeEvent, verifyAuthChallengeEvent } from "./trigger-events.ts";
import { triggerAttributes } from "./user-views.ts";

export type AuthOutcome =
  | { readonly ChallengeName: "CUSTOM_CHALLENGE"; readonly Session: string; readonly ChallengeParameters: Record<string, string> }
  | { readonly AuthenticationResult: AuthenticationResult; readonly ChallengeParameters: Record<string, string> };

type SignIn = Omit<AuthSessionState, "pending">;

/** A UUID-shaped stand-in for an unknown login, stable per login, so both cases look alike. */
function standInUsername(login: string, secret: Buffer): string {
  const hex = createHmac("sha256", secret).update(login).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function attributesFor(signIn: SignIn, context: RequestContext): Record<string, string> {
  if (signIn.userNotFound) return {};
  const user = context.services.users.get(signIn.userName);
  // The user was deleted mid-sign-in: Cognito fails the sign-in the same way as a wrong answer.
  if (user === undefined) throw notAuthorized(MESSAGES.incorrectCredentials);
  return triggerAttributes(user);
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw unrecognizableLambdaOutput();
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, item]) => typeof item !== "string")) throw unrecognizableLambdaOutput();
  return Object.fromEntries(entries) as Record<string, string>;
}

function responseOf(answered: Record<string, unknown>): Record<string, unknown> {
  const response = answered["response"];
  if (typeof response !== "object" || response === null || Array.isArray(response)) throw unrecognizableLambdaOutput();
  return response as Record<string, unknown>;
}

function requireChallengeTriggers(context: RequestContext): void {
  const triggers = context.services.triggers();
  if (!triggers.has("DefineAuthChallenge") || !triggers.has("CreateAuthChallenge") || !triggers.has("VerifyAuthChallengeResponse")) {
    throw invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
  }
}

/** Define decides; then either tokens, a failure, or Create builds the next challenge. */
async function nextStep(signIn: SignIn, clientMetadata: Record<string, string> | undefined, context: RequestContext): Promise<AuthOutcome> {
  const { pool, triggers, sessions, tokens, users } = context.services;
  const common = {
    pool,
    userName: signIn.userName,
    callerContext: context.callerContext,
    clientMetadata,
    userNotFound: pool.preventUserExistenceErrors ? signIn.userNotFound : undefined,
  };
  const define = responseOf(
    await triggers().invoke(
      "DefineAuthChallenge",
      defineAuthChallengeEvent({ ...common, userAttributes: attributesFor(signIn, context), session: signIn.rounds }),
    ),
  );
  if (define["failAuthentication"] === true) throw notAuthorized(MESSAGES.incorrectCredentials);
  if (define["issueTokens"] === true) {
    const user = signIn.userNotFound ? undefined : users.get(signIn.userName);
    if (user === undefined) throw notAuthorized(MESSAGES.incorrectCredentials);
    const result = await tokens.issueForSignIn(user, { callerContext: context.callerContext, clientMetadata });
    return { AuthenticationResult: result, ChallengeParameters: {} };
  }
  // The local pool runs custom challenges only; SRP or MFA steps inside a custom flow are not emulated.
  if (define["challengeName"] !== "CUSTOM_CHALLENGE") throw unrecognizableLambdaOutput();

  const create = responseOf(
    await triggers().invoke(
      "CreateAuthChallenge",
      createAuthChallengeEvent({ ...common, userAttributes: attributesFor(signIn, context), session: signIn.rounds, challengeName: "CUSTOM_CHALLENGE" }),
    ),
  );
  const metadata = create["challengeMetadata"];
  if (metadata !== undefined && metadata !== null && typeof metadata !== "string") throw unrecognizableLambdaOutput();
  const pending: PendingChallenge = {
    challengeName: "CUSTOM_CHALLENGE",
    privateChallengeParameters: stringRecord(create["privateChallengeParameters"]) ?? {},
    challengeMetadata: typeof metadata === "string" ? metadata : null,
  };
  const publicParameters = stringRecord(create["publicChallengeParameters"]) ?? {};
  const session = sessions.issue({ ...signIn, pending });
  return {
    ChallengeName: "CUSTOM_CHALLENGE",
    Session: session,
    ChallengeParameters: { ...publicParameters, USERNAME: signIn.userName },
  };
}

/** InitiateAuth with AuthFlow CUSTOM_AUTH. InitiateAuth's ClientMetadata is deliberately not passed on. */
export async function startCustomAuth(login: string, context: RequestContext): Promise<AuthOutcome> {
  const { pool, users, standInSecret } = context.services;
  requireChallengeTriggers(context);
  const user = users.find(login);
  if (user === undefined) {
    if (!pool.preventUserExistenceErrors) throw userNotFound();
    return nextStep({ userName: standInUsername(login, standInSecret), login, userNotFound: true, rounds: [] }, undefined, context);
  }
  if (!user.enabled) throw notAuthorized("User is disabled.");
  if (user.status === "UNCONFIRMED") throw new CognitoError("UserNotConfirmedException", "User is not confirmed.");
  return nextStep({ userName: user.username, login, userNotFound: false, rounds: [] }, undefined, context);
}

/** RespondToAuthChallenge with ChallengeName CUSTOM_CHALLENGE and ChallengeResponses { USERNAME, ANSWER }. */
export async function answerCustomChallenge(
  input: { session: string; username: string | undefined; answer: string | undefined; clientMetadata: Record<string, string> | undefined },
  context: RequestContext,
): Promise<AuthOutcome> {
  const state = context.services.sessions.take(input.session);
  if (input.username === undefined) throw invalidParameter("Missing required parameter USERNAME");
  if (input.username !== state.userName && input.username !== state.login) throw notAuthorized(MESSAGES.invalidSession);
  if (input.answer === undefined) throw invalidParameter("Missing required parameter ANSWER");
  const { pool, triggers } = context.services;
  const { pending, ...signIn } = state;
  const verify = responseOf(
    await triggers().invoke(
      "VerifyAuthChallengeResponse",
      verifyAuthChallengeEvent({
        pool,
        userName: signIn.userName,
        callerContext: context.callerContext,
        clientMetadata: input.clientMetadata,
        userNotFound: pool.preventUserExistenceErrors ? signIn.userNotFound : undefined,
        userAttributes: attributesFor(signIn, context),
        privateChallengeParameters: pending.privateChallengeParameters,
        challengeAnswer: input.answer,
      }),
    ),
  );
  const answerCorrect = verify["answerCorrect"];
  if (answerCorrect !== undefined && answerCorrect !== null && typeof answerCorrect !== "boolean") throw unrecognizableLambdaOutput();
  const round: ChallengeResult = {
    challengeName: "CUSTOM_CHALLENGE",
    challengeResult: answerCorrect === true,
    challengeMetadata: pending.challengeMetadata,
  };
  return nextStep({ ...signIn, rounds: [...signIn.rounds, round] }, input.clientMetadata, context);
}
