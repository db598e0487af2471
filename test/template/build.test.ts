/**
 * scripts/build.mjs: one self-contained ES module bundle per function, runnable on Lambda's
 * Node.js 22 without node_modules, and a report of bundle sizes.
 */
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { REQUIRE_BANNER } from "../../scripts/lib/require-banner.mjs";
import { buildFixture, runBuild, type BuiltFixture } from "./fixture-build.ts";

describe("npm run build", () => {
  let fixture: BuiltFixture;
  before(() => {
    fixture = buildFixture();
  });
  after(() => fixture.remove());

  it("writes one index.mjs per function folder, its lazily loaded chunks beside it, and nothing else but the size report", () => {
    assert.deepEqual(readdirSync(join(fixture.dir, "dist")).sort(), ["bundle-sizes.json", "echo", "fails", "slow"]);
    const files = readdirSync(join(fixture.dir, "dist", "echo"));
    assert.ok(files.includes("index.mjs"));
    assert.deepEqual(
      files.filter((file) => file !== "index.mjs" && file !== "chunks"),
      [],
      "no source map unless asked for",
    );
    const chunks = existsSync(join(fixture.dir, "dist", "echo", "chunks")) ? readdirSync(join(fixture.dir, "dist", "echo", "chunks")) : [];
    assert.ok(
      chunks.every((chunk) => chunk.endsWith(".mjs")),
      "a function's chunks stay in its own folder, which is what SAM deploys",
    );
  });

  it("bundles every dependency, the AWS SDK and CommonJS modules that call require() included", async () => {
    // The bundle sits in a temporary folder with no node_modules above it: whatever it imports
    // besides Node's built-ins would fail to load here.
    assert.ok(!existsSync(join(fixture.dir, "node_modules")) && !existsSync(join(fixture.dir, "..", "node_modules")));
    const bundle = (await import(pathToFileURL(join(fixture.dir, "dist", "echo", "index.mjs")).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ response: Record<string, unknown> }>;
    };
    const answer = await bundle.handler({ triggerSource: "Test" }, { functionName: "echo", getRemainingTimeInMillis: () => 1000 });
    assert.equal(answer.response["sdkBundled"], true);
    assert.equal(answer.response["lineEnding"], JSON.stringify("\n"));
  });

  it("requires Node's built-ins instead of importing them, so no cold start builds their ES module facades", () => {
    // An ES module import of node:http reads every export, lazy getters included (undici, on Node 22).
    const folder = join(fixture.dir, "dist", "echo");
    const files = [
      join(folder, "index.mjs"),
      ...(existsSync(join(folder, "chunks")) ? readdirSync(join(folder, "chunks")).map((chunk) => join(folder, "chunks", chunk)) : []),
    ];
    const code = files.map((file) => readFileSync(file, "utf8")).join("\n");
    assert.ok(/"node:https?"/.test(code), "the fixture's SDK client should need node:http or node:https");
    const imported = [...code.matchAll(/(?:from|import)\s*"((?:node:)?[a-z_/]+)"/g)]
      .map((match) => match[1])
      .filter((name) => builtinModules.includes(name!.replace(/^node:/, "")));
    assert.deepEqual(imported, []);
  });

  it("gives each file a require that hands over Node's built-ins and refuses anything else as require() would", async () => {
    const dir = mkdtempSync(join(tmpdir(), "require-banner-"));
    try {
      const file = join(dir, "probe.mjs");
      writeFileSync(file, `${REQUIRE_BANNER}\nexport { require };\n`);
      const { require: bannerRequire } = (await import(pathToFileURL(file).href)) as { require: (id: string) => unknown };
      assert.equal(bannerRequire("node:path"), await import("node:path").then((module) => module.default));
      assert.throws(
        () => bannerRequire("left-pad"),
        (error: NodeJS.ErrnoException) => error.code === "MODULE_NOT_FOUND",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is minified, without legal comments", () => {
    const code = readFileSync(join(fixture.dir, "dist", "echo", "index.mjs"), "utf8");
    assert.ok(!code.includes("A legal comment the bundle must not carry"), "the legal comment was kept");
    assert.ok(/export\s*\{\s*\w+ as handler\s*\}/.test(code), "local names are not minified");
    assert.ok(code.startsWith(`${REQUIRE_BANNER}\n`), "the require banner is missing");
  });

  it("reports raw and gzip bytes of each bundle, printed and in dist/bundle-sizes.json", () => {
    const sizes = JSON.parse(readFileSync(join(fixture.dir, "dist", "bundle-sizes.json"), "utf8")) as Record<
      string,
      { bytes: number; gzipBytes: number; totalBytes: number }
    >;
    assert.deepEqual(Object.keys(sizes).sort(), ["echo", "fails", "slow"]);
    const echoBytes = readFileSync(join(fixture.dir, "dist", "echo", "index.mjs")).length;
    assert.equal(sizes["echo"]!.bytes, echoBytes);
    assert.ok(sizes["echo"]!.gzipBytes > 0 && sizes["echo"]!.gzipBytes < echoBytes);
    assert.ok(sizes["echo"]!.totalBytes >= echoBytes, "the total counts the chunks too");
    assert.match(fixture.output, /^echo\s+[\d.]+ KiB\s+[\d.]+ KiB\s+[\d.]+ KiB$/m);
    assert.match(fixture.output, /^fails\s+[\d.]+ KiB\s+[\d.]+ KiB\s+[\d.]+ KiB$/m);
  });
});

describe("npm run build while functions are being written", () => {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-build-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("skips a function folder that has no index.ts yet", () => {
    mkdirSync(join(dir, "functions", "half-written"), { recursive: true });
    writeFileSync(join(dir, "functions", "half-written", "notes.md"), "to do\n");
    mkdirSync(join(dir, "functions", "ready"));
    writeFileSync(join(dir, "functions", "ready", "index.ts"), "export const handler = async (event: unknown) => event;\n");
    runBuild(["--functions", join(dir, "functions"), "--outdir", join(dir, "dist")]);
    assert.ok(existsSync(join(dir, "dist", "ready", "index.mjs")));
    assert.ok(!existsSync(join(dir, "dist", "half-written")));
  });

  it("succeeds with no functions at all, with an empty size report", () => {
    const output = runBuild(["--functions", join(dir, "no-functions-here"), "--outdir", join(dir, "empty-dist")]);
    assert.match(output, /No functions to build/);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "empty-dist", "bundle-sizes.json"), "utf8")), {});
  });

  it("writes a source map only when asked with --sourcemap", () => {
    runBuild(["--functions", join(dir, "functions"), "--outdir", join(dir, "mapped"), "--sourcemap"]);
    assert.deepEqual(readdirSync(join(dir, "mapped", "ready")).sort(), ["index.mjs", "index.mjs.map"]);
  });
});
