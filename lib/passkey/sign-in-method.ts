/**
 * Which `auth_methods` value a passkey earns, in Cognito's AMR vocabulary (RFC 8176): `hwk` for a
 * hardware-secured key, `swk` for a software-secured one. It is read from the backup-eligibility
 * flag (BE) of the authenticator data, which the credential's own key signs, never from what the
 * client reports (`authenticatorAttachment`, transports), which nothing proves:
 * - BE clear: a device-bound credential, whose key cannot leave the authenticator (a security key,
 *   a device-bound platform key): `hwk`;
 * - BE set: a passkey its provider may back up and sync to other devices: `swk`.
 * With attestation `none` this proves what the credential's authenticator declared when it
 * signed, not which make of authenticator it is (README, "Security").
 */
import type { CredentialDeviceType } from "@simplewebauthn/server";

export type PasskeyMethod = "swk" | "hwk";

/** The method a credential's device type (SimpleWebAuthn's reading of the BE flag) earns. */
export function methodOfDeviceType(deviceType: CredentialDeviceType): PasskeyMethod {
  return deviceType === "multiDevice" ? "swk" : "hwk";
}
