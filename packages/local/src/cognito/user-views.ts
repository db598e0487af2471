/**
 * How a user looks to each audience: to triggers (`userAttributes`, every value a string), to the
 * admin API (`[{ Name, Value }]`), and to the ID token (booleans for the *_verified flags,
 * `identities` as an array). Developer guide, "Understanding the identity (ID) token":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 */
import { type AttributeSchema, clientMayRead } from "./attribute-schema.ts";
import type { LinkedIdentity, UserRecord } from "./user-directory.ts";

/** The `identities` attribute/claim entries, in Cognito's format (strings for dateCreated and primary). */
function identityEntries(identities: readonly LinkedIdentity[]) {
  return identities.map((identity) => ({
    dateCreated: String(identity.dateCreated),
    userId: identity.userId,
    providerName: identity.providerName,
    providerType: identity.providerType,
    issuer: null,
    primary: String(identity.primary === true),
  }));
}

/** What a trigger's `request.userAttributes` holds. */
export function triggerAttributes(user: UserRecord): Record<string, string> {
  return {
    ...user.attributes,
    ...(user.identities.length > 0 ? { identities: JSON.stringify(identityEntries(user.identities)) } : {}),
    "cognito:user_status": user.status,
  };
}

/** What AdminGetUser's UserAttributes and ListUsers' Attributes list. */
export function attributeList(user: UserRecord): { Name: string; Value: string }[] {
  const attributes: Record<string, string> = {
    ...user.attributes,
    ...(user.identities.length > 0 ? { identities: JSON.stringify(identityEntries(user.identities)) } : {}),
  };
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** The user's attributes as ID token claims: those the app client may read. */
export function idTokenAttributeClaims(user: UserRecord, schema: AttributeSchema): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (!clientMayRead(schema, name)) continue;
    claims[name] = name.endsWith("_verified") ? value === "true" : value;
  }
  if (user.identities.length > 0) claims["identities"] = identityEntries(user.identities);
  return claims;
}

/** A user as AdminGetUser, AdminCreateUser and ListUsers describe one (timestamps in epoch seconds). */
export function userDescription(user: UserRecord) {
  return {
    Username: user.username,
    Enabled: user.enabled,
    UserStatus: user.status,
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.modifiedAt / 1000,
  };
}
