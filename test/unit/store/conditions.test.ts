import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { allOf, holds, notExpired, notYetRecorded, underLimit } from "../../../lib/store/conditions.ts";

describe("condition pieces", () => {
  test("a value not yet recorded is an attribute that does not exist", () => {
    assert.equal(notYetRecorded("#round"), "attribute_not_exists(#round)");
  });

  test("a counter under its limit may also be absent, since nothing was counted yet", () => {
    assert.equal(underLimit("#sent", ":max"), "(attribute_not_exists(#sent) OR #sent < :max)");
  });

  test("all pieces must hold, each kept whole by its own parentheses", () => {
    assert.equal(allOf(notYetRecorded("#a"), underLimit("#b", ":b")), "attribute_not_exists(#a) AND (attribute_not_exists(#b) OR #b < :b)");
  });

  test("a deadline not yet passed is one still ahead of now", () => {
    assert.equal(notExpired("#expiresAt", ":now"), "#expiresAt > :now");
  });

  test("an attribute holding a value is an equality, false for an absent attribute", () => {
    assert.equal(holds("#purpose", ":purpose"), "#purpose = :purpose");
  });
});
