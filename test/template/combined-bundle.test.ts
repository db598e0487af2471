/**
 * The built combined function (dist/sign-in-triggers, TriggerLayout Combined), on a fresh build:
 * its cold start loads the code of the four triggers every sign-in calls and no AWS SDK client nor
 * any WebAuthn verifier (those load on the first call that needs them), PreSignUp's code is a chunk
 * of its own loaded by its first event, the DynamoDB client is one module that Create, Verify and
 * PreTokenGeneration share, and the bundle answers and refuses events as the router's unit tests say.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defineEvent } from "@cognito-passwordless/test-kit/events.ts";
import { UNIT_ENV } from "../support/function-env.ts";
import { runBuild } from "./fixture-build.ts";
import { SDK_MARKERS, dynamicImports, runBuiltHandler, staticClosure } from "./built-bundle.ts";

const textOf = (files: Set<string>) => [...files].map((file) => readFileSync(file, "utf8")).join("\n");
const bytesOf = (files: Set<string>) => [...files].reduce((sum, file) => sum + statSync(file).size, 0);

const runBuilt = (bundle: string, event: unknown) => runBuiltHandler(bundle, event, { ...UNIT_ENV, LOG_LEVEL: "INFO" });

describe("the built combined function", () => {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-combined-"));
  const folder = join(dir, "dist", "sign-in-triggers");
  const entry = join(folder, "index.mjs");
  /** Every chunk the entry, or a chunk it loads, imports dynamically. */
  let lazyChunks: string[];

  before(() => {
    runBuild(["--outdir", join(dir, "dist")]);
    const files = [entry, ...readdirSync(join(folder, "chunks")).map((name) => join(folder, "chunks", name))];
    lazyChunks = [...new Set(files.flatMap((file) => dynamicImports(file)))];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads no AWS SDK client and no WebAuthn verifier at cold start, and keeps PreSignUp's code for its first event", () => {
    const coldStart = staticClosure(entry);
    const text = textOf(coldStart);
    for (const marker of Object.values(SDK_MARKERS)) assert.equal(text.includes(marker), false, marker);
    // The passkey verifier is the chunk scripts/build.mjs names after lib/passkey/assertion-checks.ts.
    assert.deepEqual(
      [...coldStart].filter((file) => /[\\/]assertion-checks-[A-Z0-9]+\.mjs$/.test(file)),
      [],
      "the WebAuthn verifier is loaded at cold start",
    );
    assert.ok(
      lazyChunks.some((file) => /[\\/]assertion-checks-[A-Z0-9]+\.mjs$/.test(file)),
      "the WebAuthn verifier is a lazy chunk",
    );
    const preSignUp = lazyChunks.filter((file) => /[\\/]pre-sign-up-[A-Z0-9]+\.mjs$/.test(file));
    assert.equal(preSignUp.length, 1, lazyChunks.join(", "));
    assert.equal(coldStart.has(preSignUp[0]!), false);
    // Small enough that a cold start pays for trigger code, not for the SDK (the clients are ≈ 300 KB).
    assert.ok(bytesOf(coldStart) < 80 * 1024, `${bytesOf(coldStart)} bytes at cold start`);
  });

  it("Create, Verify and PreTokenGeneration share one module of the DynamoDB client (so one client per process)", () => {
    const holding = readdirSync(join(folder, "chunks"))
      .map((name) => join(folder, "chunks", name))
      .filter((file) => readFileSync(file, "utf8").includes(SDK_MARKERS.DynamoDB));
    assert.equal(holding.length, 1, holding.join(", "));
    // And it is reached only through a dynamic import: the first call that reads or writes a record.
    assert.equal(staticClosure(entry).has(holding[0]!), false);
    assert.ok(lazyChunks.some((file) => staticClosure(file).has(holding[0]!)));
  });

  it("answers a Define event as Define does", () => {
    const { outcome } = runBuilt(entry, defineEvent([]));
    assert.deepEqual(outcome, { outcome: "answered", response: { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false } });
  });

  it("refuses an event of a trigger it does not serve with UnknownTriggerSourceError and one WARN line", () => {
    const { outcome, logs } = runBuilt(entry, { version: "1", triggerSource: "CustomMessage_SignUp", request: {}, response: {} });
    assert.deepEqual(outcome, { outcome: "threw", name: "UnknownTriggerSourceError", code: "TRIGGER_SOURCE_UNKNOWN", isError: true });
    const warnings = logs.filter((line) => line["level"] === "WARN");
    assert.equal(warnings.length, 1, JSON.stringify(logs));
    assert.equal(warnings[0]!["reason"], "trigger_source_unknown");
    assert.equal(warnings[0]!["service"], "sign-in-triggers");
  });
});
