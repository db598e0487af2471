import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCodeAnswer, type ExpectedCode } from "../../../lib/otp/check-code-answer.ts";
import { codeMatchesHash, deriveCodeSalt, hashCode } from "../../../lib/otp/code-hash.ts";
import { generateCode } from "../../../lib/otp/generate-code.ts";

const NOW = 1_700_000_000_000;

function expected(code: string, overrides: Partial<ExpectedCode> = {}): ExpectedCode {
  const salt = deriveCodeSalt("round-key");
  return { codeHash: hashCode(code, salt), salt, expiresAt: NOW + 300_000, codeLength: code.length, ...overrides };
}

describe("generating codes", () => {
  it("has exactly the configured number of digits, leading zeros included", () => {
    for (const length of [6, 8, 10]) {
      for (let i = 0; i < 200; i++) assert.match(generateCode(length), new RegExp(`^\\d{${length}}$`));
    }
  });

  it("uses every digit in every position (no off-by-one bound)", () => {
    const seen = Array.from({ length: 6 }, () => new Set<string>());
    for (let i = 0; i < 3000; i++) {
      for (const [position, digit] of [...generateCode(6)].entries()) seen[position]?.add(digit);
    }
    for (const digits of seen) assert.equal(digits.size, 10);
  });

  it("spreads codes evenly: no digit is far from a tenth of all digits", () => {
    const counts = new Array<number>(10).fill(0);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) for (const digit of generateCode(6)) counts[Number(digit)]! += 1;
    const share = draws * 6 * 0.1;
    for (const count of counts) assert.ok(Math.abs(count - share) < share * 0.05, `digit count ${count} vs ${share}`);
  });

  it("refuses a length outside 4 to 10", () => {
    assert.throws(() => generateCode(3), RangeError);
    assert.throws(() => generateCode(11), RangeError);
  });
});

describe("keeping codes as hashes", () => {
  it("derives the same salt from the same round key, and another from another", () => {
    assert.equal(deriveCodeSalt("a"), deriveCodeSalt("a"));
    assert.notEqual(deriveCodeSalt("a"), deriveCodeSalt("b"));
  });

  it("a hash reveals nothing of the code as text", () => {
    const hash = hashCode("123456", deriveCodeSalt("k"));
    assert.ok(!hash.includes("123456"));
  });

  it("matches only the code it was made from", () => {
    const salt = deriveCodeSalt("k");
    assert.equal(codeMatchesHash("123456", hashCode("123456", salt), salt), true);
    assert.equal(codeMatchesHash("123457", hashCode("123456", salt), salt), false);
    assert.equal(codeMatchesHash("123456", hashCode("123456", salt), deriveCodeSalt("other round")), false);
  });

  it("a corrupt stored hash never matches", () => {
    assert.equal(codeMatchesHash("123456", "short", "salt"), false);
    assert.equal(codeMatchesHash("123456", "", "salt"), false);
  });
});

describe("judging a code answer", () => {
  it("accepts the right code before it expires", () => {
    assert.deepEqual(checkCodeAnswer("042917", expected("042917"), NOW), { ok: true });
  });

  const rejections: Array<[string, unknown, ExpectedCode, number, string]> = [
    ["a wrong code", "042918", expected("042917"), NOW, "wrong_code"],
    ["the right code one millisecond after expiry", "042917", expected("042917"), NOW + 300_000, "code_expired"],
    ["any code in a round where none was sent", "042917", expected("042917", { codeHash: "" }), NOW, "no_code_sent"],
    ["a code with a digit too few", "04291", expected("042917"), NOW, "malformed_answer"],
    ["a code with spaces", "042 917", expected("042917"), NOW, "malformed_answer"],
    ["non-ASCII digits", "٠٤٢٩١٧", expected("042917"), NOW, "malformed_answer"],
    ["a number instead of a string", 42917, expected("042917"), NOW, "malformed_answer"],
    ["a huge string", "1".repeat(1_000_000), expected("042917"), NOW, "malformed_answer"],
    ["the method name sent where a code is due", "EMAIL_OTP", expected("042917"), NOW, "malformed_answer"],
    ["SKIP sent where a code is due", "SKIP", expected("042917"), NOW, "malformed_answer"],
    ["undefined", undefined, expected("042917"), NOW, "malformed_answer"],
  ];
  for (const [name, answer, code, now, reason] of rejections) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(checkCodeAnswer(answer, code, now), { ok: false, reason });
    });
  }
});
