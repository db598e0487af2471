/**
 * Operations authorized by the user's own tokens: GetUser, GlobalSignOut (access token) and
 * RevokeToken (refresh token). API reference: …/API_GetUser.html, …/API_GlobalSignOut.html,
 * …/API_RevokeToken.html (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/).
 */
import { requireClient } from "./auth-operations.ts";
import { CognitoError } from "./errors.ts";
import type { RequestContext } from "./pool-services.ts";
import { type Input, requiredString } from "./request-input.ts";
import { clientMayRead } from "./attribute-schema.ts";
import { attributeList } from "./user-views.ts";

export async function getUser(input: Input, context: RequestContext): Promise<unknown> {
  const { user } = context.services.tokens.verifyAccessToken(requiredString(input, "AccessToken"));
  // The access token's client reads only what its ReadAttributes allow.
  const attributes = attributeList(user).filter((attribute) => clientMayRead(context.services.pool.attributes, attribute.Name));
  return { Username: user.username, UserAttributes: attributes };
}

export async function globalSignOut(input: Input, context: RequestContext): Promise<unknown> {
  const { user } = context.services.tokens.verifyAccessToken(requiredString(input, "AccessToken"));
  context.services.tokens.globalSignOut(user.username);
  return {};
}

export async function revokeToken(input: Input, context: RequestContext): Promise<unknown> {
  const token = requiredString(input, "Token");
  requireClient(requiredString(input, "ClientId"), context);
  if (!context.services.pool.enableTokenRevocation) {
    throw new CognitoError("UnsupportedOperationException", "Token revocation is not enabled for this client.");
  }
  // An ID or access token here is "UnsupportedTokenTypeException"; an unknown refresh token is accepted
  // silently, as Cognito does not say whether a token it cannot find ever existed.
  if (token.split(".").length === 3) throw new CognitoError("UnsupportedTokenTypeException", "Token type is not supported.");
  context.services.tokens.revoke(token, context.services.pool.clientId);
  return {};
}
