/**
 * The WebAuthn request options of the SELECT_METHOD round.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { PasskeyConfig } from "../config.ts";

/**
 * Options for navigator.credentials.get(). allowCredentials stays empty: the browser offers the
 * user's discoverable passkeys itself, and the round is identical for every user, so it reveals
 * neither whether the user exists nor whether they have a passkey. Built by hand rather than with
 * generateAuthenticationOptions, which is async and would only copy these fields.
 */
export function passkeyAuthenticationOptions(config: PasskeyConfig, challenge: string): PublicKeyCredentialRequestOptionsJSON {
  return {
    challenge,
    rpId: config.rpId,
    timeout: config.timeoutMs,
    userVerification: config.userVerification,
    allowCredentials: [],
  };
}
