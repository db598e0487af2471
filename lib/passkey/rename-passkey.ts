/**
 * Renames one of the caller's passkeys (`PATCH /passkeys/{id}`): one conditional write on the
 * credential's item (it must be this user's; an unknown id or another user's changes nothing),
 * with the user's item read beside it for the summary's last use and the revocation state.
 */
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import type { PasskeyCredentialRenaming } from "../store/passkey-credentials.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { passkeySummary } from "./passkey-summary.ts";

export interface RenamePasskeyDeps {
  readonly credentials: PasskeyCredentialRenaming;
  readonly signIns: Pick<SignInRecordStore, "passkeyStates">;
}

export interface RenamePasskeyInput {
  readonly userName: string;
  readonly credentialId: string;
  /** Checked already (lib/api/passkey-name.ts). */
  readonly name: string;
}

/**
 * The renamed passkey, or undefined when the user has no passkey of this id. A revoked passkey
 * whose item a stopped revocation left behind is answered as none (it is listed as none), though
 * the write may have renamed that item: it signs in no more and goes when the revocation finishes.
 */
export async function renamePasskey(deps: RenamePasskeyDeps, input: RenamePasskeyInput): Promise<PasskeySummary | undefined> {
  const [renamed, states] = await Promise.all([
    deps.credentials.renameForUser(input.userName, input.credentialId, input.name),
    deps.signIns.passkeyStates(input.userName),
  ]);
  const state = states.get(input.credentialId);
  if (renamed === undefined || state?.revoked === true) return undefined;
  return passkeySummary(renamed, state);
}
