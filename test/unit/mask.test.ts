import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { maskDestination, maskEmail, maskPhone } from "../../lib/mask.ts";

describe("masking an email address", () => {
  const cases: ReadonlyArray<readonly [input: string, masked: string]> = [
    ["jane.doe@example.com", "j***@e***.com"],
    ["jane.doe@example.co.uk", "j***@e***.co.uk"],
    ["jane@mail.example.com", "j***@m***.example.com"],
    ["Jane.Doe@Example.COM", "J***@E***.COM"],
    ["jane@localhost", "j***@l***"],
    ["  jane@example.com  ", "j***@e***.com"],
    // Short parts: a part of one character is never shown whole.
    ["jo@example.com", "j***@e***.com"],
    ["j@example.com", "***@e***.com"],
    ["jane@x.io", "j***@***.io"],
    ["@example.com", "***@e***.com"],
    ["jane@", "j***@***"],
    ["@", "***@***"],
    // Unicode: one user-perceived character, never half of one.
    ["élodie@exemple.fr", "é***@e***.fr"],
    ["e\u0301lodie@example.fr", "e\u0301***@e***.fr"],
    ["用户@例子.中国", "用***@例***.中国"],
    ["👩‍💻dev@example.com", "👩‍💻***@e***.com"],
    ["😀@example.com", "***@e***.com"],
    // A quoted local part may contain "@": the last one separates the domain.
    ['"a@b"@example.com', '"***@e***.com'],
  ];
  for (const [input, masked] of cases) {
    test(`${JSON.stringify(input)} is shown as ${JSON.stringify(masked)}`, () => {
      assert.equal(maskEmail(input), masked);
    });
  }

  test("text without an @ reveals nothing", () => {
    assert.equal(maskEmail("jane.doe"), "***");
    assert.equal(maskEmail(""), "***");
  });

  test("the number of stars never tells the length of the address", () => {
    assert.equal(maskEmail("ab@cd.com").length, maskEmail("abcdefghijklmnop@cdefghijklmnop.com").length);
  });

  test("a value that is not a string gives stars instead of an exception", () => {
    assert.equal(maskEmail(undefined as unknown as string), "***");
    assert.equal(maskEmail(42 as unknown as string), "***");
  });
});

describe("masking a phone number", () => {
  const cases: ReadonlyArray<readonly [input: string, masked: string]> = [
    ["+14155550123", "+*******0123"],
    ["+447700900123", "+********0123"],
    ["+3545551234", "+******1234"],
    ["+50051234", "+****1234"],
    ["+861234567890123", "+***********0123"],
    // Decorated input: only digits are counted, and nothing but the last four is shown.
    ["+1 (415) 555-0123", "+*******0123"],
    ["14155550123", "*******0123"],
    // Too short for E.164: no digit is shown.
    ["+1234567", "+*******"],
    ["+12", "+**"],
    ["5", "*"],
    // Non-ASCII digits and letters are dropped, never echoed.
    ["+١٢٣٤٥٦٧٨٩", "***"],
    ["call me", "***"],
    ["", "***"],
    ["+", "***"],
  ];
  for (const [input, masked] of cases) {
    test(`${JSON.stringify(input)} is shown as ${JSON.stringify(masked)}`, () => {
      assert.equal(maskPhone(input), masked);
    });
  }

  test("a value that is not a string gives stars instead of an exception", () => {
    assert.equal(maskPhone(null as unknown as string), "***");
  });
});

describe("masking by delivery channel", () => {
  test("an email destination is masked as an email address", () => {
    assert.equal(maskDestination("email", "jane.doe@example.com"), "j***@e***.com");
  });

  test("an SMS destination is masked as a phone number", () => {
    assert.equal(maskDestination("sms", "+14155550123"), "+*******0123");
  });

  test("a phone number given as an email destination reveals nothing", () => {
    assert.equal(maskDestination("email", "+14155550123"), "***");
  });

  test("an unknown channel reveals nothing", () => {
    assert.equal(maskDestination("fax" as "sms", "+14155550123"), "***");
  });
});
