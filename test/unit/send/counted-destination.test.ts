import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countedDestination } from "../../../lib/send/counted-destination.ts";

describe("the destination send limits count", () => {
  it("counts every spelling of one Gmail mailbox as one", () => {
    const spellings = ["jane.doe@gmail.com", "Jane.Doe+1@GMail.com", "janedoe+sign-in@gmail.com", "j.a.n.e.d.o.e@googlemail.com", " JANEDOE@GMAIL.COM "];
    assert.deepEqual(new Set(spellings.map((email) => countedDestination("email", email))), new Set(["janedoe@gmail.com"]));
  });

  it("counts case and +tags as one mailbox at any provider, but keeps dots where the provider reads them", () => {
    assert.equal(countedDestination("email", "Jane.Doe+news@Example.com"), "jane.doe@example.com");
    assert.notEqual(countedDestination("email", "jane.doe@example.com"), countedDestination("email", "janedoe@example.com"));
  });

  it("leaves an address without a local part, and phone numbers, as they are", () => {
    assert.equal(countedDestination("email", "+tag@example.com"), "+tag@example.com");
    assert.equal(countedDestination("email", "no-at-sign"), "no-at-sign");
    assert.equal(countedDestination("sms", "+447700900123"), "+447700900123");
  });
});
