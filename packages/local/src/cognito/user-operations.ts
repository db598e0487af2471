/**
 * Administering users (SigV4-signed by the SDK; the local endpoint accepts any signature, since it
 * has no IAM to check it against): AdminGetUser, ListUsers, AdminUpdateUserAttributes,
 * AdminDeleteUserAttributes, AdminDeleteUser, AdminLinkProviderForUser. API reference:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/ (…/API_AdminGetUser.html,
 * …/API_ListUsers.html, …/API_AdminUpdateUserAttributes.html, …/API_AdminDeleteUserAttributes.html,
 * …/API_AdminDeleteUser.html, …/API_AdminLinkProviderForUser.html).
 */
import { checkAgainstSchema } from "./attribute-schema.ts";
import { CognitoError, invalidParameter, userNotFound } from "./errors.ts";
import { findIdentityProvider } from "./federation-config.ts";
import { matchesFilter, parseUserFilter } from "./list-users-filter.ts";
import type { RequestContext } from "./pool-services.ts";
import {
  type Input,
  attributeList as readAttributes,
  objectMember,
  optionalNumber,
  optionalString,
  requiredString,
  requiredStringList,
} from "./request-input.ts";
import type { UserRecord } from "./user-directory.ts";
import { attributeList, userDescription } from "./user-views.ts";

/** A user may have at most five linked identities (AdminLinkProviderForUser). */
const MAX_LINKED_IDENTITIES = 5;
const LIST_USERS_MAX = 60;

export function requireUserPool(input: Input, context: RequestContext): void {
  const userPoolId = requiredString(input, "UserPoolId");
  if (userPoolId !== context.services.pool.userPoolId) {
    throw new CognitoError("ResourceNotFoundException", `User pool ${userPoolId} does not exist.`);
  }
}

/** Admin operations take the username or, in an alias pool, the email or phone number. */
function existingUser(input: Input, context: RequestContext): UserRecord {
  const user = context.services.users.find(requiredString(input, "Username"));
  if (user === undefined) throw userNotFound();
  return user;
}

export async function adminGetUser(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const user = existingUser(input, context);
  return { ...userDescription(user), UserAttributes: attributeList(user) };
}

export async function listUsers(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const filter = parseUserFilter(optionalString(input, "Filter"));
  const limit = optionalNumber(input, "Limit") ?? LIST_USERS_MAX;
  if (!Number.isInteger(limit) || limit < 0 || limit > LIST_USERS_MAX) {
    throw invalidParameter(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${LIST_USERS_MAX}`,
    );
  }
  const token = optionalString(input, "PaginationToken");
  const start = token === undefined ? 0 : Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(start) || start < 0) throw invalidParameter("Invalid pagination token.");
  const wanted = Array.isArray(input["AttributesToGet"]) ? new Set((input["AttributesToGet"] as unknown[]).map(String)) : undefined;
  const matching = context.services.users.list().filter((user) => matchesFilter(user, filter));
  const page = matching.slice(start, start + (limit === 0 ? LIST_USERS_MAX : limit));
  const next = start + page.length;
  return {
    Users: page.map((user) => ({
      ...userDescription(user),
      Attributes: attributeList(user).filter((attribute) => wanted === undefined || wanted.has(attribute.Name)),
    })),
    ...(next < matching.length ? { PaginationToken: Buffer.from(String(next)).toString("base64url") } : {}),
  };
}

export async function adminUpdateUserAttributes(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const user = existingUser(input, context);
  const updates = Object.fromEntries((readAttributes(input, "UserAttributes") ?? []).map(({ name, value }) => [name, value]));
  if (updates["sub"] !== undefined) throw invalidParameter("Cannot modify the non-mutable attribute sub");
  checkAgainstSchema(context.services.pool.attributes, updates);
  const conflict = context.services.users.conflictingAlias(updates, user.username);
  if (conflict !== undefined) throw new CognitoError("AliasExistsException", `An account with the given ${conflict} already exists.`);
  // A changed email or phone number is unverified until proven again, unless the caller marks it verified.
  for (const [attribute, flag] of [
    ["email", "email_verified"],
    ["phone_number", "phone_number_verified"],
  ] as const) {
    const value = updates[attribute];
    if (value !== undefined && value !== user.attributes[attribute] && updates[flag] === undefined) updates[flag] = "false";
  }
  user.attributes = { ...user.attributes, ...updates };
  context.services.users.touch(user, context.services.now());
  return {};
}

/**
 * Deletes attribute values from the user; tokens already issued keep their claims, as Cognito
 * documents. An email or phone number goes with its verified flag (a flag about a value that is
 * gone would claim what nobody proved), and once gone no longer finds the user nor stops another
 * user from taking it. Deleting what the user does not hold changes nothing: the docs name no
 * error for it, and none is the conservative answer.
 */
export async function adminDeleteUserAttributes(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const names = new Set(requiredStringList(input, "UserAttributeNames"));
  if (names.has("sub")) throw invalidParameter("Cannot modify the non-mutable attribute sub");
  const user = existingUser(input, context);
  for (const [attribute, flag] of [
    ["email", "email_verified"],
    ["phone_number", "phone_number_verified"],
  ] as const) {
    if (names.has(attribute)) names.add(flag);
  }
  user.attributes = Object.fromEntries(Object.entries(user.attributes).filter(([name]) => !names.has(name)));
  context.services.users.touch(user, context.services.now());
  return {};
}

/** Deletes the user with its linked identities; its refresh tokens stop working since they name a user that is gone. */
export async function adminDeleteUser(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const user = existingUser(input, context);
  context.services.users.remove(user.username);
  return {};
}

export async function adminLinkProviderForUser(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const destination = objectMember(input, "DestinationUser");
  const source = objectMember(input, "SourceUser");
  if (destination === undefined) throw invalidParameter("Missing required parameter DestinationUser");
  if (source === undefined) throw invalidParameter("Missing required parameter SourceUser");
  if (requiredString(destination, "ProviderName") !== "Cognito") {
    throw invalidParameter("DestinationUser ProviderName must be Cognito.");
  }
  const sourceProvider = requiredString(source, "ProviderName");
  const subject = requiredString(source, "ProviderAttributeValue");
  if (sourceProvider === "Cognito") throw invalidParameter("SourceUser ProviderName cannot be Cognito.");
  // Only a provider the pool has can be linked, named exactly ("Google", not the "google" prefix a
  // federated username may carry). The wording of Cognito's refusal is not documented; this is ours.
  const provider = findIdentityProvider(context.services.federation(), sourceProvider);
  if (provider === undefined) {
    throw invalidParameter(`Invalid SourceUser: the user pool has no identity provider named ${sourceProvider}.`);
  }
  const { users, now } = context.services;
  const target = users.get(requiredString(destination, "ProviderAttributeValue"));
  if (target === undefined) throw userNotFound();
  const alreadyLinked = users
    .list()
    .some(
      (user) =>
        user.username.toLowerCase() === `${sourceProvider}_${subject}`.toLowerCase() ||
        user.identities.some((identity) => identity.providerName === sourceProvider && identity.userId === subject),
    );
  if (alreadyLinked) {
    throw invalidParameter("Merging is not currently supported, provide a SourceUser that has not been linked to a user pool yet.");
  }
  if (target.identities.length >= MAX_LINKED_IDENTITIES) throw new CognitoError("LimitExceededException", "Too many identities linked to the user.");
  target.identities = [...target.identities, { providerName: sourceProvider, providerType: provider.providerType, userId: subject, dateCreated: now() }];
  users.touch(target, now());
  return {};
}
