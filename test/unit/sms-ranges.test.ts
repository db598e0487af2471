import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { neverSendRange } from "../../lib/sms-ranges.ts";

const NEVER: readonly [phone: string, range: string][] = [
  ["+447000000001", "uk-personal-number"],
  ["+447012345678", "uk-personal-number"],
  ["+447612345678", "uk-pager"],
  ["+448001234567", "uk-non-geographic"],
  ["+448712345678", "uk-non-geographic"],
  ["+449012345678", "uk-premium-rate"],
  ["+44118500123", "uk-directory"],
  ["+19005550101", "nanp-premium"],
  ["+12129765555", "nanp-premium"],
  ["+18765550101", "nanp-caribbean"],
  ["+18095550101", "nanp-caribbean"],
  ["+12425550101", "nanp-caribbean"],
];

const ALLOWED: readonly string[] = [
  "+447700900123", // UK mobile
  "+447624123456", // Isle of Man mobile, inside 076
  "+442079460000", // London (not a mobile, but no premium or personal-number range)
  "+12025550101", // Washington DC
  "+14165550101", // Toronto
  "+17875550101", // Puerto Rico, a US territory
  "+33612345678", // another country: no list here, the country allow-list decides
  "not a number",
];

describe("number ranges SMS never goes to", () => {
  for (const [phone, range] of NEVER) it(`${phone} is in ${range}`, () => assert.equal(neverSendRange(phone), range));
  for (const phone of ALLOWED) it(`${phone} is in none`, () => assert.equal(neverSendRange(phone), undefined));
});
