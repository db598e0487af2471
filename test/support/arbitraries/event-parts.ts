/**
 * The parts every trigger event shares, realistic most of the time and hostile the rest: the user
 * name, user attributes, client metadata. Event arbitraries combine these with the factories of
 * packages/test-kit/src/events.ts, so a generated event has exactly Cognito's shape until it is mutated.
 */
import fc from "fast-check";
import { USER_ATTRIBUTES, USER_NAME } from "@cognito-passwordless/test-kit/events.ts";
import { hostileString, hugeString, limitLengthString, regexBait, trickyString } from "./hostile-strings.ts";
import { hostileKey, wrongTypeValue } from "./hostile-values.ts";
import { jsonBombValue, ownProperties } from "./json-bombs.ts";

/**
 * The user name of a user who exists. The pool signs in by email or phone (template.yaml,
 * UsernameAttributes), so Cognito names its users by UUID; the rest are hostile strings.
 */
export function userName(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.oneof(fc.constant(USER_NAME), fc.uuid()) },
    { weight: 1, arbitrary: fc.oneof(trickyString(), limitLengthString(), regexBait(), hugeString()).filter((name) => name !== "") },
  );
}

/**
 * Addresses at RFC 5321's limits with one-letter parts, which masking makes longer: 254 characters
 * in all (the longest path), or a 255-character domain (the longest domain).
 */
export function longestAddress(): fc.Arbitrary<string> {
  const labelsOf = (length: number) =>
    Array.from({ length: Math.ceil(length / 64) }, (_, index) => "c".repeat(Math.min(63, length - index * 64))).filter((label) => label !== "");
  return fc.constantFrom(254 - "a@b.".length - ".com".length, 255 - "b.".length - ".com".length).map((rest) => `a@b.${labelsOf(rest).join(".")}.com`);
}

export function emailAddress(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("jane.doe@example.com", "Jane.Doe@Example.COM", "a@b.co", "x@example.org", "\u202Emoc.elpmaxe@enaj") },
    { weight: 1, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: longestAddress() },
    { weight: 2, arbitrary: fc.tuple(trickyString(), trickyString()).map(([local, domain]) => `${local}@${domain}.com`) },
    { weight: 1, arbitrary: hostileString() },
  );
}

export function phoneNumber(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("+447700900123", "+4915112345678", "+14155550123", "+8613800138000", "+1", "+00000000000") },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 40 }).map((values) => `+${values.join("")}`) },
    { weight: 1, arbitrary: hostileString() },
  );
}

/** What the app typed as USERNAME for a user who does not exist: Cognito passes it on as is. */
export function typedUserName(): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom("jane.doe@example.com", "+447700900123", "nobody@example.org"), emailAddress(), phoneNumber());
}

const FLAG_VALUES = ["true", "false", "True", "TRUE", " true", "1", ""];

/**
 * userAttributes: Cognito's own set with realistic or hostile addresses and flags, sometimes
 * with hostile keys beside them, sometimes missing addresses, sometimes a JSON bomb or the wrong type.
 */
export function userAttributes(): fc.Arbitrary<unknown> {
  const known = fc.record(
    {
      email: emailAddress(),
      email_verified: fc.constantFrom(...FLAG_VALUES),
      phone_number: phoneNumber(),
      phone_number_verified: fc.constantFrom(...FLAG_VALUES),
      sub: fc.oneof(fc.constant(USER_ATTRIBUTES.sub as string), fc.uuid(), trickyString()),
    },
    { requiredKeys: [] },
  );
  const extra = fc.array(fc.tuple(hostileKey(), fc.oneof(trickyString(), wrongTypeValue())), { maxLength: 3 });
  const realistic = fc
    .tuple(known, extra)
    .map(([attributes, more]) => ownProperties([["cognito:user_status", "CONFIRMED"], ...Object.entries(attributes), ...more]));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(USER_ATTRIBUTES) },
    { weight: 10, arbitrary: realistic },
    { weight: 1, arbitrary: jsonBombValue() },
    { weight: 1, arbitrary: wrongTypeValue() },
  );
}

/** clientMetadata as Cognito passes it: absent, or a string map with the protocol's keys (right or wrong values), maybe hostile keys too. */
export function wellFormedClientMetadata(): fc.Arbitrary<Record<string, string> | undefined> {
  const method = fc.oneof(fc.constantFrom("PASSKEY", "EMAIL_OTP", "SMS_OTP", "email_otp", "", "EMAIL_OTP,SMS_OTP"), trickyString());
  const register = fc.oneof(fc.constantFrom("true", "false", "TRUE", "1"), trickyString());
  const protocol = fc.record({ signInMethod: method, registerPasskey: register, userAgent: fc.oneof(trickyString(), hostileString()) }, { requiredKeys: [] });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: protocol },
    {
      weight: 2,
      arbitrary: fc
        .tuple(protocol, fc.array(fc.tuple(hostileKey(), trickyString()), { minLength: 1, maxLength: 3 }))
        .map(([known, extra]) => ownProperties([...Object.entries(known), ...extra]) as Record<string, string>),
    },
  );
}

/** clientMetadata as anything: well formed most of the time, else a JSON bomb or the wrong type. */
export function clientMetadata(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: wellFormedClientMetadata() },
    { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey(), wrongTypeValue()), { minLength: 1, maxLength: 3 }).map((entries) => ownProperties(entries)) },
    { weight: 1, arbitrary: jsonBombValue() },
    { weight: 1, arbitrary: wrongTypeValue() },
  );
}

/** The options packages/test-kit/src/events.ts takes (cast: hostile parts are not strings). */
export interface EventOptions {
  readonly userName: string;
  readonly userAttributes: Record<string, string>;
  readonly clientMetadata?: Record<string, string>;
  readonly userNotFound?: boolean;
}

/**
 * Options for a custom-auth event: mostly a user who exists, sometimes one who does not (userNotFound
 * true, the typed name, no attributes), sometimes a userNotFound that is neither true nor absent.
 */
export function eventOptions(metadata: fc.Arbitrary<unknown> = clientMetadata()): fc.Arbitrary<EventOptions> {
  const found = fc.record({
    userName: userName(),
    userAttributes: userAttributes(),
    clientMetadata: metadata,
    userNotFound: fc.constantFrom(undefined, false),
  });
  const unknown = fc.record({ userName: typedUserName(), clientMetadata: metadata, userNotFound: fc.constant(true) });
  const odd = fc.record({
    userName: userName(),
    userAttributes: userAttributes(),
    clientMetadata: metadata,
    userNotFound: fc.constantFrom("true", 1, null, "false"),
  });
  return fc
    .oneof({ weight: 6, arbitrary: found }, { weight: 2, arbitrary: unknown }, { weight: 1, arbitrary: odd })
    .map((parts) => parts as unknown as EventOptions);
}
