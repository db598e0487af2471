/**
 * lib/errors.ts across copies: a function's lazy part is a bundle of its own with its own copy of
 * the module (scripts/build.mjs, "parts"), and the index's `instanceof` checks must still tell its
 * errors apart, or PreTokenGeneration would fail a sign-in instead of issuing tokens without the
 * claims, and the handler boundary would log a typed failure as an unexpected one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as here from "../../lib/errors.ts";

// A second URL is a second module instance: its classes are other objects, as in another bundle.
const other = (await import(`../../lib/errors.ts?copy=${Date.now()}`)) as typeof here;

describe("error classes", () => {
  it("are another copy's classes, not these ones (the premise of the tests below)", () => {
    assert.notEqual(other.StoreUnavailableError, here.StoreUnavailableError);
    assert.equal(Object.getPrototypeOf(new other.StoreUnavailableError("x")) === here.StoreUnavailableError.prototype, false);
  });

  it("recognise the same error class of another copy, by its code", () => {
    const error = new other.StoreUnavailableError("DynamoDB did not answer");
    assert.ok(error instanceof here.StoreUnavailableError);
    assert.ok(error instanceof here.TriggerError);
    assert.ok(error instanceof Error);
    assert.ok(new other.LinkFailedError("no link") instanceof here.LinkFailedError);
    assert.ok(new other.AccountLinkedError() instanceof here.AccountLinkedError);
  });

  it("do not take another class's error for theirs, in either copy", () => {
    const error = new other.StoreUnavailableError("DynamoDB did not answer");
    assert.equal(error instanceof here.MalformedEventError, false);
    assert.equal(error instanceof here.CognitoCallFailedError, false);
    assert.equal(new here.MalformedEventError("bad") instanceof here.StoreUnavailableError, false);
  });

  it("are not fooled by a plain object or an Error that only carries the code", () => {
    const lookalike = { name: "StoreUnavailableError", code: "STORE_UNAVAILABLE", message: "x" };
    assert.equal(lookalike instanceof here.StoreUnavailableError, false);
    assert.equal(lookalike instanceof here.TriggerError, false);
    const error = Object.assign(new Error("x"), { code: "STORE_UNAVAILABLE" });
    assert.equal(error instanceof here.StoreUnavailableError, false);
    assert.equal(JSON.parse(JSON.stringify(new here.StoreUnavailableError("x"))) instanceof here.TriggerError, false);
    for (const value of [null, undefined, "STORE_UNAVAILABLE", 7] as unknown[]) assert.equal((value as object) instanceof here.TriggerError, false);
  });

  it("keep ordinary instanceof for a subclass that declares no code of its own", () => {
    class Narrower extends here.TriggerError {
      override readonly name = "Narrower";
      readonly code = "STORE_UNAVAILABLE";
    }
    assert.ok(new Narrower("x") instanceof Narrower);
    assert.equal(new other.StoreUnavailableError("x") instanceof Narrower, false);
  });

  it("keep their stable code and literal name", () => {
    const error = new other.CognitoCallFailedError("x");
    assert.equal(error.code, "COGNITO_CALL_FAILED");
    assert.equal(error.name, "CognitoCallFailedError");
    assert.equal(here.CognitoCallFailedError.code, "COGNITO_CALL_FAILED");
  });
});
