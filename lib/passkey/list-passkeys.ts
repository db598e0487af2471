/**
 * The caller's passkeys (`GET /passkeys`): the credential items through gsi1 and the user's item,
 * read at the same time. The user's item is not in the index on purpose: putting it there would
 * double the write cost of every sign-in, which writes it, to save one read of a rare listing.
 */
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import type { PasskeyCredentialStore } from "../store/passkey-credentials.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { listedPasskeys } from "./passkey-summary.ts";

export interface ListPasskeysDeps {
  readonly credentials: Pick<PasskeyCredentialStore, "listForUser">;
  readonly signIns: Pick<SignInRecordStore, "passkeyStates">;
}

/** One Query and one GetItem, in parallel. Store outages are thrown (StoreUnavailableError). */
export async function listPasskeys(deps: ListPasskeysDeps, userName: string): Promise<PasskeySummary[]> {
  const [passkeys, states] = await Promise.all([deps.credentials.listForUser(userName), deps.signIns.passkeyStates(userName)]);
  return listedPasskeys(passkeys, states);
}
