/**
 * What the API takes as a passkey name, a credential id and its two JSON bodies.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PASSKEY_NAME_MAX_CHARS } from "@cognito-passwordless/protocol";
import { isCredentialId } from "../../../lib/api/credential-id.ts";
import { checkPasskeyName } from "../../../lib/api/passkey-name.ts";
import { readAddBody, readRenameBody } from "../../../lib/api/request-bodies.ts";
import { isChallengeIdShape } from "../../../lib/passkey/challenge-id.ts";
import { randomId } from "../../../lib/flow/random-id.ts";

describe("a passkey's name", () => {
  const cases: [string, unknown, string][] = [
    ["a plain name", "Work laptop", "ok:Work laptop"],
    ["spaces around it are trimmed", "  Phone  ", "ok:Phone"],
    ["one character", "a", "ok:a"],
    [`${PASSKEY_NAME_MAX_CHARS} characters`, "x".repeat(PASSKEY_NAME_MAX_CHARS), `ok:${"x".repeat(PASSKEY_NAME_MAX_CHARS)}`],
    ["characters are counted as code points, so 64 emoji fit", "🔑".repeat(64), `ok:${"🔑".repeat(64)}`],
    ["letters of any script, in NFC", "Cafe\u0301 ключ 鍵", "ok:Café ключ 鍵"],
    ["empty", "", "name_empty"],
    ["only spaces", "   ", "name_empty"],
    [`${PASSKEY_NAME_MAX_CHARS + 1} characters`, "x".repeat(PASSKEY_NAME_MAX_CHARS + 1), "name_too_long"],
    ["65 emoji", "🔑".repeat(65), "name_too_long"],
    ["a line break (Cc)", "Work\nlaptop", "name_has_control_characters"],
    ["a tab at the end, which trimming would hide", "Laptop\t", "name_has_control_characters"],
    ["a NUL", "a\u0000", "name_has_control_characters"],
    ["a right-to-left override (Cf)", "\u202Egnp.exe", "name_has_control_characters"],
    ["a zero-width space (Cf)", "Lap\u200Btop", "name_has_control_characters"],
    ["a lone surrogate", "x\uD83D", "name_has_control_characters"],
    ["a number", 42, "name_missing"],
    ["null", null, "name_missing"],
    ["absent", undefined, "name_missing"],
  ];
  for (const [what, value, expected] of cases) {
    it(`${what}: ${expected.startsWith("ok:") ? "taken" : expected}`, () => {
      const checked = checkPasskeyName(value);
      assert.equal(checked.ok ? `ok:${checked.name}` : checked.reason, expected);
    });
  }
});

describe("a credential id in the path", () => {
  it("is base64url of 1 to 1364 characters", () => {
    for (const id of ["A", "Y3JlZGVudGlhbA", "ab-_09", "A".repeat(1364)]) assert.equal(isCredentialId(id), true, id);
    for (const id of [undefined, "", "A".repeat(1365), "a+b", "a/b", "a=", "a b", "..", "é", 7]) assert.equal(isCredentialId(id), false, String(id));
  });
});

describe("the request bodies", () => {
  it("rename takes { name }, checked as a name; extra fields are ignored", () => {
    assert.deepEqual(readRenameBody({ name: " Laptop ", extra: true }), { ok: true, body: { name: "Laptop" } });
    for (const body of [undefined, null, [], "Laptop", { title: "Laptop" }, { name: "" }]) {
      const read = readRenameBody(body);
      assert.equal(read.ok ? "ok" : read.refusal.error, "invalid_request", JSON.stringify(body));
    }
  });

  it("add takes { challengeId, response, name? }", () => {
    const response = { id: "eA", rawId: "eA", type: "public-key", response: {} };
    assert.deepEqual(readAddBody({ challengeId: "c", response }), { ok: true, body: { challengeId: "c", response } });
    assert.deepEqual(readAddBody({ challengeId: "c", response, name: null }), { ok: true, body: { challengeId: "c", response } });
    assert.deepEqual(readAddBody({ challengeId: "c", response, name: " Key " }), { ok: true, body: { challengeId: "c", response, name: "Key" } });
    for (const body of [
      undefined,
      [],
      { response },
      { challengeId: 1, response },
      { challengeId: "c" },
      { challengeId: "c", response: "{}" },
      { challengeId: "c", response, name: 5 },
    ]) {
      const read = readAddBody(body);
      assert.equal(read.ok ? "ok" : read.refusal.error, "invalid_request", JSON.stringify(body));
    }
    const badName = readAddBody({ challengeId: "c", response, name: "a\u0007" });
    assert.equal(badName.ok ? "ok" : badName.refusal.reason, "name_has_control_characters");
  });

  it("a challenge id has the shape of the ids the API issues", () => {
    assert.equal(isChallengeIdShape(randomId()), true);
    for (const id of ["", "short", "x".repeat(65), "has space in it here", "../../../../etc/passwd"]) assert.equal(isChallengeIdShape(id), false, id);
  });
});
