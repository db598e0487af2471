/**
 * Reading and running a function as scripts/build.mjs built it, for the template tests that check
 * the bundles themselves: which files a cold start loads, and what the built handler does with one
 * event in a process of its own.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Text only the bundled SDK clients hold: each service's protocol name (its JSON target prefix or XML namespace). */
export const SDK_MARKERS = {
  DynamoDB: "DynamoDB_20120810",
  SES: "SimpleEmailService",
  SNS: "AmazonSimpleNotificationService",
  Cognito: "AWSCognitoIdentityProviderService",
} as const;

/** A file and every file it imports statically, transitively (dynamic imports are left out). */
export function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, "utf8");
  for (const [, path] of code.matchAll(/\bimport\s*(?:[\w${}\s,*]+?\s*from\s*)?["'](\.\.?\/[^"']+)["']/g)) {
    staticClosure(join(dirname(file), path!), seen);
  }
  return seen;
}

/** The relative dynamic imports of a file, resolved: what it loads only when their path runs. */
export function dynamicImports(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/import\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g)].map((match) => join(dirname(file), match[1]!));
}

export interface BuiltOutcome {
  readonly outcome: Record<string, unknown>;
  /** The structured log lines it wrote. */
  readonly logs: Record<string, unknown>[];
}

/**
 * What a built handler did with one event, run in a process of its own with exactly `env` (and
 * PATH): `{ outcome: "answered", response }` or `{ outcome: "threw", name, code, isError }`.
 */
export function runBuiltHandler(bundle: string, event: unknown, env: Readonly<Record<string, string>>): BuiltOutcome {
  const script = `
    try {
      const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const answer = await handler(${JSON.stringify(event)});
      console.log(JSON.stringify({ outcome: "answered", response: answer?.response }));
    } catch (error) {
      console.log(JSON.stringify({ outcome: "threw", name: error.name, code: error.code, isError: error instanceof Error }));
    }
    process.exit();`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", ...env } });
  const lines = `${result.stdout}\n${result.stderr}`
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const outcome = lines.find((line) => "outcome" in line);
  assert.ok(outcome, `the function ran to an outcome:\n${result.stdout}\n${result.stderr}`);
  return { outcome, logs: lines.filter((line) => "level" in line) };
}
