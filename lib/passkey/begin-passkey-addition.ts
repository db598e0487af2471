/**
 * The first half of adding a passkey while signed in (`POST /passkeys/registration-options`): the
 * creation options, as enrolment in a sign-in builds them (lib/passkey/passkey-rounds.ts: the same
 * user handle, the same shown name, the user's passkeys excluded), over a fresh challenge kept in
 * the table for this user, single use, until the options' timeout (lib/store/passkey-challenges.ts).
 */
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { StoredPasskey } from "../store/passkey-credentials.ts";
import { type IssuePasskeyChallengeDeps, issuePasskeyChallenge } from "./issue-passkey-challenge.ts";
import { accountShownName, passkeyRegistrationOptions } from "./registration-options.ts";
import { passkeyUserHandle } from "./user-handle.ts";

export type BeginPasskeyAdditionDeps = IssuePasskeyChallengeDeps;

export interface BeginPasskeyAdditionInput {
  readonly userName: string;
  /** The user's attributes as Cognito holds them: `sub` (the user handle), email or phone (the shown name). */
  readonly userAttributes: Readonly<Record<string, string>>;
  /** The user's passkeys now: excluded from the options, and counted against the limit. */
  readonly existing: readonly StoredPasskey[];
}

export type BeginPasskeyAdditionResult =
  | { readonly ok: true; readonly challengeId: string; readonly options: PublicKeyCredentialCreationOptionsJSON }
  | { readonly ok: false; readonly reason: "passkey_limit_reached" };

export async function beginPasskeyAddition(deps: BeginPasskeyAdditionDeps, input: BeginPasskeyAdditionInput): Promise<BeginPasskeyAdditionResult> {
  // Refused here already, not only when the passkey comes back: the browser's ceremony would be wasted.
  if (input.existing.length >= deps.config.maxPerUser) return { ok: false, reason: "passkey_limit_reached" };
  const { challengeId, challenge } = await issuePasskeyChallenge(deps, "registration", input.userName);
  const shownName = accountShownName(input.userAttributes, input.userName);
  const options = await passkeyRegistrationOptions(deps.config, {
    challenge,
    userHandle: passkeyUserHandle(input.userAttributes, input.userName),
    userName: shownName,
    displayName: shownName,
    existing: input.existing,
  });
  return { ok: true, challengeId, options };
}
