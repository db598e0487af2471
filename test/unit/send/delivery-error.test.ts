import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DeliveryFailedError } from "../../../lib/errors.ts";
import { deliveryFailed, redact } from "../../../lib/send/delivery-error.ts";

describe("redacting a service's error message", () => {
  const cases: ReadonlyArray<readonly [text: string, redacted: string]> = [
    ["identities failed the check: jane@example.com", "identities failed the check: [redacted]"],
    ["Invalid number +44 7700 900123.", "Invalid number [redacted]."],
    ["code 048213 rejected", "code [redacted] rejected"],
    ["Rate exceeded", "Rate exceeded"],
    ["HTTP 503 in region EU-WEST-1", "HTTP 503 in region EU-WEST-1"],
  ];
  for (const [text, redacted] of cases) {
    test(`${JSON.stringify(text)} is logged as ${JSON.stringify(redacted)}`, () => {
      assert.equal(redact(text, []), redacted);
    });
  }

  test("a known secret is removed whatever its case, even when it does not look like an address", () => {
    assert.equal(redact("no such recipient: JaneDoe", ["janedoe"]), "no such recipient: [redacted]");
  });
});

describe("the error thrown when a message cannot be delivered", () => {
  test("something that is not an Error is reported under a neutral name", () => {
    const error = deliveryFailed("sms", "socket hang up", []);
    assert.ok(error instanceof DeliveryFailedError);
    assert.equal(error.message, "Sending the sign-in SMS through SNS failed (UnknownError).");
  });

  test("an error name that is not an identifier is not repeated", () => {
    const odd = Object.assign(new Error("x"), { name: "jane@example.com" });
    assert.equal(deliveryFailed("email", odd, []).message, "Sending the sign-in email through SES failed (UnknownError).");
  });
});
