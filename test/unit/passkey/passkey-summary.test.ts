/**
 * How a user's passkeys are shown to them (the passkey API's PasskeySummary), and which are listed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listedPasskeys, passkeySummary } from "../../../lib/passkey/passkey-summary.ts";
import type { PasskeyKeyState } from "../../../lib/store/sign-in-records.ts";
import { PASSKEY_CREATED_AT, storedPasskey } from "../../support/stored-passkey.ts";

const HOUR = 3_600_000;

describe("a passkey's summary", () => {
  it("has its id, name, creation time, sync state, transports and the authenticator's name when its AAGUID is well known", () => {
    assert.deepEqual(passkeySummary(storedPasskey(), undefined), {
      id: "cred-1",
      name: "iCloud Keychain",
      createdAt: new Date(PASSKEY_CREATED_AT).toISOString(),
      backedUp: true,
      transports: ["internal", "hybrid"],
      authenticator: "iCloud Keychain",
    });
  });

  it("a device-bound key of an unknown authenticator is not backed up and names no authenticator", () => {
    const summary = passkeySummary(
      storedPasskey({ aaguid: "00000000-0000-0000-0000-000000000000", deviceType: "singleDevice", backedUp: false, friendlyName: "YubiKey" }),
      undefined,
    );
    assert.equal(summary.backedUp, false);
    assert.equal("authenticator" in summary, false);
    assert.equal(summary.name, "YubiKey");
  });

  it("last use is the user's item's, or the credential item's own from before uses moved there, whichever is later", () => {
    const used = (state: PasskeyKeyState | undefined, own?: number) => passkeySummary(storedPasskey({ lastUsedAt: own }), state).lastUsedAt;
    assert.equal(used(undefined), undefined, "never used");
    assert.equal(used({ revoked: false, usedAt: PASSKEY_CREATED_AT + HOUR }), new Date(PASSKEY_CREATED_AT + HOUR).toISOString());
    assert.equal(used(undefined, PASSKEY_CREATED_AT + 2 * HOUR), new Date(PASSKEY_CREATED_AT + 2 * HOUR).toISOString());
    assert.equal(
      used({ revoked: false, usedAt: PASSKEY_CREATED_AT + 3 * HOUR }, PASSKEY_CREATED_AT + HOUR),
      new Date(PASSKEY_CREATED_AT + 3 * HOUR).toISOString(),
    );
  });
});

describe("the passkeys listed", () => {
  it("are newest first, and never a revoked one", () => {
    const old = storedPasskey({ credentialId: "old", createdAt: PASSKEY_CREATED_AT });
    const recent = storedPasskey({ credentialId: "recent", createdAt: PASSKEY_CREATED_AT + HOUR });
    const revoked = storedPasskey({ credentialId: "revoked", createdAt: PASSKEY_CREATED_AT + 2 * HOUR });
    const states = new Map<string, PasskeyKeyState>([
      ["revoked", { revoked: true }],
      ["old", { revoked: false, usedAt: PASSKEY_CREATED_AT + 5 * HOUR }],
    ]);
    const listed = listedPasskeys([old, revoked, recent], states);
    assert.deepEqual(
      listed.map((passkey) => passkey.id),
      ["recent", "old"],
    );
    assert.equal(listed[1]?.lastUsedAt, new Date(PASSKEY_CREATED_AT + 5 * HOUR).toISOString());
  });
});
