/**
 * Builds the stand-in functions of fixtures/functions with scripts/build.mjs into a temporary
 * folder that also holds a copy of fixtures/template.yaml, so CodeUri `dist/<name>/` resolves
 * there exactly as it does beside the real template.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const FIXTURES = join(import.meta.dirname, "fixtures");

export interface BuiltFixture {
  /** Folder holding template.yaml and dist/. */
  readonly dir: string;
  readonly templatePath: string;
  /** What the build printed. */
  readonly output: string;
  remove(): void;
}

/** Runs scripts/build.mjs with the given extra arguments; throws with its output if it fails. */
export function runBuild(args: string[]): string {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs"), ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export function buildFixture(): BuiltFixture {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-fixture-"));
  const templatePath = join(dir, "template.yaml");
  copyFileSync(join(FIXTURES, "template.yaml"), templatePath);
  const output = runBuild(["--functions", join(FIXTURES, "functions"), "--outdir", join(dir, "dist")]);
  return { dir, templatePath, output, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
