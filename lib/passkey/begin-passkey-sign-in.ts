/**
 * Step 1 of a sign-in without a username (`POST /passkeys/challenge`, docs/protocol.md): request
 * options over a fresh challenge, kept in the table issued to nobody, single use, until the
 * options' timeout. Nobody is named, so the answer is the same for every caller: the options are
 * the SELECT_METHOD round's (empty allowCredentials, this deployment's RP id, timeout and user
 * verification) and the only things that differ between two answers are random.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { PasskeyConfig } from "../config.ts";
import { randomId } from "../flow/random-id.ts";
import type { PasskeyChallengeStore } from "../store/passkey-challenges.ts";
import { passkeyAuthenticationOptions } from "./authentication-options.ts";
import { newPasskeyChallenge } from "./passkey-rounds.ts";

export interface BeginPasskeySignInDeps {
  readonly config: PasskeyConfig;
  readonly challenges: Pick<PasskeyChallengeStore, "issue">;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

export interface PasskeySignInStart {
  /** What the app sends back as ClientMetadata.passkeyChallenge; random, and not the challenge itself. */
  readonly challengeId: string;
  readonly options: PublicKeyCredentialRequestOptionsJSON;
}

export async function beginPasskeySignIn(deps: BeginPasskeySignInDeps): Promise<PasskeySignInStart> {
  const challenge = newPasskeyChallenge();
  const challengeId = randomId();
  // Valid as long as the browser is told to wait for the authenticator (the options' timeout).
  await deps.challenges.issue({ challengeId, challenge, purpose: "authentication", rpId: deps.config.rpId, expiresAt: deps.clock() + deps.config.timeoutMs });
  return { challengeId, options: passkeyAuthenticationOptions(deps.config, challenge) };
}
