/**
 * The error classes of lib/errors.ts keep their names in the built, minified bundles: a log query
 * or an operator reading `"name":"StoreUnavailableError"` must not find a minifier's "z" instead.
 * Checked on a fresh build (scripts/build.mjs, as `npm run build` runs it), by what the bundles
 * hold and by what a built function really throws and logs.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as errors from "../../lib/errors.ts";
import { UNIT_ENV } from "../support/function-env.ts";
import { REPO_ROOT, runBuild } from "./fixture-build.ts";
import { runBuiltHandler } from "./built-bundle.ts";

/** Every error class lib/errors.ts exports, by the name it is exported under. */
const ERROR_CLASSES = (Object.entries(errors) as [string, unknown][]).filter(
  (entry): entry is [string, new (message: string) => Error] => typeof entry[1] === "function" && entry[1].prototype instanceof errors.TriggerError,
);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith(".mjs") ? [path] : [];
  });
}

describe("error names in the built bundles", () => {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-error-names-"));
  const dist = join(dir, "dist");

  before(() => runBuild(["--outdir", dist]));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lib/errors.ts has the classes this test looks for, each named as it is exported", () => {
    assert.ok(ERROR_CLASSES.length >= 7, ERROR_CLASSES.map(([name]) => name).join(", "));
    for (const [exported, ErrorClass] of ERROR_CLASSES) {
      assert.equal(new ErrorClass("m").name, exported);
    }
  });

  it("holds every error class's name as a literal, which minification keeps", () => {
    const code = filesUnder(dist)
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    for (const [name] of ERROR_CLASSES) assert.ok(code.includes(`"${name}"`), `"${name}" is in the built code`);
  });

  it("a built function's store outage is thrown and logged as StoreUnavailableError", () => {
    const event = JSON.parse(readFileSync(join(REPO_ROOT, "events", "create-email-code.json"), "utf8")) as unknown;
    const { outcome, logs } = runBuiltHandler(join(dist, "create-auth-challenge", "index.mjs"), event, {
      ...UNIT_ENV,
      LOG_LEVEL: "INFO",
      // Nothing listens on port 9 (discard): DynamoDB is down, at once.
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
      AWS_CALL_MAX_ATTEMPTS: "1",
    });
    assert.deepEqual(outcome, { outcome: "threw", name: "StoreUnavailableError", code: "STORE_UNAVAILABLE", isError: true });
    const logged = logs.find((line) => line["level"] === "ERROR" && line["reason"] === "STORE_UNAVAILABLE");
    assert.ok(logged, JSON.stringify(logs));
    assert.equal((logged["error"] as { name?: unknown }).name, "StoreUnavailableError");
  });

  it("a built function's bad configuration fails its cold start as ConfigError", () => {
    const { outcome } = runBuiltHandler(join(dist, "define-auth-challenge", "index.mjs"), {}, { ...UNIT_ENV, SIGN_IN_METHODS: "CARRIER_PIGEON" });
    assert.deepEqual(outcome, { outcome: "threw", name: "ConfigError", code: "CONFIG_INVALID", isError: true });
  });
});
