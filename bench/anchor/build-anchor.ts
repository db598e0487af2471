/**
 * The anchor of issue 18: the trigger handlers of the aws-samples passwordless solution (npm
 * `amazon-cognito-passwordless-auth`, a devDependency the bench alone uses), built the two ways
 * the issue measures them:
 * - "as deployed": what its CDK construct deploys by default. Each trigger is a NodejsFunction
 *   whose `entry` is `dist/cdk/custom-auth/<trigger>.js` with `bundling: { format: ESM }` and
 *   nothing else (`dist/cdk/lib/cognito-passwordless.js` in the package), so CDK's defaults apply:
 *   esbuild bundling, not minified, and `@aws-sdk/*` left out for the Node 18+ runtimes' own copy.
 *   Here the left-out packages resolve from the repository's node_modules, as the runtime's would.
 * - "best build": everything bundled, minified and tree-shaken, as a careful user can configure;
 *   in ES module and CommonJS form, the faster of the two counting as the best.
 * Built into node_modules/.cache (ignored by git), so "as deployed" finds `@aws-sdk/*` as it runs.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "../..");
const PACKAGE_HANDLERS = join(ROOT, "node_modules/amazon-cognito-passwordless-auth/dist/cdk/custom-auth");
const OUT = join(ROOT, "node_modules/.cache/bench-anchor");

/** Our function folder → the anchor's handler file for the same trigger. */
export const ANCHOR_HANDLERS = {
  "define-auth-challenge": "define-auth-challenge.js",
  "create-auth-challenge": "create-auth-challenge.js",
  "verify-auth-challenge-response": "verify-auth-challenge-response.js",
  "pre-sign-up": "pre-signup.js",
  "pre-token-generation": "pre-token.js",
} as const;
export type AnchoredFunction = keyof typeof ANCHOR_HANDLERS;

export const ANCHOR_BUILDS = ["deployed", "best-esm", "best-cjs"] as const;
export type AnchorBuild = (typeof ANCHOR_BUILDS)[number];

/** Every trigger in every build: build → function → bundle file. */
export type AnchorBundles = Readonly<Record<AnchorBuild, Readonly<Record<AnchoredFunction, string>>>>;

// An ES module bundle of the SDK (CommonJS, requiring Node's built-ins) needs a real `require`:
// the best ES module build adds it as a user would; CDK's default build needs none (no SDK inside).
const REQUIRE_BANNER = 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

export async function buildAnchor(): Promise<AnchorBundles> {
  rmSync(OUT, { recursive: true, force: true });
  const bundles = {} as Record<AnchorBuild, Record<AnchoredFunction, string>>;
  for (const variant of ANCHOR_BUILDS) {
    const folder = join(OUT, variant);
    mkdirSync(folder, { recursive: true });
    bundles[variant] = {} as Record<AnchoredFunction, string>;
    for (const [fn, handler] of Object.entries(ANCHOR_HANDLERS) as [AnchoredFunction, string][]) {
      const cjs = variant === "best-cjs";
      const outfile = join(folder, `${fn}.${cjs ? "cjs" : "mjs"}`);
      await build({
        entryPoints: [join(PACKAGE_HANDLERS, handler)],
        outfile,
        bundle: true,
        platform: "node",
        target: "node22",
        format: cjs ? "cjs" : "esm",
        logLevel: "error",
        ...(variant === "deployed"
          ? { external: ["@aws-sdk/*"] }
          : { minify: true, treeShaking: true, legalComments: "none", ...(cjs ? {} : { banner: { js: REQUIRE_BANNER } }) }),
      });
      bundles[variant][fn] = outfile;
    }
  }
  return bundles;
}
