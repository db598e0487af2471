import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFederatedIdentity } from "../../../lib/linking/federated-identity.ts";

const verifiedEmail = { email: "jane@example.com", email_verified: "true" };

describe("reading a federated user from PreSignUp_ExternalProvider", () => {
  it("maps a lower-cased prefix back to the provider name as the pool spells it", () => {
    const reading = readFederatedIdentity("google_107316791239512345678", verifiedEmail, ["Google"]);
    assert.ok(reading.ok);
    assert.equal(reading.identity.providerName, "Google");
    assert.equal(reading.identity.subject, "107316791239512345678");
  });

  it("accepts the prefix in the configured case as well", () => {
    const reading = readFederatedIdentity("Descope_U2abc", verifiedEmail, ["Descope"]);
    assert.ok(reading.ok);
    assert.equal(reading.identity.providerName, "Descope");
  });

  it("keeps every underscore of the subject (Microsoft subjects contain them)", () => {
    const reading = readFederatedIdentity("microsoft_AAAA_bbb_CCC", verifiedEmail, ["Microsoft"]);
    assert.ok(reading.ok);
    assert.equal(reading.identity.subject, "AAAA_bbb_CCC");
  });

  it("prefers the longest configured name, so a provider named with an underscore is not cut short", () => {
    const reading = readFederatedIdentity("acme_sso_4711", verifiedEmail, ["acme", "Acme_SSO"]);
    assert.ok(reading.ok);
    assert.equal(reading.identity.providerName, "Acme_SSO");
    assert.equal(reading.identity.subject, "4711");
  });

  it("refuses providers that are not trusted for linking", () => {
    const reading = readFederatedIdentity("facebook_123", verifiedEmail, ["Google"]);
    assert.deepEqual(reading, { ok: false, reason: "untrusted-provider", prefix: "facebook" });
  });

  it("refuses a user name with nothing after the prefix", () => {
    assert.deepEqual(readFederatedIdentity("google_", verifiedEmail, ["Google"]), { ok: false, reason: "no-subject", prefix: "Google" });
  });

  it('counts an address as verified only on the exact string "true"', () => {
    for (const flag of [undefined, "false", "True", "1", "yes", " true"]) {
      const reading = readFederatedIdentity("google_1", { email: "jane@example.com", ...(flag === undefined ? {} : { email_verified: flag }) }, ["Google"]);
      assert.ok(reading.ok);
      assert.equal(reading.identity.email?.verified, false, `email_verified ${String(flag)}`);
    }
  });

  it("ignores an email or phone number that is not one", () => {
    const reading = readFederatedIdentity(
      "google_1",
      { email: "not an address", email_verified: "true", phone_number: "0770 090 0123", phone_number_verified: "true" },
      ["Google"],
    );
    assert.ok(reading.ok);
    assert.equal(reading.identity.email, undefined);
    assert.equal(reading.identity.phone, undefined);
  });

  it("reads a verified phone number", () => {
    const reading = readFederatedIdentity("google_1", { phone_number: "+447700900123", phone_number_verified: "true" }, ["Google"]);
    assert.ok(reading.ok);
    assert.deepEqual(reading.identity.phone, { value: "+447700900123", verified: true });
  });
});
