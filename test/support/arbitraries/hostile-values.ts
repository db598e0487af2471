/**
 * Values of the wrong type for any field of an event, and keys that must never become properties.
 * Everything here could arrive in a Lambda event (which is parsed JSON), plus `undefined`, which
 * stands for "the field is missing".
 */
import fc from "fast-check";
import { hostileString } from "./hostile-strings.ts";
import { jsonBombValue, ownProperties } from "./json-bombs.ts";

/** Keys that name Object.prototype's own machinery, or that code often treats specially. */
export const HOSTILE_KEYS: readonly string[] = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__defineGetter__",
  "toJSON",
  "then",
  "length",
  "",
];

export function hostileKey(): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 3 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 });
}

/** Numbers that are valid JSON yet wrong as a count, a time or a flag. */
export function awkwardNumber(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(0, -0, -1, 1, 2, 3, 0.5, 1e21, -1e21, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 32),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
  );
}

/**
 * An object whose toString/valueOf are data, not functions: String(value) or `${value}` on it
 * throws a TypeError, which is how a JSON event breaks code that stringifies a field blindly.
 */
export function unprintableObject(): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(
    ownProperties([["toString", "x"]]),
    ownProperties([
      ["toString", "1"],
      ["valueOf", 1],
    ]),
    ownProperties([["valueOf", null]]),
  );
}

/** An object with hostile keys mapping to anything. */
export function hostileObject(value: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 })): fc.Arbitrary<Record<string, unknown>> {
  return fc.array(fc.tuple(hostileKey(), value), { maxLength: 5 }).map((entries) => ownProperties(entries));
}

/** A value of any JSON type (or missing) that a field of the other type must survive. */
export function wrongTypeValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(undefined, null, true, false, "", [], {}), weight: 4 },
    { arbitrary: awkwardNumber(), weight: 2 },
    { arbitrary: hostileString(), weight: 3 },
    { arbitrary: fc.array(fc.oneof(hostileString(), awkwardNumber(), fc.constant(null)), { maxLength: 4 }), weight: 1 },
    { arbitrary: hostileObject(), weight: 2 },
    { arbitrary: unprintableObject(), weight: 1 },
    { arbitrary: jsonBombValue(), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  );
}
