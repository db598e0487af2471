/**
 * Mutations of a realistic value (a whole trigger event, session and all): drop a field,
 * replace it with a value of the wrong type, or add a hostile key beside it. Starting from what
 * Cognito really sends keeps most runs deep inside the handlers instead of at their first check.
 */
import fc from "fast-check";
import { copyJson } from "./copy-json.ts";
import { hostileKey, wrongTypeValue } from "./hostile-values.ts";

export type Mutation =
  | { readonly kind: "drop"; readonly at: number }
  | { readonly kind: "replace"; readonly at: number; readonly value: unknown }
  | { readonly kind: "add"; readonly at: number; readonly key: string; readonly value: unknown };

type Path = readonly (string | number)[];

/** How far into a value mutations reach, and the widest container they walk (bombs are not walked). */
const MAX_DEPTH = 6;
const MAX_WIDTH = 40;

/** Every member of every container in `root`, outermost first. */
export function memberPaths(root: unknown): Path[] {
  const found: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    if (path.length >= MAX_DEPTH || typeof value !== "object" || value === null) return;
    const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
    if (keys.length > MAX_WIDTH) return;
    for (const key of keys) {
      const member = [...path, key];
      found.push(member);
      walk((value as Record<string | number, unknown>)[key], member);
    }
  };
  walk(root, []);
  return found;
}

function containerAt(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return typeof value === "object" && value !== null ? (value as Record<string | number, unknown>) : undefined;
}

function define(container: Record<string | number, unknown>, key: string | number, value: unknown): void {
  // defineProperty, so "__proto__" becomes an own key as JSON.parse would make it, not a prototype change.
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies the mutations to a copy of `value`; the original is left as it was. */
export function applyMutations(value: unknown, mutations: readonly Mutation[]): unknown {
  const copy = copyJson(value);
  for (const mutation of mutations) {
    const paths = memberPaths(copy);
    if (paths.length === 0) break;
    const path = paths[mutation.at % paths.length] as Path;
    const parent = containerAt(copy, path.slice(0, -1));
    const key = path.at(-1) as string | number;
    if (parent === undefined) continue;
    switch (mutation.kind) {
      case "drop":
        if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
        else delete parent[key];
        break;
      // Replacements are copied in: generated values may be shared (constants), and a later
      // mutation of this one must not change them, or make a cycle by adding one to itself.
      case "replace":
        define(parent, key, copyJson(mutation.value));
        break;
      case "add": {
        const target = containerAt(copy, path) ?? parent;
        if (!Array.isArray(target)) define(target, mutation.key, copyJson(mutation.value));
        break;
      }
    }
  }
  return copy;
}

export function mutation(replacement: fc.Arbitrary<unknown> = wrongTypeValue()): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: replacement }),
    fc.record({ kind: fc.constant("add" as const), at: fc.nat(), key: hostileKey(), value: replacement }),
  );
}

/** `base`, with one to `maxMutations` fields dropped, replaced or added. */
export function mutated(base: fc.Arbitrary<unknown>, maxMutations = 3, replacement?: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(mutation(replacement), { minLength: 1, maxLength: maxMutations }))
    .map(([value, mutations]) => applyMutations(value, mutations));
}
