/**
 * A deep copy of a parsed-JSON value that keeps own "__proto__" keys as own data properties, the
 * way JSON.parse makes them (structuredClone and spreading into a literal do not all agree on
 * that). Strings are shared, not copied: they are immutable, and a megabyte one costs nothing.
 *
 * Handlers write `event.response`, so each run hands them a fresh copy and keeps the generated
 * value as it was, for the oracle and for fast-check's replay and shrinking.
 */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => copyJson(item)) as T;
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyJson((value as Record<string, unknown>)[key]);
    // Assigning "__proto__" would set the copy's prototype instead of making a property.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}
