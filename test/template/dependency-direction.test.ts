/**
 * The direction of the repository's dependencies (README, "Repository layout"): the trigger suite
 * (lib/, functions/) depends on the protocol package and its own runtime dependencies, nothing else
 * of the workspace; the client package speaks the protocol and never reaches into the suite; the
 * protocol package depends on nothing. A test, so that a convenient import across the line fails
 * here rather than in a reviewer's head.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ROOT_PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };

function sources(folder: string): string[] {
  const path = join(ROOT, folder);
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (name === "node_modules" || name === "dist") return [];
    if (statSync(full).isDirectory()) return sources(relative(ROOT, full));
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [relative(ROOT, full)] : [];
  });
}

/**
 * Every module specifier a file imports or re-exports, statically or with import(). Type-only
 * imports (`import type …`) are left out: they vanish at build time (e.g. the event types of
 * @types/aws-lambda, a dev dependency).
 */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const text = source.replace(/^\s*(?:import|export)\s+type\s[^;]*?from\s*["'][^"']+["'];?/gm, "");
  for (const match of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier !== undefined) found.push(specifier);
  }
  return found;
}

/** The package a bare specifier names: "@scope/name" or "name". */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** What a file imports that its part may not: a path outside `allowedFolders`, or a package outside `allowedPackages`. */
function crossings(file: string, allowedFolders: readonly string[], allowedPackages: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const specifier of importsOf(readFileSync(join(ROOT, file), "utf8"))) {
    if (specifier.startsWith("node:")) continue;
    if (specifier.startsWith(".")) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
      if (!allowedFolders.some((folder) => target === folder || target.startsWith(`${folder}/`))) problems.push(`${file} imports ${specifier} (${target})`);
      continue;
    }
    if (!allowedPackages.has(packageOf(specifier))) problems.push(`${file} imports the package ${specifier}`);
  }
  return problems;
}

describe("the direction of the repository's dependencies", () => {
  const suitePackages = new Set(Object.keys(ROOT_PACKAGE.dependencies));

  it("lib/ and functions/ import only each other, node:, their own runtime dependencies and the protocol package", () => {
    assert.ok(suitePackages.has("@cognito-passwordless/protocol"));
    const problems = [...sources("lib"), ...sources("functions")].flatMap((file) => crossings(file, ["lib", "functions"], suitePackages));
    assert.deepEqual(problems, []);
  });

  it("the protocol package imports nothing at all", () => {
    const problems = sources("packages/protocol/src").flatMap((file) => crossings(file, ["packages/protocol/src"], new Set()));
    assert.deepEqual(problems, []);
  });

  it("the client package never reaches into the trigger suite, the local stack or the tests", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "packages/client/package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    const allowed = new Set([...Object.keys(manifest["dependencies"] ?? {}), ...Object.keys(manifest["peerDependencies"] ?? {})]);
    const problems = sources("packages/client/src").flatMap((file) => crossings(file, ["packages/client/src"], allowed));
    assert.deepEqual(problems, []);
  });

  it("the check itself catches a crossing", () => {
    assert.deepEqual(importsOf(`import type { E } from "aws-lambda";\nimport { x } from "../local/stack.ts";\nconst y = await import("../test/support/events.ts");\nexport { z } from "aws-amplify";`), [
      "../local/stack.ts",
      "../test/support/events.ts",
      "aws-amplify",
    ]);
  });
});
