/**
 * The direction of the repository's dependencies (README, "Repository layout"): the trigger suite
 * (lib/, functions/) depends on the protocol package and its own runtime dependencies, nothing else
 * of the workspace; the client package speaks the protocol and never reaches into the suite; the
 * protocol package depends on nothing; the local stack (packages/local) and the test kit
 * (packages/test-kit) use only their own sources and declared dependencies, so they reach the
 * suite through template.yaml and the built bundles (by path), never through its sources; the bench
 * shares the tests' helpers through the test kit, not test/. A test, so that a convenient import
 * across the line fails here rather than in a reviewer's head.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ROOT_PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const WORKSPACE_SCOPE = "@cognito-passwordless/";

type Manifest = Record<string, Record<string, string> | undefined>;

function manifestOf(folder: string): Manifest {
  return JSON.parse(readFileSync(join(ROOT, folder, "package.json"), "utf8")) as Manifest;
}

/** What a package may import: its dependencies and peer dependencies (dev dependencies are its tools, not its code's). */
function declaredPackages(manifest: Manifest): Set<string> {
  return new Set([...Object.keys(manifest["dependencies"] ?? {}), ...Object.keys(manifest["peerDependencies"] ?? {})]);
}

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
 * imports (`import type …`) are left out unless `types` is set: they vanish at build time (e.g. the
 * event types of @types/aws-lambda, a dev dependency), but a package's type-checking still reads
 * their sources.
 */
export function importsOf(source: string, options: { types?: boolean } = {}): string[] {
  const found: string[] = [];
  const text = options.types === true ? source : source.replace(/^\s*(?:import|export)\s+type\s[^;]*?from\s*["'][^"']+["'];?/gm, "");
  for (const match of text.matchAll(
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm,
  )) {
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

/** The declarations package that types a bare specifier: "@types/name", "@types/scope__name". */
function typesPackageOf(name: string): string {
  return `@types/${name.startsWith("@") ? name.slice(1).replace("/", "__") : name}`;
}

/** The repository path a relative specifier of `file` names. */
function targetOf(file: string, specifier: string): string {
  return relative(ROOT, resolve(ROOT, dirname(file), specifier));
}

const within = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);

/**
 * What a file imports that its part may not: a path outside `allowedFolders`, or a package outside
 * `allowedPackages`. With `types`, type-only imports count too, and a type-only import of a package
 * is allowed when its @types package is.
 */
function crossings(file: string, allowedFolders: readonly string[], allowedPackages: ReadonlySet<string>, options: { types?: boolean } = {}): string[] {
  const problems: string[] = [];
  const source = readFileSync(join(ROOT, file), "utf8");
  const runtime = new Set(importsOf(source));
  for (const specifier of importsOf(source, options)) {
    if (specifier.startsWith("node:")) continue;
    if (specifier.startsWith(".")) {
      const target = targetOf(file, specifier);
      if (!allowedFolders.some((folder) => within(target, folder))) problems.push(`${file} imports ${specifier} (${target})`);
      continue;
    }
    const name = packageOf(specifier);
    if (allowedPackages.has(name)) continue;
    if (!runtime.has(specifier) && allowedPackages.has(typesPackageOf(name))) continue;
    problems.push(`${file} imports the package ${specifier}`);
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
    const allowed = declaredPackages(manifestOf("packages/client"));
    const problems = sources("packages/client/src").flatMap((file) => crossings(file, ["packages/client/src"], allowed));
    assert.deepEqual(problems, []);
  });

  it("lib/ and functions/ import no workspace package but the protocol, not even for types", () => {
    const problems = [...sources("lib"), ...sources("functions")].flatMap((file) =>
      importsOf(readFileSync(join(ROOT, file), "utf8"), { types: true })
        .filter((specifier) => specifier.startsWith(WORKSPACE_SCOPE) && packageOf(specifier) !== "@cognito-passwordless/protocol")
        .map((specifier) => `${file} imports ${specifier}`),
    );
    assert.deepEqual(problems, []);
    const workspaceDependencies = Object.keys(ROOT_PACKAGE.dependencies).filter((name) => name.startsWith(WORKSPACE_SCOPE));
    assert.deepEqual(workspaceDependencies, ["@cognito-passwordless/protocol"], "the functions' runtime dependencies name one workspace package, the protocol");
  });

  for (const [name, folder] of [
    ["the local stack", "packages/local"],
    ["the test kit", "packages/test-kit"],
  ] as const) {
    it(`${name} imports only its own sources and declared dependencies: no lib/ or functions/ source, not even for types`, () => {
      const allowed = declaredPackages(manifestOf(folder));
      const files = sources(`${folder}/src`);
      assert.ok(files.length > 0, `${folder}/src has sources`);
      const problems = files.flatMap((file) => crossings(file, [`${folder}/src`], allowed, { types: true }));
      assert.deepEqual(problems, []);
    });
  }

  it("the test kit does not depend on the local stack (the stack depends on the kit)", () => {
    const manifest = manifestOf("packages/test-kit");
    const named = [manifest["dependencies"], manifest["peerDependencies"], manifest["devDependencies"]].flatMap((deps) => Object.keys(deps ?? {}));
    assert.ok(!named.includes("@cognito-passwordless/local"));
  });

  it("the bench imports no test/ path: what it shares with the tests is in the test kit", () => {
    const problems = sources("bench").flatMap((file) =>
      importsOf(readFileSync(join(ROOT, file), "utf8"), { types: true })
        .filter((specifier) => specifier.startsWith(".") && within(targetOf(file, specifier), "test"))
        .map((specifier) => `${file} imports ${specifier} (${targetOf(file, specifier)})`),
    );
    assert.deepEqual(problems, []);
  });

  it("the tests, the bench and the scripts reach the workspace packages by name, not by a relative path into packages/", () => {
    const problems = [...sources("test"), ...sources("bench"), ...sources("scripts")].flatMap((file) =>
      importsOf(readFileSync(join(ROOT, file), "utf8"), { types: true })
        .filter((specifier) => specifier.startsWith(".") && within(targetOf(file, specifier), "packages"))
        .map((specifier) => `${file} imports ${specifier} (${targetOf(file, specifier)})`),
    );
    assert.deepEqual(problems, []);
  });

  it("the check itself catches a crossing", () => {
    const source = `import type { E } from "aws-lambda";\nimport { x } from "../lib/config.ts";\nconst y = await import("../test/support/local-stack.ts");\nexport { z } from "aws-amplify";`;
    assert.deepEqual(importsOf(source), ["../lib/config.ts", "../test/support/local-stack.ts", "aws-amplify"]);
    assert.deepEqual(importsOf(source, { types: true }), ["aws-lambda", "../lib/config.ts", "../test/support/local-stack.ts", "aws-amplify"]);
    assert.equal(typesPackageOf("aws-lambda"), "@types/aws-lambda");
    assert.equal(typesPackageOf("@scope/name"), "@types/scope__name");
  });
});
