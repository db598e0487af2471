/**
 * A stored passkey as the store keeps it, for store tests. Override what a test is about.
 */
import type { StoredPasskey } from "../../lib/store/passkey-credentials.ts";

export const PASSKEY_CREATED_AT = Date.UTC(2025, 0, 1, 10, 0, 0);

export function storedPasskey(overrides: Partial<StoredPasskey> = {}): StoredPasskey {
  return {
    credentialId: "cred-1",
    userName: "user-1",
    userHandle: "aGFuZGxl",
    publicKey: "pQECAyYgASFYIA",
    counter: 0,
    transports: ["internal", "hybrid"],
    aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
    backedUp: true,
    deviceType: "multiDevice",
    createdAt: PASSKEY_CREATED_AT,
    friendlyName: "iCloud Keychain",
    ...overrides,
  };
}
