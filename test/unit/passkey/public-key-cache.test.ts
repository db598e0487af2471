import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  type CachedPublicKey,
  PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH,
  credentialDigest,
  findCachedPublicKey,
  publicKeyFingerprint,
  withCachedPublicKey,
  withoutCachedPublicKey,
} from "../../../lib/passkey/public-key-cache.ts";

/** Base64url COSE public keys are 103 characters for P-256 (77 bytes) and about 360 for RSA-2048. */
const P256_KEY_LENGTH = 103;
const RSA_KEY_LENGTH = 360;

/** A stand-in for a COSE public key: base64url of the given length, different for each seed. */
function coseKey(seed: string, length = P256_KEY_LENGTH): string {
  let text = "";
  for (let round = 0; text.length < length; round += 1) text += createHash("sha512").update(`${seed}/${round}`).digest("base64url");
  return text.slice(0, length);
}

function cachedKey(seed: string, overrides: Partial<CachedPublicKey> = {}): CachedPublicKey {
  return { publicKey: coseKey(seed), method: "swk", ...overrides };
}

/** Adds each credential's key in turn, as one enrolment after another would. */
function cacheAll(credentials: readonly { id: string; key: CachedPublicKey }[]): string | undefined {
  let value: string | undefined;
  for (const { id, key } of credentials) value = withCachedPublicKey(value, id, key);
  return value;
}

describe("passkey public keys cached in the user's attribute", () => {
  test("a key added for a credential is found again for it, with its method", () => {
    const phone = cachedKey("phone", { method: "swk" });
    const securityKey = cachedKey("security-key", { method: "hwk" });

    const value = cacheAll([
      { id: "cred-phone", key: phone },
      { id: "cred-security-key", key: securityKey },
    ]);

    assert.deepEqual(findCachedPublicKey(value, "cred-phone"), phone);
    assert.deepEqual(findCachedPublicKey(value, "cred-security-key"), securityKey);
  });

  test("a credential that was never added is not found", () => {
    const value = withCachedPublicKey(undefined, "cred-phone", cachedKey("phone"));

    assert.equal(findCachedPublicKey(value, "cred-laptop"), undefined);
  });

  test("the value starts with its version and names credentials by digest, never by their id", () => {
    const value = withCachedPublicKey(undefined, "cred-phone", cachedKey("phone"));

    assert.ok(value?.startsWith("v1;"));
    assert.equal(value?.includes("cred-phone"), false);
    assert.equal(value, `v1;${credentialDigest("cred-phone")}.s.${coseKey("phone")}`);
  });

  test("adding a credential again replaces its key instead of keeping two", () => {
    const before = cacheAll([
      { id: "cred-phone", key: cachedKey("phone") },
      { id: "cred-laptop", key: cachedKey("laptop") },
    ]);
    const renewed = cachedKey("phone-renewed", { method: "hwk" });

    const after = withCachedPublicKey(before, "cred-phone", renewed);

    assert.deepEqual(findCachedPublicKey(after, "cred-phone"), renewed);
    assert.equal(after?.split(",").length, 2);
    assert.equal(after?.length, before?.length);
  });

  test("adding or replacing one credential leaves the others' keys as they were", () => {
    const laptop = cachedKey("laptop", { method: "hwk" });
    const tablet = cachedKey("tablet");
    const before = cacheAll([
      { id: "cred-phone", key: cachedKey("phone") },
      { id: "cred-laptop", key: laptop },
    ]);

    const after = withCachedPublicKey(withCachedPublicKey(before, "cred-phone", cachedKey("phone-renewed")), "cred-tablet", tablet);

    assert.deepEqual(findCachedPublicKey(after, "cred-laptop"), laptop);
    assert.deepEqual(findCachedPublicKey(after, "cred-tablet"), tablet);
  });

  describe("the 2048 characters Cognito allows a custom attribute", () => {
    test("a user with many P-256 passkeys (at least 14) fits", () => {
      let value: string | undefined;
      let cached = 0;
      for (let index = 0; index < 20; index += 1) {
        const next = withCachedPublicKey(value, `cred-${index}`, cachedKey(`p256-${index}`));
        if (next === undefined) break;
        value = next;
        cached += 1;
      }

      assert.ok(cached >= 14, `${cached} P-256 keys fit`);
      assert.ok((value?.length ?? 0) <= PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH);
      for (let index = 0; index < cached; index += 1) assert.ok(findCachedPublicKey(value, `cred-${index}`), `cred-${index} is still found`);
    });

    test("a key that would take the value past 2048 characters is not added: undefined, and the previous value still holds", () => {
      const rsaKey = (index: number) => cachedKey(`rsa-${index}`, { publicKey: coseKey(`rsa-${index}`, RSA_KEY_LENGTH), method: "hwk" });
      let value: string | undefined;
      let cached = 0;
      for (;;) {
        const next = withCachedPublicKey(value, `cred-${cached}`, rsaKey(cached));
        if (next === undefined) break;
        assert.ok(next.length <= PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH);
        value = next;
        cached += 1;
      }

      assert.ok(cached > 0 && cached < 10, `${cached} RSA keys fit`);
      const refusedEntryLength = ",".length + 22 + ".h.".length + RSA_KEY_LENGTH;
      assert.ok((value?.length ?? 0) + refusedEntryLength > PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH, "only a key that would overflow is refused");
      assert.deepEqual(findCachedPublicKey(value, "cred-0"), rsaKey(0));
      assert.equal(findCachedPublicKey(value, `cred-${cached}`), undefined);
    });

    test("a value of exactly 2048 characters is kept, one more character is refused", () => {
      // "v1;" + 22-character digest + ".s." leave 2020 characters for the key.
      const room = PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH - "v1;".length - 22 - ".s.".length;

      assert.equal(withCachedPublicKey(undefined, "cred-1", cachedKey("big", { publicKey: coseKey("big", room) }))?.length, PUBLIC_KEY_ATTRIBUTE_MAX_LENGTH);
      assert.equal(withCachedPublicKey(undefined, "cred-1", cachedKey("big", { publicKey: coseKey("big", room + 1) })), undefined);
    });
  });

  describe("a value that is not one this code wrote yields no key and never throws", () => {
    const credentialId = "cred-phone";
    const digest = credentialDigest(credentialId);
    const key = coseKey("phone");

    for (const [what, value] of [
      ["no attribute", undefined],
      ["an empty string", ""],
      ["the version alone", "v1;"],
      ["another version's prefix", `v2;${digest}.s.${key}`],
      ["no version prefix", `${digest}.s.${key}`],
      ["garbage entries", "v1;garbage,,;;..."],
      ["an entry with an extra dot", `v1;${digest}.s.${key}.extra`],
      ["an entry missing its key", `v1;${digest}.s`],
      ["an entry with an unknown method flag", `v1;${digest}.x.${key}`],
      ["a key with characters outside base64url", `v1;${digest}.s.${key}+/=`],
      ["a digest with characters outside base64url", `v1;${digest.slice(0, -1)}+.s.${key}`],
    ] as const) {
      test(what, () => {
        assert.equal(findCachedPublicKey(value, credentialId), undefined);
      });
    }

    test("while the same entry, well formed, is found (the cases above differ from it only in what they name)", () => {
      assert.deepEqual(findCachedPublicKey(`v1;${digest}.s.${key}`, credentialId), { publicKey: key, method: "swk" });
    });
  });

  test("adding a key to a value with malformed entries keeps only the well-formed ones", () => {
    const laptop = cachedKey("laptop", { method: "hwk" });
    const wellFormed = `${credentialDigest("cred-laptop")}.h.${laptop.publicKey}`;
    const malformed = ["garbage", `${credentialDigest("cred-old")}.s.${coseKey("old")}.extra`, `${credentialDigest("cred-odd")}.s.not+base64url`];
    const phone = cachedKey("phone");

    const value = withCachedPublicKey(`v1;${malformed[0]},${wellFormed},${malformed[1]},${malformed[2]}`, "cred-phone", phone);

    assert.equal(value, `v1;${wellFormed},${credentialDigest("cred-phone")}.s.${phone.publicKey}`);
    assert.deepEqual(findCachedPublicKey(value, "cred-laptop"), laptop);
    assert.deepEqual(findCachedPublicKey(value, "cred-phone"), phone);
  });

  test("adding a key to a value of another version starts a fresh value", () => {
    const phone = cachedKey("phone");

    const value = withCachedPublicKey(`v2;${credentialDigest("cred-laptop")}.h.${coseKey("laptop")}`, "cred-phone", phone);

    assert.equal(value, `v1;${credentialDigest("cred-phone")}.s.${phone.publicKey}`);
  });

  describe("the credential digest", () => {
    test("is 22 base64url characters, however long the credential id", () => {
      for (const credentialId of ["a", "cred-phone", "x".repeat(1023)]) {
        assert.match(credentialDigest(credentialId), /^[A-Za-z0-9_-]{22}$/);
      }
    });

    test("differs between credentials", () => {
      assert.notEqual(credentialDigest("cred-phone"), credentialDigest("cred-laptop"));
      assert.notEqual(credentialDigest("cred-1"), credentialDigest("cred-2"));
    });

    test("is the first 16 bytes of SHA-256, as values already stored in users' attributes were written", () => {
      // FIPS 180-2's test vector: SHA-256("abc").
      const sha256OfAbc = Buffer.from("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "hex");

      assert.equal(credentialDigest("abc"), sha256OfAbc.subarray(0, 16).toString("base64url"));
    });
  });

  describe("the public key fingerprint", () => {
    test("is the same for the same key each time, so enrolment and sign-in agree", () => {
      assert.equal(publicKeyFingerprint(coseKey("phone")), publicKeyFingerprint(coseKey("phone")));
    });

    test("differs between keys", () => {
      assert.notEqual(publicKeyFingerprint(coseKey("phone")), publicKeyFingerprint(coseKey("laptop")));
    });

    test("is the whole SHA-256 in base64url, as fingerprints already stored in the table were written", () => {
      const sha256OfAbc = Buffer.from("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "hex");

      assert.equal(publicKeyFingerprint("abc"), sha256OfAbc.toString("base64url"));
    });
  });
});

describe("a revoked passkey's key taken out of the attribute (withoutCachedPublicKey)", () => {
  const keyOf = (seed: string): CachedPublicKey => ({ publicKey: coseKey(seed), method: "swk" });

  test("the credential's key is gone and the others stay as they were", () => {
    let value = withCachedPublicKey(undefined, "cred-a", keyOf("a"));
    value = withCachedPublicKey(value, "cred-b", keyOf("b"));
    value = withCachedPublicKey(value, "cred-c", keyOf("c"));

    const without = withoutCachedPublicKey(value, "cred-b");

    assert.ok(without?.startsWith("v1;"));
    assert.equal(findCachedPublicKey(without, "cred-b"), undefined);
    assert.deepEqual(findCachedPublicKey(without, "cred-a"), keyOf("a"));
    assert.deepEqual(findCachedPublicKey(without, "cred-c"), keyOf("c"));
  });

  test("the last key removed leaves a value that caches nothing", () => {
    const without = withoutCachedPublicKey(withCachedPublicKey(undefined, "cred-a", keyOf("a")), "cred-a");

    assert.equal(without, "v1;");
    assert.equal(findCachedPublicKey(without, "cred-a"), undefined);
  });

  test("a value that caches no key for the credential has nothing to rewrite: undefined", () => {
    const value = withCachedPublicKey(undefined, "cred-a", keyOf("a"));

    assert.equal(withoutCachedPublicKey(value, "cred-b"), undefined);
    assert.equal(withoutCachedPublicKey(undefined, "cred-a"), undefined);
    assert.equal(withoutCachedPublicKey("v2;anything", "cred-a"), undefined);
  });
});
