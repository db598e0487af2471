/**
 * The WebAuthn creation options of the PASSKEY_REGISTRATION round.
 */
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { PasskeyConfig } from "../config.ts";
import type { StoredPasskey } from "../store/passkey-credentials.ts";
import { SUPPORTED_ALGORITHM_IDS } from "./supported-algorithms.ts";

export interface RegistrationOptionsInput {
  /** base64url; sent as is. */
  readonly challenge: string;
  /** base64url of the opaque user handle (see passkeyUserHandle). */
  readonly userHandle: string;
  /** Shown by the authenticator to tell accounts apart: the email or phone number. */
  readonly userName: string;
  readonly displayName: string;
  /** The user's passkeys, so an authenticator that already holds one does not enrol again. */
  readonly existing: readonly StoredPasskey[];
}

/**
 * Options for navigator.credentials.create(): a discoverable credential (resident key required,
 * so sign-in needs no username-to-credential lookup), user verification preferred, and no
 * attestation, which passkeys from synced providers do not give anyway.
 */
export async function passkeyRegistrationOptions(config: PasskeyConfig, input: RegistrationOptionsInput): Promise<PublicKeyCredentialCreationOptionsJSON> {
  // Loaded on the first enrolment round only: sign-in rounds never need it.
  const { generateRegistrationOptions } = await import("@simplewebauthn/server");
  return generateRegistrationOptions({
    rpName: config.rpName,
    rpID: config.rpId,
    userName: input.userName,
    userDisplayName: input.displayName,
    userID: base64UrlBytes(input.userHandle),
    // As bytes: a string challenge would be taken as UTF-8 text and encoded once more.
    challenge: base64UrlBytes(input.challenge),
    timeout: config.timeoutMs,
    attestationType: "none",
    excludeCredentials: input.existing.map((passkey) => ({ id: passkey.credentialId, transports: [...passkey.transports] })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    supportedAlgorithmIDs: [...SUPPORTED_ALGORITHM_IDS],
  });
}

/**
 * The user name and display name an authenticator shows for the account (its passkey chooser
 * tells accounts apart by it): the email, else the phone number, else the internal username.
 */
export function accountShownName(userAttributes: Readonly<Record<string, string>>, userName: string): string {
  return userAttributes["email"] || userAttributes["phone_number"] || userName;
}

function base64UrlBytes(value: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(value, "base64url"));
}
