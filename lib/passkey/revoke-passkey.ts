/**
 * Revokes one of a user's passkeys, so that the very next assertion by it is refused, whatever
 * order the writes land in and wherever the revocation stops (an operator's command,
 * scripts/passkeys.ts, may be cut off between any two of its calls). Pure orchestration over the
 * stores, the attribute writer and the notifier given to it.
 *
 * Both sign-in paths, a key cached in `custom:passkeys` and a key read from the credential's own
 * item (adoption), end in the one conditional write on the user's item
 * (lib/store/sign-in-records.ts). So the FIRST write is the one that revokes:
 * 1. the user's item: `passkey#<id>` becomes the tombstone `{ revokedAt }`. The known-key
 *    condition (`#p.fingerprint = :fingerprint`) fails on it, and so does the adoption condition
 *    (`attribute_not_exists(#p) OR …`): neither the cached key nor the credential's item signs in;
 * 2. the credential's item `PASSKEY#<id>` is deleted (conditional on it being this user's): it
 *    leaves the user's list (excludeCredentials, the per-user limit);
 * 3. the user's `custom:passkeys` is rewritten without the key (one AdminUpdateUserAttributes;
 *    best effort: the tombstone already refuses the key, the cache only costs room);
 * 4. the owner is told (lib/notify/passkey-notice.ts, "removed"): never fails the revocation.
 * A revocation stopped after any step leaves the key refused; running it again finishes the rest.
 */
import type { PublicKeyAttributeWriter } from "../cognito/public-key-attribute.ts";
import type { Logger } from "../logger.ts";
import { maskDestination } from "../mask.ts";
import { noticeRecipient } from "../notify/notice-recipient.ts";
import type { PasskeyNotifier } from "../notify/passkey-notifier.ts";
import type { PasskeyCredentialRemoval, PasskeyCredentialStore } from "../store/passkey-credentials.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { PUBLIC_KEY_ATTRIBUTE, withoutCachedPublicKey } from "./public-key-cache.ts";

export interface RevokePasskeyDeps {
  readonly credentials: Pick<PasskeyCredentialStore, "get"> & PasskeyCredentialRemoval;
  readonly signIns: Pick<SignInRecordStore, "revokePasskeyKey">;
  readonly publicKeyAttribute: PublicKeyAttributeWriter;
  readonly notices: PasskeyNotifier;
  /** APP_NAME, for the notice. */
  readonly appName: string;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

export interface RevokePasskeyInput {
  readonly userPoolId: string;
  /** The internal username (Cognito's `Username`), whose items the table keys. */
  readonly userName: string;
  readonly credentialId: string;
  /** The user's attributes as Cognito holds them now: `custom:passkeys`, and where a notice may go. */
  readonly userAttributes: Readonly<Record<string, string>>;
}

/**
 * "revoked": the passkey signs in no more (now, or already by an earlier revocation, which this
 * one finished if it had stopped half-way). "not_found": no passkey of this user has this id (none
 * at all, or another user's): nothing was changed.
 */
export type RevokePasskeyResult = "revoked" | "not_found";

/** Store outages (StoreUnavailableError) are thrown; whatever was written by then already refuses the key. */
export async function revokePasskey(deps: RevokePasskeyDeps, input: RevokePasskeyInput): Promise<RevokePasskeyResult> {
  const { userName, credentialId } = input;
  const fields = { user: userName, credentialId };
  // A read first, so another user's id is refused before anything is written. When the item is
  // this user's, the tombstone is written even if the user's item never vouched for the key:
  // enrolment's fingerprint write may have failed, and a sign-in would then adopt the key.
  const passkey = await deps.credentials.get(credentialId);
  if (passkey !== undefined && passkey.userName !== userName) {
    deps.logger.info("Passkey not revoked: the credential is another user's", fields);
    return "not_found";
  }

  // 1. The write that revokes.
  const now = deps.clock();
  const tombstone = await deps.signIns.revokePasskeyKey(userName, credentialId, now, { ownedByUser: passkey !== undefined });
  if (tombstone === "not_found") {
    deps.logger.info("Passkey not revoked: the user has no passkey with this id", fields);
    return "not_found";
  }

  // 2. The credential's own item.
  const deleted = passkey === undefined ? "not_found" : await deps.credentials.deleteForUser(userName, credentialId);

  // 3. The cached key.
  const rewritten = await removeCachedKey(deps, input);

  deps.logger.info("Passkey revoked", { ...fields, tombstone, credentialItem: deleted, cachedKeyRemoved: rewritten });
  // 4. The notice goes with the run that changed something: a second revocation of a passkey
  // already fully revoked tells nobody again, one that finishes a half-done revocation does.
  if (tombstone === "revoked" || deleted === "deleted" || rewritten) await announce(deps, input, passkey?.friendlyName ?? "", now);
  return "revoked";
}

/** True when the attribute was rewritten. Never throws: the tombstone already refuses the key. */
async function removeCachedKey(deps: RevokePasskeyDeps, input: RevokePasskeyInput): Promise<boolean> {
  const value = withoutCachedPublicKey(input.userAttributes[PUBLIC_KEY_ATTRIBUTE], input.credentialId);
  if (value === undefined) return false;
  try {
    await deps.publicKeyAttribute.write(input.userPoolId, input.userName, value);
    return true;
  } catch (error) {
    deps.logger.warn("Revoked passkey's key left in the user's attribute: it signs in no more all the same", {
      user: input.userName,
      credentialId: input.credentialId,
      error,
    });
    return false;
  }
}

/** Sends the notice of a removed passkey. Never throws: the passkey is revoked whether or not the owner could be told. */
async function announce(deps: RevokePasskeyDeps, input: RevokePasskeyInput, passkeyName: string, at: number): Promise<void> {
  const recipient = noticeRecipient(input.userAttributes);
  const fields = { user: input.userName, credentialId: input.credentialId };
  if (recipient === undefined) {
    deps.logger.error("Passkey removed, but the account has no verified address to tell", fields);
    return;
  }
  const destination = maskDestination(recipient.channel, recipient.to);
  try {
    await deps.notices.notify(recipient, { kind: "removed", passkeyName, at, appName: deps.appName });
    deps.logger.info("Passkey notice sent", { ...fields, channel: recipient.channel, destination });
  } catch (error) {
    deps.logger.error("Passkey notice not sent: the passkey is revoked all the same", { ...fields, channel: recipient.channel, destination, error });
  }
}
