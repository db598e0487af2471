#!/usr/bin/env node
// Bundles every functions/<name>/index.ts into dist/<name>/index.mjs: the code SAM deploys
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

const started = performance.now();
const result = await build({
  entryPoints: Object.fromEntries(names.map((name) => [`${name}/index`, join(functionsDir, name, "index.ts")])),
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  // The SDK ships ES module builds beside CommonJS ones; those tree-shake far better.
  mainFields: ["module", "main"],
  target: "node22",
  minify: true,
  keepNames: options.sourcemap,
  sourcemap: options.sourcemap,
  legalComments: "none",
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins;
  // ES modules have no require, so the bundle makes one.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});
if (result.errors.length > 0) process.exit(1);
const elapsed = Math.round(performance.now() - started);

const sizes = {};
for (const name of names) {
  const code = readFileSync(join(outdir, name, "index.mjs"));
  sizes[name] = { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}
writeFileSync(join(outdir, "bundle-sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);

const shown = (path) => (path.startsWith(ROOT) ? relative(ROOT, path) || "." : path);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const width = Math.max(8, ...names.map((name) => name.length));
console.log(`${"function".padEnd(width)}  ${"raw".padStart(10)}  ${"gzip".padStart(10)}`);
for (const name of names) {
  const { bytes, gzipBytes } = sizes[name];
  console.log(`${name.padEnd(width)}  ${kib(bytes).padStart(10)}  ${kib(gzipBytes).padStart(10)}`);
}
console.log(`Built ${names.length} function(s) into ${shown(outdir)}/ in ${elapsed} ms.`);
