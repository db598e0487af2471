/**
 * Reads the parts of a Cognito trigger event the suite relies on. An event is untrusted input:
 * a field of the wrong type becomes a MalformedEventError naming the field, never a TypeError
 * deep inside a handler.
 */
import { MalformedEventError } from "../errors.ts";

/** Keys that must never become properties of objects we build from event data. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Cognito's limits keep real maps small; anything past these is not a Cognito event. */
const MAX_MAP_ENTRIES = 200;
const MAX_VALUE_LENGTH = 65_536;

export function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedEventError(`${field} should be an object.`);
  }
  return value as Record<string, unknown>;
}

export function requiredString(value: unknown, field: string, maxLength = 2048): string {
  if (typeof value !== "string" || value === "" || value.length > maxLength) {
    throw new MalformedEventError(`${field} should be a non-empty string of at most ${maxLength} characters.`);
  }
  return value;
}

/**
 * A string → string map (userAttributes, clientMetadata, challenge parameters). Absent or null
 * gives an empty map; non-string values are dropped, as the app cannot have meant them.
 */
export function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return Object.create(null) as Record<string, string>;
  const record = asRecord(value, field);
  const entries = Object.entries(record);
  if (entries.length > MAX_MAP_ENTRIES) throw new MalformedEventError(`${field} has more than ${MAX_MAP_ENTRIES} entries.`);
  const map = Object.create(null) as Record<string, string>;
  for (const [key, item] of entries) {
    if (FORBIDDEN_KEYS.has(key) || typeof item !== "string" || item.length > MAX_VALUE_LENGTH) continue;
    map[key] = item;
  }
  return map;
}

export interface TriggerContext {
  readonly userName: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly triggerSource: string;
}

export function readTriggerContext(event: unknown): TriggerContext {
  const record = asRecord(event, "event");
  const callerContext = asRecord(record.callerContext, "callerContext");
  return {
    userName: requiredString(record.userName, "userName"),
    userPoolId: requiredString(record.userPoolId, "userPoolId", 128),
    clientId: requiredString(callerContext.clientId, "callerContext.clientId", 256),
    triggerSource: requiredString(record.triggerSource, "triggerSource", 128),
  };
}
