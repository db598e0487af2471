/**
 * The swap of two @simplewebauthn/server modules (scripts/lib/webauthn-replacements.mjs) fails
 * the build loudly when it cannot apply: a file it names is gone from the library (a new version
 * moved it), the importer no longer imports it, or a bundle holds the importer without the swap.
 * What the swap gives when it does apply is checked on the built chunk in passkey-chunk.test.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Metafile, build } from "esbuild";
import {
  REPLACEMENTS,
  ReplacementError,
  checkReplacementTargets,
  checkReplacementsApplied,
  installedEsmDir,
  webauthnReplacementsPlugin,
} from "../../scripts/lib/webauthn-replacements.mjs";
import { REPO_ROOT } from "./fixture-build.ts";

const VERIFY_FUNCTION = join(REPO_ROOT, "functions", "verify-auth-challenge-response", "index.ts");

/** The metafile of the Verify function bundled as scripts/build.mjs bundles it, with or without the swap. */
async function verifyMetafile(withSwap: boolean): Promise<Metafile> {
  const result = await build({
    entryPoints: [VERIFY_FUNCTION],
    bundle: true,
    splitting: true,
    write: false,
    outdir: join(tmpdir(), "unused"),
    format: "esm",
    platform: "node",
    mainFields: ["module", "main"],
    target: "node22",
    metafile: true,
    absWorkingDir: REPO_ROOT,
    plugins: withSwap ? [webauthnReplacementsPlugin()] : [],
    logLevel: "silent",
  });
  return result.metafile;
}

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ReplacementError, `a ReplacementError, not ${String(error)}`);
    return error.message;
  }
  assert.fail("the check passed");
}

describe("the swap of @simplewebauthn/server modules in the build", () => {
  let library: string;

  before(() => {
    // A copy of the installed library's esm/ folder, to move files in as a new version might.
    library = join(mkdtempSync(join(tmpdir(), "webauthn-esm-")), "esm");
    cpSync(installedEsmDir(), library, { recursive: true });
  });
  after(() => rmSync(join(library, ".."), { recursive: true, force: true }));

  it("finds every file it swaps in the installed version", () => {
    checkReplacementTargets(installedEsmDir());
    checkReplacementTargets(library);
  });

  for (const replacement of REPLACEMENTS) {
    it(`fails, naming it, when esm/${replacement.module} is not where the swap expects it`, () => {
      const path = join(library, replacement.module);
      renameSync(path, `${path}.moved`);
      try {
        const message = refusal(() => checkReplacementTargets(library));
        assert.match(message, /^The swap of @simplewebauthn\/server modules failed:/);
        assert.ok(message.includes(`esm/${replacement.module} is not in the installed library`), message);
        assert.match(message, /Update REPLACEMENTS in scripts\/lib\/webauthn-replacements\.mjs/);
      } finally {
        renameSync(`${path}.moved`, path);
      }
    });

    it(`fails when esm/${replacement.importer} no longer imports esm/${replacement.module}`, () => {
      const path = join(library, replacement.importer);
      const moved = `${path}.moved`;
      renameSync(path, moved);
      // The importer of a new version that reads its signatures some other way.
      writeFileSync(path, "export function verify() { return true; }\n");
      try {
        const message = refusal(() => checkReplacementTargets(library));
        assert.ok(message.includes(`esm/${replacement.importer} no longer imports esm/${replacement.module}`), message);
      } finally {
        rmSync(path);
        renameSync(moved, path);
      }
    });
  }

  it("passes a Verify bundle that got both swaps", async () => {
    checkReplacementsApplied("verify-auth-challenge-response", await verifyMetafile(true), REPO_ROOT);
  });

  it("fails a Verify bundle that holds the library's modules unswapped, naming both", async () => {
    const metafile = await verifyMetafile(false);
    const failure = refusal(() => checkReplacementsApplied("verify-auth-challenge-response", metafile, REPO_ROOT));
    assert.match(failure, /failed in the verify-auth-challenge-response bundle/);
    for (const replacement of REPLACEMENTS) assert.ok(failure.includes(`esm/${replacement.module} (`), failure);
    assert.match(failure, /the library's own esm\/helpers\/iso\/isoCrypto\/unwrapEC2Signature\.js is in the bundle all the same/);
  });

  it("asks nothing of a bundle without the library", async () => {
    checkReplacementsApplied(
      "define-auth-challenge",
      { inputs: { "functions/define-auth-challenge/index.ts": { bytes: 1, imports: [] } }, outputs: {} },
      REPO_ROOT,
    );
  });

  it("stops scripts/build.mjs with the message when a swap target is missing", () => {
    // The build is run on a copy of this repository's build script whose REPLACEMENTS name a file
    // the library does not have: what a new version that moved it would do to the real build.
    const dir = mkdtempSync(join(REPO_ROOT, "scripts", ".webauthn-swap-test-"));
    try {
      mkdirSync(join(dir, "lib"));
      cpSync(join(REPO_ROOT, "scripts", "build.mjs"), join(dir, "build.mjs"));
      for (const helper of ["builtins-via-require.mjs", "require-banner.mjs"]) cpSync(join(REPO_ROOT, "scripts", "lib", helper), join(dir, "lib", helper));
      const source = readFileSync(join(REPO_ROOT, "scripts", "lib", "webauthn-replacements.mjs"), "utf8");
      const moved = source
        .replace('module: "helpers/verifySignature.js"', 'module: "helpers/verifySignatureMoved.js"')
        .replace('resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")', JSON.stringify(REPO_ROOT));
      assert.notEqual(moved, source);
      writeFileSync(join(dir, "lib", "webauthn-replacements.mjs"), moved);
      const result = spawnSync(process.execPath, [join(dir, "build.mjs"), "--functions", join(REPO_ROOT, "functions"), "--outdir", join(dir, "dist")], {
        encoding: "utf8",
        cwd: REPO_ROOT,
      });
      assert.equal(result.status, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        /The swap of @simplewebauthn\/server modules failed:\n {2}- esm\/helpers\/verifySignatureMoved\.js .*is not in the installed library/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
