import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHANNEL_WORDING } from "@cognito-passwordless/protocol";
import { shownDestination } from "../../../lib/otp/shown-destination.ts";

/** docs/protocol.md, Round 2: the destination is one function of what was typed and the chosen method. */
const CASES: readonly [typed: string | undefined, method: "EMAIL_OTP" | "SMS_OTP", shown: string][] = [
  ["jane.doe@example.com", "EMAIL_OTP", "j***@e***.com"],
  ["ALICE@EXAMPLE.COM", "EMAIL_OTP", "A***@E***.COM"],
  ["  jane@example.co.uk  ", "EMAIL_OTP", "j***@e***.co.uk"],
  ["+447700900123", "SMS_OTP", "+********0123"],
  ["+44 7700 900123", "SMS_OTP", "+********0123"],
  ["+1 (415) 555-0123", "SMS_OTP", "+*******0123"],
  // Not of the chosen channel's kind: the channel's wording, no digits and no domain.
  ["+447700900123", "EMAIL_OTP", "your email address"],
  ["jane@example.com", "SMS_OTP", "your phone number"],
  // Nothing usable typed.
  [undefined, "EMAIL_OTP", "your email address"],
  [undefined, "SMS_OTP", "your phone number"],
  ["", "EMAIL_OTP", "your email address"],
  ["jane", "EMAIL_OTP", "your email address"],
  ["07700900123", "SMS_OTP", "your phone number"],
  ["+123", "SMS_OTP", "your phone number"],
  [`${"a".repeat(400)}@example.com`, "EMAIL_OTP", "your email address"],
];

describe("the destination a code round shows", () => {
  for (const [typed, method, shown] of CASES) {
    it(`${JSON.stringify(typed)?.slice(0, 40)} with ${method} shows ${JSON.stringify(shown)}`, () => {
      assert.equal(shownDestination(method, typed), shown);
    });
  }

  it("the channel wordings hold no digit and no domain", () => {
    for (const wording of Object.values(CHANNEL_WORDING)) assert.doesNotMatch(wording, /[\d@.]/);
  });
});
