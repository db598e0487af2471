/**
 * A function's parts (scripts/build.mjs): PreSignUp and PreTokenGeneration, on a fresh build, load
 * one file at cold start (their lazy code is a bundle of its own under parts/, sharing no file with
 * the index), and an error thrown inside a part is still recognised by the index's copy of
 * lib/errors.ts: tokens are issued without the claims when DynamoDB is down, and a failed link is
 * logged with its code, exactly as in one bundle.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { preSignUpEvent, preTokenEventV2 } from "@cognito-passwordless/test-kit/events.ts";
import { UNIT_ENV } from "../support/function-env.ts";
import { SDK_MARKERS, dynamicImports, runBuiltHandler, staticClosure } from "./built-bundle.ts";
import { runBuild } from "./fixture-build.ts";

/** Nothing listens on port 9 (discard): every call fails at once with a refused connection. */
const NOWHERE = "http://127.0.0.1:9";
/** Each function's part, and the SDK client it keeps out of the cold start. */
const PARTS = {
  "pre-sign-up": { part: "federated-linker", client: SDK_MARKERS.Cognito },
  "pre-token-generation": { part: "sign-in-record-reader", client: SDK_MARKERS.DynamoDB },
} as const;

describe("functions built with parts", () => {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-parts-"));
  before(() => {
    runBuild(["--outdir", join(dir, "dist")]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [fn, { part, client }] of Object.entries(PARTS)) {
    it(`${fn} loads its index.mjs alone at cold start; its lazy code is parts/${part}, which shares no file with it`, () => {
      const folder = join(dir, "dist", fn);
      const entry = join(folder, "index.mjs");
      const partEntry = join(folder, "parts", part, "index.mjs");
      assert.deepEqual([...staticClosure(entry)], [entry], "the cold start loads one file");
      assert.equal(existsSync(join(folder, "chunks")), false, "no chunk beside the index");
      assert.deepEqual(dynamicImports(entry), [partEntry]);
      const partFiles = [...staticClosure(partEntry), ...dynamicImports(partEntry)];
      const outside = partFiles.filter((file) => relative(join(folder, "parts", part), file).startsWith(".."));
      assert.deepEqual(outside, [], "a part's files stay in its own folder");
      assert.equal(readFileSync(entry, "utf8").includes(client), false, "the index carries no SDK client");
      assert.ok(readFileSync(partEntry, "utf8").includes(client), "the part carries the client");
    });
  }

  it("PreTokenGeneration issues tokens without the claims when DynamoDB is down, and logs why", () => {
    const { outcome, logs } = runBuiltHandler(join(dir, "dist", "pre-token-generation", "index.mjs"), preTokenEventV2(), {
      ...UNIT_ENV,
      AWS_ENDPOINT_URL_DYNAMODB: NOWHERE,
      AWS_CALL_MAX_ATTEMPTS: "1",
    });
    assert.equal(outcome["outcome"], "answered", JSON.stringify(outcome));
    assert.deepEqual((outcome["response"] as { claimsAndScopeOverrideDetails?: unknown }).claimsAndScopeOverrideDetails ?? null, null);
    const unavailable = logs.find((line) => line["message"] === "Sign-in record unavailable: tokens issued without auth claims");
    assert.ok(unavailable, JSON.stringify(logs));
    assert.equal(unavailable["level"], "ERROR");
    assert.equal((unavailable["error"] as { name?: unknown }).name, "StoreUnavailableError");
  });

  it("PreSignUp refuses a federated sign-up it cannot link, and logs the failure's code, not an unexpected error", () => {
    const event = preSignUpEvent("PreSignUp_ExternalProvider", {
      userName: "Google_1234567890",
      userAttributes: { email: "ada@example.com", email_verified: "true" },
    });
    const { outcome, logs } = runBuiltHandler(join(dir, "dist", "pre-sign-up", "index.mjs"), event, {
      ...UNIT_ENV,
      LINK_PROVIDERS: "Google",
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: NOWHERE,
      AWS_CALL_MAX_ATTEMPTS: "1",
    });
    assert.equal(outcome["outcome"], "threw", JSON.stringify(outcome));
    const failed = logs.find((line) => line["message"] === "PreSignUp failed: the sign-in cannot go on");
    assert.ok(failed, JSON.stringify(logs));
    assert.match(String(failed["reason"]), /^(LINK_FAILED|COGNITO_CALL_FAILED)$/);
  });
});
