/**
 * Bundle bytes, raw and gzip, of dist/<function>/ as `npm run build` wrote it: index.mjs, plus the
 * chunks a function may load later (scripts/build.mjs splits code that only some invocations need).
 * Three figures per function:
 * - entry: index.mjs alone;
 * - cold start: index.mjs and every chunk it imports statically, directly or not: what every cold
 *   start loads, whichever path the invocation takes. The size budget judges this one;
 * - deployed: every file, the lazily loaded chunks included.
 * Which AWS SDK packages each carries is read from the source maps of a second build by the
 * project's own script (`scripts/build.mjs --sourcemap`) into a temporary folder: same entry points,
 * same options, so the same inputs, with their origins named.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { TemplateFunction } from "./template-functions.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** The SDK packages that talk to each service (IAM prefix); everything else in @aws-sdk/* is shared plumbing. */
const SDK_PACKAGES_OF_SERVICE: Readonly<Record<string, readonly string[]>> = {
  dynamodb: ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "@aws-sdk/util-dynamodb"],
  ses: ["@aws-sdk/client-ses", "@aws-sdk/client-sesv2"],
  sns: ["@aws-sdk/client-sns"],
  "cognito-idp": ["@aws-sdk/client-cognito-identity-provider"],
};

export interface BundleSize {
  readonly function: string;
  readonly entryBytes: number;
  readonly entryGzipBytes: number;
  /** index.mjs and its static imports, transitively: loaded by every cold start. */
  readonly coldStartBytes: number;
  readonly coldStartGzipBytes: number;
  readonly coldStartFiles: number;
  /** Everything in the function's folder. */
  readonly deployedBytes: number;
  readonly deployedGzipBytes: number;
  readonly deployedFiles: number;
  /** Services the function's IAM policy allows. */
  readonly awsServicesInPolicy: readonly string[];
  /** Every @aws-sdk/* and @smithy/* package with code anywhere in the function's files. */
  readonly awsSdkPackages: readonly string[];
  /** Those with code in the files every cold start loads. */
  readonly awsSdkPackagesAtColdStart: readonly string[];
  /**
   * SDK packages the function should not carry at all: any when the policy allows no AWS service,
   * else the service clients (client-*, lib-*) of services the policy does not allow.
   */
  readonly unusedAwsSdkPackages: readonly string[];
}

/** The package a source path belongs to: node_modules/@scope/name/… → @scope/name. */
function packageOf(source: string): string | undefined {
  const at = source.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const [first, second] = source.slice(at + "node_modules/".length).split("/");
  if (first === undefined) return undefined;
  return first.startsWith("@") && second !== undefined ? `${first}/${second}` : first;
}

function isAwsSdkPackage(name: string): boolean {
  return name.startsWith("@aws-sdk/") || name.startsWith("@smithy/");
}

function unusedSdkPackages(packages: readonly string[], services: readonly string[]): string[] {
  if (services.length === 0) return [...packages];
  const allowed = new Set(services.flatMap((service) => SDK_PACKAGES_OF_SERVICE[service] ?? []));
  return packages.filter((name) => /^@aws-sdk\/(client|lib)-/.test(name) && !allowed.has(name));
}

/** Every .mjs file under a folder. */
function moduleFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return moduleFiles(path);
    return entry.endsWith(".mjs") ? [path] : [];
  });
}

/**
 * Relative modules a bundle file imports statically: `import…from"./x.mjs"`, `import"./x.mjs"`,
 * `export…from"./x.mjs"`. A dynamic `import("./x.mjs")` is left out: it loads only when its path runs.
 */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.mjs)["']/g;

/** The entry and every file it imports statically, transitively. */
function coldStartFiles(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(STATIC_IMPORT)) visit(resolve(dirname(file), match[1]!));
  };
  visit(entry);
  return [...seen];
}

interface FileSizes {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly files: number;
}

/** Sizes of a set of files; gzip per file (level 9), as scripts/build.mjs adds them up in dist/bundle-sizes.json. */
function sizesOf(files: readonly string[]): FileSizes {
  const contents = files.map((file) => readFileSync(file));
  return {
    bytes: contents.reduce((sum, code) => sum + code.length, 0),
    gzipBytes: contents.reduce((sum, code) => sum + gzipSync(code, { level: 9 }).length, 0),
    files: files.length,
  };
}

function sdkPackagesIn(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    if (!existsSync(`${file}.map`)) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sources: string[] };
    for (const source of map.sources) {
      const name = packageOf(source);
      if (name !== undefined && isAwsSdkPackage(name)) names.add(name);
    }
  }
  return [...names].sort();
}

/** Builds with source maps into a temporary folder: the SDK packages of each function, everywhere and at cold start. */
function bundledPackages(folders: readonly string[]): Map<string, { everywhere: string[]; atColdStart: string[] }> {
  const outdir = mkdtempSync(join(tmpdir(), "bench-sourcemaps-"));
  try {
    const build = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--sourcemap", "--outdir", outdir], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`The source-map build failed:\n${build.stderr || build.stdout}`);
    const packages = new Map<string, { everywhere: string[]; atColdStart: string[] }>();
    for (const folder of folders) {
      const root = join(outdir, folder);
      packages.set(folder, {
        everywhere: sdkPackagesIn(moduleFiles(root)),
        atColdStart: sdkPackagesIn(coldStartFiles(join(root, "index.mjs"))),
      });
    }
    return packages;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function measureBundles(functions: readonly TemplateFunction[]): BundleSize[] {
  const packages = bundledPackages(functions.map((fn) => fn.folder));
  return functions.map((fn) => {
    const root = join(ROOT, "dist", fn.folder);
    const entry = sizesOf([join(root, "index.mjs")]);
    const coldStart = sizesOf(coldStartFiles(join(root, "index.mjs")));
    const deployed = sizesOf(moduleFiles(root));
    const sdk = packages.get(fn.folder) ?? { everywhere: [], atColdStart: [] };
    return {
      function: fn.folder,
      entryBytes: entry.bytes,
      entryGzipBytes: entry.gzipBytes,
      coldStartBytes: coldStart.bytes,
      coldStartGzipBytes: coldStart.gzipBytes,
      coldStartFiles: coldStart.files,
      deployedBytes: deployed.bytes,
      deployedGzipBytes: deployed.gzipBytes,
      deployedFiles: deployed.files,
      awsServicesInPolicy: fn.awsServices,
      awsSdkPackages: sdk.everywhere,
      awsSdkPackagesAtColdStart: sdk.atColdStart,
      unusedAwsSdkPackages: unusedSdkPackages(sdk.everywhere, fn.awsServices),
    };
  });
}
