/**
 * ListUsers' Filter: one attribute, `name = "value"` (exact) or `name ^= "value"` (prefix), over the
 * attributes Cognito lets you search. API reference, ListUsers, Filter:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html#CognitoUserPools-ListUsers-request-Filter
 * Pure: parses the string once, then matches users.
 */
import { invalidParameter } from "./errors.ts";
import type { UserRecord } from "./user-directory.ts";

const SEARCHABLE = new Set([
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
]);

export interface UserFilter {
  readonly attribute: string;
  readonly operator: "=" | "^=";
  readonly value: string;
}

export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  const match = /^\s*([A-Za-z_:]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (match === null) throw invalidParameter("Error while parsing filter.");
  const [, attribute, operator, raw] = match as unknown as [string, string, "=" | "^=", string];
  if (!SEARCHABLE.has(attribute)) throw invalidParameter(`Invalid search attribute: ${attribute}`);
  return { attribute, operator, value: raw.replace(/\\(.)/g, "$1") };
}

function filteredValueOf(user: UserRecord, attribute: string): string | undefined {
  switch (attribute) {
    case "username":
      return user.username;
    case "cognito:user_status":
      return user.status;
    case "status":
      return user.enabled ? "Enabled" : "Disabled";
    default:
      return user.attributes[attribute];
  }
}

export function matchesFilter(user: UserRecord, filter: UserFilter | undefined): boolean {
  if (filter === undefined) return true;
  const value = filteredValueOf(user, filter.attribute);
  if (value === undefined) return false;
  return filter.operator === "=" ? value === filter.value : value.startsWith(filter.value);
}
