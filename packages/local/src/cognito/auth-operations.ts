/**
 * The unauthenticated sign-in operations: InitiateAuth (CUSTOM_AUTH, REFRESH_TOKEN_AUTH),
 * RespondToAuthChallenge (CUSTOM_CHALLENGE) and GetTokensFromRefreshToken.
 * API reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html,
 * …/API_RespondToAuthChallenge.html, …/API_GetTokensFromRefreshToken.html
 */
import { answerCustomChallenge, startCustomAuth } from "./custom-auth-flow.ts";
import { CognitoError, invalidParameter } from "./errors.ts";
import type { RequestContext } from "./pool-services.ts";
import { type Input, optionalString, requiredString, stringMap } from "./request-input.ts";

export function requireClient(clientId: string, context: RequestContext): void {
  if (clientId !== context.services.pool.clientId) {
    throw new CognitoError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  }
}

function requireFlow(flow: string, allowed: string, context: RequestContext): void {
  if (!context.services.pool.explicitAuthFlows.includes(allowed)) {
    throw invalidParameter(`${flow} flow not enabled for this client`);
  }
}

export async function initiateAuth(input: Input, context: RequestContext): Promise<unknown> {
  const authFlow = requiredString(input, "AuthFlow");
  requireClient(requiredString(input, "ClientId"), context);
  const parameters = stringMap(input, "AuthParameters") ?? {};
  switch (authFlow) {
    case "CUSTOM_AUTH": {
      requireFlow(authFlow, "ALLOW_CUSTOM_AUTH", context);
      const username = parameters["USERNAME"];
      if (username === undefined || username === "") throw invalidParameter("Missing required parameter USERNAME");
      // InitiateAuth's ClientMetadata goes to pre sign-up, pre authentication and user migration only:
      // never to the challenge triggers, so it is not handed on.
      return startCustomAuth(username, context);
    }
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN": {
      requireFlow(authFlow, "ALLOW_REFRESH_TOKEN_AUTH", context);
      const refreshToken = parameters["REFRESH_TOKEN"];
      if (refreshToken === undefined || refreshToken === "") throw invalidParameter("Missing required parameter REFRESH_TOKEN");
      // Nor does it reach pre token generation on refresh.
      const result = await context.services.tokens.refresh(refreshToken, context.services.pool.clientId, {
        callerContext: context.callerContext,
        clientMetadata: undefined,
      });
      return { AuthenticationResult: result, ChallengeParameters: {} };
    }
    default:
      throw invalidParameter(`${authFlow} is not supported by the local pool: it signs in with CUSTOM_AUTH and REFRESH_TOKEN_AUTH only.`);
  }
}

export async function respondToAuthChallenge(input: Input, context: RequestContext): Promise<unknown> {
  requireClient(requiredString(input, "ClientId"), context);
  const challengeName = requiredString(input, "ChallengeName");
  if (challengeName !== "CUSTOM_CHALLENGE") {
    throw invalidParameter(`${challengeName} is not supported by the local pool: it answers CUSTOM_CHALLENGE only.`);
  }
  const session = optionalString(input, "Session");
  if (session === undefined) throw invalidParameter("Missing required parameter Session");
  const responses = stringMap(input, "ChallengeResponses") ?? {};
  return answerCustomChallenge(
    { session, username: responses["USERNAME"], answer: responses["ANSWER"], clientMetadata: stringMap(input, "ClientMetadata") },
    context,
  );
}

export async function getTokensFromRefreshToken(input: Input, context: RequestContext): Promise<unknown> {
  const refreshToken = requiredString(input, "RefreshToken");
  requireClient(requiredString(input, "ClientId"), context);
  requireFlow("REFRESH_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", context);
  // Unlike InitiateAuth, this operation hands its ClientMetadata to pre token generation.
  const result = await context.services.tokens.refresh(refreshToken, context.services.pool.clientId, {
    callerContext: context.callerContext,
    clientMetadata: stringMap(input, "ClientMetadata"),
  });
  return { AuthenticationResult: result };
}
