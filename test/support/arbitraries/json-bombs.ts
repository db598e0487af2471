/**
 * "JSON bombs": text and values that are cheap to send and expensive, or dangerous, to take in.
 * Deep nesting (stack depth in a recursive parser or walker), many keys (quadratic work, or a
 * map past its entry limit), numbers JSON can write but doubles cannot hold, and the classic
 * prototype-pollution payloads, which JSON.parse turns into own "__proto__" properties that a
 * careless merge then copies onto Object.prototype.
 */
import fc from "fast-check";

/** Payloads that pollute Object.prototype if anything merges them naively. */
export const POLLUTING_JSON: readonly string[] = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"a":1,"__proto__":{"polluted":"yes","round":"SELECT_METHOD","nonce":"n"}}',
  '[{"__proto__":{"polluted":"yes"}}]',
];

/** Numbers JSON can write but a double cannot hold, or holds surprisingly. */
export const AWKWARD_NUMBERS_JSON: readonly string[] = ["1e999", "-1e999", "1e-400", "-0", "9".repeat(400), "123456.0", "1.23456e5", "0x1E240"];

/** Bombs are the same for the same size: each is built once, so ten thousand runs do not rebuild megabytes. */
function once<T>(build: (size: number) => T): (size: number) => T {
  const built = new Map<number, T>();
  return (size) => {
    if (!built.has(size)) built.set(size, build(size));
    return built.get(size) as T;
  };
}

export const deepArrayText = once((depth) => "[".repeat(depth) + "]".repeat(depth));

export const deepObjectText = once((depth) => `${'{"a":'.repeat(depth)}null${"}".repeat(depth)}`);

export const manyKeysText = once((keys) => {
  const entries: string[] = [];
  for (let index = 0; index < keys; index += 1) entries.push(`"k${index}":${index}`);
  return `{${entries.join(",")}}`;
});

/** Text of a JSON bomb: deep, wide, polluting or numerically awkward. Some are not even valid JSON. */
export function jsonBombText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(100, 1000, 10_000, 100_000), fc.boolean()).map(([depth, arrays]) => (arrays ? deepArrayText(depth) : deepObjectText(depth))),
    fc.constantFrom(1000, 50_000).map(manyKeysText),
    fc.constantFrom(...POLLUTING_JSON),
    fc.constantFrom(...AWKWARD_NUMBERS_JSON),
    // Unterminated: a parser must fail fast, not read on.
    fc.constantFrom(10_000, 100_000).map(once((depth) => "[".repeat(depth))),
  );
}

/** An object whose own properties are exactly these, "__proto__" included (as JSON.parse would make it). */
export function ownProperties(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/**
 * A value nested `depth` levels deep, arrays and objects alternating. Shared between runs: handlers
 * get a copy (copyJson), and mutations copy before they change anything.
 */
export const deepValue = once((depth): unknown => {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
});

/** An object with `count` string-valued keys (shared like deepValue). */
export const manyKeysObject = once((count) => {
  const object: Record<string, unknown> = {};
  for (let index = 0; index < count; index += 1) object[`k${index}`] = `v${index}`;
  return object;
});

/**
 * A JSON bomb as a value, for fields that hold objects (clientMetadata, userAttributes, session
 * entries). A thousand levels at most: the Lambda runtime serialises the event a handler returns,
 * and assert.deepEqual, like other recursive walkers, runs out of stack not far beyond.
 */
export function jsonBombValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(10, 500, 1000).map((depth) => deepValue(depth)),
    fc.constantFrom(201, 5000).map(manyKeysObject),
    fc.constantFrom(...POLLUTING_JSON).map((text) => JSON.parse(text) as unknown),
  );
}
