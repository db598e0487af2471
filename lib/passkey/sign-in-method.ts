/**
 * Which `auth_methods` value a passkey sign-in earns, in Cognito's AMR vocabulary: `swk` for a
 * passkey kept by the device or its platform (software-secured key), `hwk` for a roaming security key.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";

type PasskeyMethod = "swk" | "hwk";

/** What the transports reported at enrolment say: a platform or hybrid passkey, or a security key. */
export function methodOfTransports(transports: readonly string[]): PasskeyMethod {
  return transports.includes("internal") || transports.includes("hybrid") ? "swk" : "hwk";
}

/** The attachment the client reports decides; not every client reports it, and then enrolment's view does. */
export function passkeySignInMethod(response: Pick<AuthenticationResponseJSON, "authenticatorAttachment">, enrolledAs: PasskeyMethod): PasskeyMethod {
  if (response.authenticatorAttachment !== undefined) return response.authenticatorAttachment === "platform" ? "swk" : "hwk";
  return enrolledAs;
}
