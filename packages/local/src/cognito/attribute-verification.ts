/**
 * A signed-in user proving an email address or phone number, authorized by their own access token
 * (unsigned, like GetUser): GetUserAttributeVerificationCode sends a code to the attribute's value,
 * VerifyUserAttribute takes it back and sets `<attribute>_verified` to "true". API reference:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifyUserAttribute.html
 *
 * Not reproduced: the CustomMessage_VerifyUserAttribute trigger (the local pool runs no
 * CustomMessage trigger, so ClientMetadata is read for its shape and goes nowhere), attempt limits
 * (LimitExceededException), and pools whose UserAttributeUpdateSettings hold a changed address as
 * pending until verified (the local pool changes it at once, as when that setting is off).
 */
import { type VerifiableAttribute, deliverVerificationCode } from "./code-delivery.ts";
import { CognitoError, MESSAGES, invalidParameter } from "./errors.ts";
import type { RequestContext } from "./pool-services.ts";
import { type Input, requiredString, stringMap } from "./request-input.ts";
import type { UserRecord } from "./user-directory.ts";

const VERIFIED_FLAG: Readonly<Record<VerifiableAttribute, string>> = { email: "email_verified", phone_number: "phone_number_verified" };

/**
 * Only an email address or a phone number can receive a code. The wording of Cognito's refusal is
 * not documented; this is ours, with the documented exception.
 */
function verifiableAttribute(name: string): VerifiableAttribute {
  if (name === "email" || name === "phone_number") return name;
  throw invalidParameter(`Cannot verify attribute ${name}: only email and phone_number can be verified.`);
}

/** Codes belong to the user's sub, which no later user gets, even one given the same username. */
function userKey(user: UserRecord): string {
  return user.attributes["sub"] ?? user.username;
}

export async function getUserAttributeVerificationCode(input: Input, context: RequestContext): Promise<unknown> {
  const accessToken = requiredString(input, "AccessToken");
  const attribute = verifiableAttribute(requiredString(input, "AttributeName"));
  // Checked for its shape only: it would go to a CustomMessage trigger, which the local pool does not run.
  stringMap(input, "ClientMetadata");
  // The same check as GetUser: an ID token, an expired or a revoked access token is NotAuthorizedException.
  const { user } = context.services.tokens.verifyAccessToken(accessToken);
  const value = user.attributes[attribute];
  // Cognito documents InvalidParameterException for this; the wording is ours.
  if (value === undefined || value === "") throw invalidParameter(`The user has no ${attribute} to send a verification code to.`);
  // An already verified value gets a code too: the docs do not refuse it, and verifying it again changes nothing.
  const code = context.services.verificationCodes.issue(userKey(user), attribute, value);
  return { CodeDeliveryDetails: deliverVerificationCode(attribute, value, code, context.services.deliver) };
}

/**
 * Verifies the value the code was sent to. A wrong code, a used one, one never requested, or one
 * sent to a value the attribute no longer holds is CodeMismatchException (the docs name no other
 * error for a code that proves nothing); the right code after its 24 hours is ExpiredCodeException.
 */
export async function verifyUserAttribute(input: Input, context: RequestContext): Promise<unknown> {
  const accessToken = requiredString(input, "AccessToken");
  const attribute = verifiableAttribute(requiredString(input, "AttributeName"));
  const code = requiredString(input, "Code");
  const { users, verificationCodes, now } = context.services;
  const { user } = context.services.tokens.verifyAccessToken(accessToken);
  const outcome = verificationCodes.redeem(userKey(user), attribute, user.attributes[attribute], code);
  if (outcome === "mismatch") throw new CognitoError("CodeMismatchException", MESSAGES.codeMismatch);
  if (outcome === "expired") throw new CognitoError("ExpiredCodeException", MESSAGES.expiredCode);
  user.attributes = { ...user.attributes, [VERIFIED_FLAG[attribute]]: "true" };
  users.touch(user, now());
  return {};
}
