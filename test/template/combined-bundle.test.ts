/**
 * The built combined function (dist/sign-in-triggers, TriggerLayout Combined), on a fresh build:
 * its cold start loads the router and nothing of the triggers, each trigger's code is a chunk of
 * its own loaded by that trigger's first event (a Define call loads no AWS SDK client), the DynamoDB
 * client is one module that Create, Verify and PreTokenGeneration share, and the bundle answers and
 * refuses events as the router's unit tests say.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { defineEvent } from "@cognito-passwordless/test-kit/events.ts";
import { UNIT_ENV } from "../support/function-env.ts";
import { runBuild } from "./fixture-build.ts";

/** Text only the bundled SDK clients hold: each service's protocol name. */
const SDK_MARKERS = { DynamoDB: "DynamoDB_20120810", SES: "SimpleEmailService", SNS: "AmazonSimpleNotificationService" } as const;
const TRIGGER_CHUNKS = ["define-auth-challenge", "create-auth-challenge", "verify-auth-challenge-response", "pre-sign-up", "pre-token-generation"] as const;

/** A file and every file it imports statically, transitively (dynamic imports are left out). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, "utf8");
  for (const [, path] of code.matchAll(/\bimport\s*(?:[\w${}\s,*]+?\s*from\s*)?["'](\.\.?\/[^"']+)["']/g)) {
    staticClosure(join(dirname(file), path!), seen);
  }
  return seen;
}

const textOf = (files: Set<string>) => [...files].map((file) => readFileSync(file, "utf8")).join("\n");
const bytesOf = (files: Set<string>) => [...files].reduce((sum, file) => sum + statSync(file).size, 0);

/** What the built handler did with one event, in a process of its own. */
function runBuilt(bundle: string, event: unknown) {
  const script = `
    try {
      const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const answer = await handler(${JSON.stringify(event)});
      console.log(JSON.stringify({ outcome: "answered", response: answer.response }));
    } catch (error) {
      console.log(JSON.stringify({ outcome: "threw", name: error.name, code: error.code }));
    }
    process.exit();`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", ...UNIT_ENV, LOG_LEVEL: "INFO" },
  });
  const lines = `${result.stdout}\n${result.stderr}`
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const outcome = lines.find((line) => "outcome" in line);
  assert.ok(outcome, `the function ran to an outcome:\n${result.stdout}\n${result.stderr}`);
  return { outcome, logs: lines.filter((line) => "level" in line) };
}

describe("the built combined function", () => {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-combined-"));
  const folder = join(dir, "dist", "sign-in-triggers");
  const entry = join(folder, "index.mjs");
  let triggerChunk: Record<(typeof TRIGGER_CHUNKS)[number], string>;

  before(() => {
    runBuild(["--outdir", join(dir, "dist")]);
    const dynamic = [...readFileSync(entry, "utf8").matchAll(/import\(\s*["'](\.\/chunks\/[^"']+)["']\s*\)/g)].map((match) => join(folder, match[1]!));
    triggerChunk = Object.fromEntries(
      TRIGGER_CHUNKS.map((name) => {
        const found = dynamic.filter((file) => new RegExp(`[\\\\/]${name}-[A-Z0-9]+\\.mjs$`).test(file));
        assert.equal(found.length, 1, `one chunk of ${name} among ${dynamic.join(", ")}`);
        return [name, found[0]!];
      }),
    ) as typeof triggerChunk;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the router alone at cold start: under 8 KB, no trigger's code and no AWS SDK client", () => {
    const coldStart = staticClosure(entry);
    assert.ok(bytesOf(coldStart) < 8 * 1024, `${bytesOf(coldStart)} bytes at cold start`);
    const text = textOf(coldStart);
    for (const marker of Object.values(SDK_MARKERS)) assert.equal(text.includes(marker), false, marker);
    for (const chunk of Object.values(triggerChunk)) assert.equal(coldStart.has(chunk), false, chunk);
  });

  it("a Define event loads Define's chunk, which holds no AWS SDK client; Create's holds DynamoDB, SES and SNS", () => {
    const define = textOf(staticClosure(triggerChunk["define-auth-challenge"]));
    for (const marker of Object.values(SDK_MARKERS)) assert.equal(define.includes(marker), false, `Define loads ${marker}`);
    const create = textOf(staticClosure(triggerChunk["create-auth-challenge"]));
    for (const marker of Object.values(SDK_MARKERS)) assert.ok(create.includes(marker), `Create loads ${marker}`);
  });

  it("Create, Verify and PreTokenGeneration share one module of the DynamoDB client (so one client per process)", () => {
    const holding = readdirSync(join(folder, "chunks"))
      .map((name) => join(folder, "chunks", name))
      .filter((file) => readFileSync(file, "utf8").includes(SDK_MARKERS.DynamoDB));
    assert.equal(holding.length, 1, holding.join(", "));
    const [dynamo] = holding;
    assert.ok(staticClosure(triggerChunk["create-auth-challenge"]).has(dynamo!));
    assert.ok(staticClosure(triggerChunk["verify-auth-challenge-response"]).has(dynamo!));
    // PreTokenGeneration imports its store on a sign-in's token event: reached by a dynamic import.
    const preToken = readFileSync(triggerChunk["pre-token-generation"], "utf8");
    const lazy = [...preToken.matchAll(/import\(\s*["'](\.\/[^"']+)["']\s*\)/g)].map((match) => join(dirname(triggerChunk["pre-token-generation"]), match[1]!));
    assert.ok(
      lazy.some((file) => staticClosure(file).has(dynamo!)),
      "PreTokenGeneration's lazy store uses the same DynamoDB module",
    );
  });

  it("answers a Define event as Define does", () => {
    const { outcome } = runBuilt(entry, defineEvent([]));
    assert.deepEqual(outcome, { outcome: "answered", response: { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false } });
  });

  it("refuses an event of a trigger it does not serve with UnknownTriggerSourceError and one WARN line", () => {
    const { outcome, logs } = runBuilt(entry, { version: "1", triggerSource: "CustomMessage_SignUp", request: {}, response: {} });
    assert.deepEqual(outcome, { outcome: "threw", name: "UnknownTriggerSourceError", code: "TRIGGER_SOURCE_UNKNOWN" });
    const warnings = logs.filter((line) => line["level"] === "WARN");
    assert.equal(warnings.length, 1, JSON.stringify(logs));
    assert.equal(warnings[0]!["reason"], "trigger_source_unknown");
    assert.equal(warnings[0]!["service"], "sign-in-triggers");
  });
});
