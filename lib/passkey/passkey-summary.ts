/**
 * How a stored passkey is shown to its owner (PasskeySummary of the passkey API), and which of the
 * user's passkeys are listed at all. Pure: the credential items and the user's item are read by
 * the caller (lib/passkey/list-passkeys.ts).
 */
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import type { StoredPasskey } from "../store/passkey-credentials.ts";
import type { PasskeyKeyState } from "../store/sign-in-records.ts";
import { KNOWN_AUTHENTICATORS } from "./known-authenticators.ts";

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * Last use: what the user's item recorded (where every sign-in writes it), or, for a passkey
 * whose last use was recorded on its own item before uses moved there, that; the later of both.
 */
function lastUsedAt(passkey: StoredPasskey, state: PasskeyKeyState | undefined): number | undefined {
  const uses = [state?.usedAt, passkey.lastUsedAt].filter((at): at is number => at !== undefined);
  return uses.length === 0 ? undefined : Math.max(...uses);
}

export function passkeySummary(passkey: StoredPasskey, state: PasskeyKeyState | undefined): PasskeySummary {
  const used = lastUsedAt(passkey, state);
  const authenticator = KNOWN_AUTHENTICATORS[passkey.aaguid.toLowerCase()];
  return {
    id: passkey.credentialId,
    name: passkey.friendlyName,
    createdAt: iso(passkey.createdAt),
    ...(used === undefined ? {} : { lastUsedAt: iso(used) }),
    // The contract's backedUp says "synced by its provider": the signed backup-eligibility flag
    // (multiDevice), which a synced passkey has from its enrolment on, even before its first backup.
    backedUp: passkey.deviceType === "multiDevice",
    transports: [...passkey.transports],
    ...(authenticator === undefined ? {} : { authenticator }),
  };
}

/**
 * The passkeys a user sees, newest first. A revoked one (the user's item holds its tombstone) is
 * never listed, even while its credential item still exists: a revocation that stopped before
 * deleting it (lib/passkey/revoke-passkey.ts), or the index not yet showing the deletion.
 */
export function listedPasskeys(passkeys: readonly StoredPasskey[], states: ReadonlyMap<string, PasskeyKeyState>): PasskeySummary[] {
  return passkeys
    .filter((passkey) => states.get(passkey.credentialId)?.revoked !== true)
    .sort((a, b) => b.createdAt - a.createdAt || (a.credentialId < b.credentialId ? -1 : 1))
    .map((passkey) => passkeySummary(passkey, states.get(passkey.credentialId)));
}
