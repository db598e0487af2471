/**
 * Sign-in records as the table may hold them when PreTokenGeneration reads one: right or wrong in
 * each field, fresh, stale or dated in the future, with stray attributes (reserved claim names
 * among them). The record is described, and made into an item at the time of the call (itemOf),
 * so its age is measured from the moment the handler runs.
 */
import fc from "fast-check";
import { CLIENT_ID } from "@cognito-passwordless/test-kit/events.ts";
import { hostileKey } from "./hostile-values.ts";

const MINUTE = 60_000;
export const METHODS = ["email_otp", "sms", "swk", "hwk"];
export const LEVELS = ["urn:cognito:loa:2", "urn:cognito:loa:3"];
/** Claims Cognito reserves (developer guide, "Pre token generation Lambda trigger"); cognito:* too. */
export const RESERVED_CLAIMS = [
  "acr",
  "amr",
  "aud",
  "auth_time",
  "at_hash",
  "azp",
  "c_hash",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "sub",
  "token_use",
  "username",
];

export interface StoredRecord {
  readonly owner: "this user" | "another user";
  readonly clientId: unknown;
  readonly methods: unknown;
  readonly level: unknown;
  /** Minutes before now; negative for a record from the future (corrupt, or a clock far off). */
  readonly ageMinutes: number;
  readonly verifiedAt: "age" | unknown;
  readonly extra: readonly (readonly [string, unknown])[];
}

/** A sign-in record as the table may hold it: right or wrong in each field, fresh or stale, with stray attributes. */
export function storedRecord(): fc.Arbitrary<StoredRecord> {
  return fc.record({
    owner: fc.constantFrom("this user", "this user", "another user"),
    clientId: fc.oneof(
      { weight: 4, arbitrary: fc.constant(CLIENT_ID) },
      { weight: 1, arbitrary: fc.constantFrom("another-client", CLIENT_ID.toUpperCase(), null, 7) },
    ),
    methods: fc.oneof(
      { weight: 4, arbitrary: fc.subarray(METHODS, { minLength: 1 }) },
      { weight: 1, arbitrary: fc.constantFrom([], ["pwd"], ["amr"], "email_otp", [1], null, ["email_otp", "sms otp"]) },
    ),
    level: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LEVELS) }, { weight: 1, arbitrary: fc.constantFrom("urn:cognito:loa:9", "", 3, null) }),
    // Fresh, stale, or from the future (a minute of clock skew is allowed): well away from each
    // edge, so the time a run takes cannot flip the verdict.
    ageMinutes: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 14 }) },
      { weight: 1, arbitrary: fc.integer({ min: 16, max: 60 * 24 * 30 }) },
      { weight: 1, arbitrary: fc.integer({ min: -60 * 24 * 365, max: -2 }) },
    ),
    verifiedAt: fc.oneof({ weight: 6, arbitrary: fc.constant("age") }, { weight: 1, arbitrary: fc.constantFrom("2025-01-01T00:00:00Z", null, 1e308) }),
    extra: fc.array(fc.tuple(fc.oneof(hostileKey(), fc.constantFrom(...RESERVED_CLAIMS, "cognito:groups")), fc.constantFrom("x", 1, ["admin"])), {
      maxLength: 3,
    }),
  });
}

export function itemOf(record: StoredRecord, now: number): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [key, value] of record.extra) Object.defineProperty(item, key, { value, enumerable: true, writable: true, configurable: true });
  return Object.assign(item, {
    pk: "SIGNIN#…",
    sk: "LATEST",
    clientId: record.clientId,
    methods: record.methods,
    level: record.level,
    verifiedAt: record.verifiedAt === "age" ? now - record.ageMinutes * MINUTE : record.verifiedAt,
  });
}
