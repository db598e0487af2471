/**
 * Reads an operation's JSON body into typed values at the boundary, answering Cognito's own
 * validation errors for missing or mistyped members, so no operation handles `unknown`.
 */
import { CognitoError, invalidParameter } from "./errors.ts";

export type Input = Readonly<Record<string, unknown>>;

/** Cognito's wording for a missing required member ("1 validation error detected: …"). */
function missing(member: string): CognitoError {
  return invalidParameter(
    `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
  );
}

export function parseBody(text: string): Input {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CognitoError("SerializationException", "Start of structure or map found where not expected.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CognitoError("SerializationException", "Start of list found where not expected");
  }
  return parsed as Input;
}

export function requiredString(input: Input, member: string): string {
  const value = input[member];
  if (value === undefined || value === null) throw missing(member);
  if (typeof value !== "string") throw new CognitoError("SerializationException", `Expected a string for ${member}.`);
  return value;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new CognitoError("SerializationException", `Expected a string for ${member}.`);
  return value;
}

export function optionalNumber(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new CognitoError("SerializationException", `Expected a number for ${member}.`);
  }
  return value;
}

/** A required list of strings such as UserAttributeNames. */
export function requiredStringList(input: Input, member: string): string[] {
  const value = input[member];
  if (value === undefined || value === null) throw missing(member);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new CognitoError("SerializationException", `Expected a list of strings for ${member}.`);
  }
  return value;
}

/** A string → string map such as ClientMetadata, AuthParameters or ChallengeResponses. */
export function stringMap(input: Input, member: string): Record<string, string> | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new CognitoError("SerializationException", `Expected a map for ${member}.`);
  }
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== "string") throw new CognitoError("SerializationException", `Expected string values in ${member}.`);
    map[key] = item;
  }
  return map;
}

export interface AttributeInput {
  readonly name: string;
  readonly value: string;
}

/** A list of `{ Name, Value }` such as UserAttributes or ValidationData. */
export function attributeList(input: Input, member: string): AttributeInput[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new CognitoError("SerializationException", `Expected a list for ${member}.`);
  return value.map((entry: unknown) => {
    const record = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const name = record["Name"];
    const item = record["Value"];
    if (typeof name !== "string" || name === "") throw missing(`${member}.member.name`);
    return { name, value: typeof item === "string" ? item : "" };
  });
}

export function objectMember(input: Input, member: string): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new CognitoError("SerializationException", `Expected a structure for ${member}.`);
  }
  return value as Input;
}
