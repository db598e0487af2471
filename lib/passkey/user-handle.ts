/**
 * The WebAuthn user handle: what the authenticator stores as user.id and returns with every
 * assertion. WebAuthn asks for an opaque value without personal data
 * (https://www.w3.org/TR/webauthn-3/#dom-publickeycredentialuserentity-id), so it is the user's
 * Cognito `sub`, never the email or phone number.
 */
import { createHash } from "node:crypto";

/** WebAuthn's bound on user.id. */
const MAX_USER_HANDLE_BYTES = 64;

/**
 * base64url of the user's `sub`; of the user name only if the event carries no `sub` (Cognito's
 * trigger events always do). Stable across sign-ins, so the same user always gets the same handle.
 */
export function passkeyUserHandle(userAttributes: Readonly<Record<string, string>>, userName: string): string {
  const sub = userAttributes["sub"];
  const source = Buffer.from(sub !== undefined && sub !== "" ? sub : userName, "utf8");
  // A user name may exceed WebAuthn's 64 bytes; its digest is as stable and fits.
  const handle = source.length <= MAX_USER_HANDLE_BYTES ? source : createHash("sha256").update(source).digest();
  return handle.toString("base64url");
}
