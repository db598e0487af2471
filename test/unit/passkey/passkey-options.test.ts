import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { passkeyAuthenticationOptions } from "../../../lib/passkey/authentication-options.ts";
import { nameFromUserAgent, passkeyFriendlyName } from "../../../lib/passkey/friendly-name.ts";
import { passkeyRegistrationOptions } from "../../../lib/passkey/registration-options.ts";
import { passkeyUserHandle } from "../../../lib/passkey/user-handle.ts";
import type { StoredPasskey } from "../../../lib/store/passkey-credentials.ts";
import { NOW, challenge, passkeyConfig } from "./passkey-test-kit.ts";

function storedPasskey(credentialId: string, transports: string[]): StoredPasskey {
  return {
    credentialId,
    userName: "user-1",
    userHandle: "aGFuZGxl",
    publicKey: "cHVibGlj",
    counter: 0,
    transports,
    aaguid: "00000000-0000-0000-0000-000000000000",
    backedUp: false,
    deviceType: "singleDevice",
    createdAt: NOW,
    friendlyName: "Passkey",
  };
}

describe("passkey options", () => {
  test("sign-in options carry the challenge, RP ID, timeout and user verification, and no credentials", () => {
    const options = passkeyAuthenticationOptions(passkeyConfig({ userVerification: "preferred", timeoutMs: 90_000 }), challenge("a"));

    assert.deepEqual(options, { challenge: challenge("a"), rpId: "example.com", timeout: 90_000, userVerification: "preferred", allowCredentials: [] });
  });

  test("enrolment options ask for a discoverable credential, prefer user verification, want no attestation and exclude the user's passkeys", async () => {
    const options = await passkeyRegistrationOptions(passkeyConfig(), {
      challenge: challenge("b"),
      userHandle: passkeyUserHandle({ sub: "sub-1" }, "user-1"),
      userName: "jane@example.com",
      displayName: "Jane",
      existing: [storedPasskey("cred-1", ["internal"]), storedPasskey("cred-2", [])],
    });

    assert.equal(options.challenge, challenge("b"), "the challenge is sent as given, not encoded again");
    assert.deepEqual(options.rp, { name: "Example", id: "example.com" });
    assert.deepEqual(options.user, { id: Buffer.from("sub-1").toString("base64url"), name: "jane@example.com", displayName: "Jane" });
    assert.equal(options.attestation, "none");
    assert.equal(options.timeout, 120_000);
    assert.equal(options.authenticatorSelection?.residentKey, "required");
    assert.equal(options.authenticatorSelection?.requireResidentKey, true);
    assert.equal(options.authenticatorSelection?.userVerification, "preferred");
    assert.deepEqual(options.excludeCredentials, [
      { id: "cred-1", transports: ["internal"], type: "public-key" },
      { id: "cred-2", transports: [], type: "public-key" },
    ]);
    assert.deepEqual(
      options.pubKeyCredParams.map((parameter) => parameter.alg),
      [-8, -7, -257],
    );
  });
});

describe("the WebAuthn user handle", () => {
  test("is the user's sub, never the email", () => {
    const handle = passkeyUserHandle({ sub: "0d8f3a2e-1111-4b5c-9c1e-2f6a7b8c9d0e", email: "jane@example.com" }, "jane@example.com");

    assert.equal(Buffer.from(handle, "base64url").toString("utf8"), "0d8f3a2e-1111-4b5c-9c1e-2f6a7b8c9d0e");
  });

  test("falls back to the user name when the event has no sub, and stays the same", () => {
    assert.equal(passkeyUserHandle({}, "user-1"), Buffer.from("user-1").toString("base64url"));
    assert.equal(passkeyUserHandle({}, "user-1"), passkeyUserHandle({}, "user-1"));
  });

  test("fits WebAuthn's 64 bytes even for a long user name", () => {
    assert.equal(Buffer.from(passkeyUserHandle({}, "x".repeat(128)), "base64url").length, 32);
  });
});

describe("the name a passkey is listed under", () => {
  test("a well-known AAGUID names the provider", () => {
    assert.equal(passkeyFriendlyName("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"), "Google Password Manager");
    assert.equal(passkeyFriendlyName("FBFC3007-154E-4ECC-8C0B-6E020557D7BD", "Chrome"), "iCloud Keychain");
    assert.equal(passkeyFriendlyName("08987058-cadc-4b81-b6e1-30de50dcbe96"), "Windows Hello");
    assert.equal(passkeyFriendlyName("bada5566-a7aa-401f-bd96-45619a55120d"), "1Password");
    assert.equal(passkeyFriendlyName("d548826e-79b4-db40-a3d8-11116f7e8349"), "Bitwarden");
    assert.equal(passkeyFriendlyName("adce0002-35bc-c60a-648b-0b25f1f05503"), "Chrome on Mac");
  });

  for (const [userAgent, name] of [
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iPhone",
    ],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on macOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"],
    ["MyApp/2.1 (custom client)", "MyApp/2.1 (custom client)"],
  ] as const) {
    test(`an unknown AAGUID enrolled from "${name}" is named after the user agent`, () => {
      assert.equal(passkeyFriendlyName("00000000-0000-0000-0000-000000000000", userAgent), name);
    });
  }

  test("a long unreadable user agent is cut short, and control characters are dropped", () => {
    const name = nameFromUserAgent(`\u0000${"z".repeat(200)}`);

    assert.equal(name?.length, 64);
    assert.ok(!name?.includes("\u0000"));
  });

  test("nothing to go on gives Passkey", () => {
    assert.equal(passkeyFriendlyName("00000000-0000-0000-0000-000000000000"), "Passkey");
    assert.equal(passkeyFriendlyName("00000000-0000-0000-0000-000000000000", "   "), "Passkey");
  });
});
