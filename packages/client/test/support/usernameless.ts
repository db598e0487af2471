/**
 * What a sign-in without a username needs in the unit tests: the challenge route's answer, an
 * assertion whose user handle is a given username, and a wait for the client's next step.
 */
import { setImmediate } from "node:timers/promises";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { assertion } from "./fake-webauthn.ts";
import { json } from "./fake-passkey-api.ts";

export const CHALLENGE_ID = "3b8e7a0c-challenge-id";

/** What POST /passkeys/challenge answers: options with no allowCredentials, as the protocol says. */
export const challengeOptions: PublicKeyCredentialRequestOptionsJSON = {
  challenge: "dXNlcm5hbWVsZXNzLWNoYWxsZW5nZQ",
  rpId: "example.com",
  timeout: 60_000,
  userVerification: "preferred",
  allowCredentials: [],
};

export const challengeReply = (options: PublicKeyCredentialRequestOptionsJSON = challengeOptions, challengeId = CHALLENGE_ID) =>
  json(200, { challengeId, options });

/** An assertion whose user handle is base64url of `handle` (text, or raw bytes). */
export function assertionWithHandle(handle: string | Uint8Array | undefined): AuthenticationResponseJSON {
  const userHandle = handle === undefined ? undefined : Buffer.from(handle).toString("base64url");
  const { userHandle: _, ...response } = assertion.response;
  return { ...assertion, response: userHandle === undefined ? response : { ...response, userHandle } };
}

/** Lets the client's pending promises run until `ready` holds (or fails after a bounded number of turns). */
export async function until(ready: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 200; turn++) {
    if (ready()) return;
    await setImmediate();
  }
  throw new Error(`Never happened: ${what}`);
}
