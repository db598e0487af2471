/**
 * Which `auth_methods` value a passkey sign-in earns, in Cognito's AMR vocabulary: `swk` for a
 * passkey kept by the device or its platform (software-secured key), `hwk` for a roaming security key.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { StoredPasskey } from "../store/passkey-credentials.ts";

export function passkeySignInMethod(response: AuthenticationResponseJSON, passkey: StoredPasskey): "swk" | "hwk" {
  if (response.authenticatorAttachment !== undefined) return response.authenticatorAttachment === "platform" ? "swk" : "hwk";
  // Not every client reports the attachment; the transports seen at enrolment tell the same story.
  return passkey.transports.includes("internal") || passkey.transports.includes("hybrid") ? "swk" : "hwk";
}
