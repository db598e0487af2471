/**
 * Step 1 of a sign-in without a username (`POST /passkeys/challenge`, docs/protocol.md): request
 * options over a fresh challenge, kept in the table issued to nobody, single use, until the
 * options' timeout. Nobody is named, so the answer is the same for every caller: the options are
 * the SELECT_METHOD round's (empty allowCredentials, this deployment's RP id, timeout and user
 * verification) and the only things that differ between two answers are random.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { passkeyAuthenticationOptions } from "./authentication-options.ts";
import { type IssuePasskeyChallengeDeps, issuePasskeyChallenge } from "./issue-passkey-challenge.ts";

export interface PasskeySignInStart {
  /** What the app sends back as ClientMetadata.passkeyChallenge; random, and not the challenge itself. */
  readonly challengeId: string;
  readonly options: PublicKeyCredentialRequestOptionsJSON;
}

export async function beginPasskeySignIn(deps: IssuePasskeyChallengeDeps): Promise<PasskeySignInStart> {
  // Issued to nobody: the user is named later, by the assertion's user handle.
  const { challengeId, challenge } = await issuePasskeyChallenge(deps, "authentication");
  return { challengeId, options: passkeyAuthenticationOptions(deps.config, challenge) };
}
