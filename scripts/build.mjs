#!/usr/bin/env node
// Bundles every functions/<name>/index.ts into dist/<name>/index.mjs (plus dist/<name>/chunks/
// and dist/<name>/parts/ for code only some invocations load): the code SAM deploys
// (template.yaml's CodeUri), `npm run invoke` runs and the local stack serves.
//
// Everything is bundled, @aws-sdk/* included: the SDK inside the Lambda runtime is whatever
// version AWS ships that week, and the code was tested against ours.
//
// Options: --sourcemap (adds dist/<name>/index.mjs.map and keeps names readable in traces),
//          --functions <dir> and --outdir <dir> (defaults: functions/ and dist/; tests use them).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { builtinsViaRequirePlugin } from "./lib/builtins-via-require.mjs";
import { REQUIRE_BANNER } from "./lib/require-banner.mjs";
import {
  ReplacementError,
  checkReplacementTargets,
  checkReplacementsApplied,
  installedEsmDir,
  webauthnReplacementsPlugin,
} from "./lib/webauthn-replacements.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const { values: options } = parseArgs({
  options: {
    sourcemap: { type: "boolean", default: false },
    functions: { type: "string", default: join(ROOT, "functions") },
    outdir: { type: "string", default: join(ROOT, "dist") },
  },
});
const functionsDir = resolve(options.functions);
const outdir = resolve(options.outdir);

/** Folders of functions/ that hold an index.ts; others (being written, or shared code) are skipped. */
function findFunctions() {
  if (!existsSync(functionsDir)) return [];
  return readdirSync(functionsDir)
    .filter((name) => statSync(join(functionsDir, name)).isDirectory())
    .filter((name) => existsSync(join(functionsDir, name, "index.ts")))
    .sort();
}

const names = findFunctions();
mkdirSync(outdir, { recursive: true });
if (names.length === 0) {
  console.log(`No functions to build: no ${functionsDir}/<name>/index.ts yet.`);
  writeFileSync(join(outdir, "bundle-sizes.json"), "{}\n");
  process.exit(0);
}

// A bundle from a previous build must not be served after its source changed or went away.
for (const name of names) rmSync(join(outdir, name), { recursive: true, force: true });

/**
 * @simplewebauthn/server and the ASN.1 packages under it declare no `sideEffects`, so a bundler
 * must keep every module their index imports: verifying one sign-in assertion would load every
 * attestation format, certificate path check and metadata service. Their modules have no import-time
 * effects that other modules rely on, so they are declared side-effect free here and only what a
 * call path references stays. @peculiar/x509 and its dependency-injection container are left
 * alone: they register things at import time, and attestation with certificates needs them.
 */
const SIDE_EFFECT_FREE =
  /[\\/]node_modules[\\/](@simplewebauthn[\\/]server|@peculiar[\\/]asn1-[^\\/]+|asn1js|pvtsutils|pvutils|@levischuck[\\/]tiny-cbor|@hexagon[\\/]base64)[\\/]/;
const sideEffectFree = {
  name: "side-effect-free",
  setup(build) {
    // Bare imports of these packages, and relative imports inside them; everything else resolves as usual.
    build.onResolve(
      { filter: /^(@simplewebauthn\/server|@peculiar\/asn1-|asn1js|pvtsutils|pvutils|@levischuck\/tiny-cbor|@hexagon\/base64|\.\.?\/)/ },
      async (args) => {
        if (args.pluginData?.resolving === true) return undefined;
        if (args.path.startsWith(".") && !SIDE_EFFECT_FREE.test(args.importer)) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { resolving: true },
        });
        if (resolved.errors.length > 0 || !SIDE_EFFECT_FREE.test(resolved.path)) return undefined;
        return { ...resolved, sideEffects: false };
      },
    );
  },
};

// Two modules of @simplewebauthn/server are replaced by ours so that a passkey sign-in loads no
// ASN.1 code; why, and the checks that make the build fail when a swap does not apply (a new
// version moved a file), are in scripts/lib/webauthn-replacements.mjs.
try {
  checkReplacementTargets(installedEsmDir());
} catch (error) {
  if (!(error instanceof ReplacementError)) throw error;
  console.error(error.message);
  process.exit(1);
}

/**
 * A function's parts: a module in the function's own folder that its index.ts imports dynamically
 * (`await import("./federated-linker.ts")`) is built as a bundle of its own under
 * dist/<name>/parts/<module>/, and the import points there. Nothing is shared between the index
 * and a part, so a function whose lazy code is all in parts loads one file at cold start: code
 * splitting would put what the two share (the error classes, esbuild's helpers) in chunks that
 * every cold start loads, ≈ 0.5 ms each on Node 22 (README, "Performance"). A part carries its own
 * copy of what it uses; lib/errors.ts makes `instanceof` hold across such copies. Dynamic imports
 * of lib/ modules stay chunks of the one bundle, where the modules they share load once.
 */
function partsPlugin(entryFile, parts) {
  return {
    name: "parts",
    setup(build) {
      build.onResolve({ filter: /^\.\/[\w-]+\.ts$/ }, (args) => {
        if (args.kind !== "dynamic-import" || args.importer !== entryFile) return undefined;
        const part = args.path.slice(2, -3);
        parts.set(part, join(dirname(entryFile), args.path));
        return { path: `./parts/${part}/index.mjs`, external: true };
      });
    },
  };
}

/**
 * One bundle with code splitting: what it imports dynamically from lib/ (the passkey verifier, an
 * SDK client) becomes a chunk beside its index.mjs, loaded only by the invocations that need it;
 * its parts (above) are built the same way, each into its own folder.
 */
async function buildBundle(name, entryFile, bundleDir) {
  const parts = new Map();
  const result = await build({
    entryPoints: { index: entryFile },
    outdir: bundleDir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    // The SDK ships ES module builds beside CommonJS ones; those tree-shake far better.
    mainFields: ["module", "main"],
    target: "node22",
    minify: true,
    keepNames: options.sourcemap,
    sourcemap: options.sourcemap,
    legalComments: "none",
    plugins: [partsPlugin(entryFile, parts), webauthnReplacementsPlugin(), sideEffectFree, builtinsViaRequirePlugin()],
    // Read by checkReplacementsApplied; its paths are relative to absWorkingDir.
    metafile: true,
    absWorkingDir: ROOT,
    // CommonJS code bundled into an ES module calls require() for Node's built-ins; the banner
    // gives each output file one (scripts/lib/require-banner.mjs says which and why).
    banner: { js: REQUIRE_BANNER },
    logLevel: "warning",
  });
  if (result.errors.length > 0) process.exit(1);
  try {
    checkReplacementsApplied(name, result.metafile, ROOT);
  } catch (error) {
    if (!(error instanceof ReplacementError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  for (const [part, file] of parts) await buildBundle(`${name} (part ${part})`, file, join(bundleDir, "parts", part));
}

const started = performance.now();
// One build per function: separate builds keep every file inside the function's own folder,
// which is all SAM deploys of it.
for (const name of names) await buildBundle(name, join(functionsDir, name, "index.ts"), join(outdir, name));
const elapsed = Math.round(performance.now() - started);

/** Every .mjs file under a folder: the entry and its chunks. */
function outputFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return outputFiles(path);
    return entry.endsWith(".mjs") ? [path] : [];
  });
}

// bytes/gzipBytes: what every cold start loads (index.mjs); totalBytes: everything deployed,
// chunks and parts that only some invocations load included.
const sizes = {};
for (const name of names) {
  const code = readFileSync(join(outdir, name, "index.mjs"));
  const files = outputFiles(join(outdir, name));
  const all = files.map((file) => readFileSync(file));
  sizes[name] = {
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    totalBytes: all.reduce((sum, file) => sum + file.length, 0),
    totalGzipBytes: all.reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0),
    chunks: files.length - 1,
  };
}
writeFileSync(join(outdir, "bundle-sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);

const shown = (path) => (path.startsWith(ROOT) ? relative(ROOT, path) || "." : path);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const width = Math.max(8, ...names.map((name) => name.length));
console.log(`${"function".padEnd(width)}  ${"index.mjs".padStart(10)}  ${"gzip".padStart(10)}  ${"with chunks".padStart(12)}`);
for (const name of names) {
  const { bytes, gzipBytes, totalBytes } = sizes[name];
  console.log(`${name.padEnd(width)}  ${kib(bytes).padStart(10)}  ${kib(gzipBytes).padStart(10)}  ${kib(totalBytes).padStart(12)}`);
}
console.log(`Built ${names.length} function(s) into ${shown(outdir)}/ in ${elapsed} ms.`);
