/**
 * The USERNAME a sign-in without a username starts with: the UTF-8 text of the assertion's user
 * handle (base64url), which the suite sets to the user's Cognito `sub` when a passkey is
 * enrolled, and which InitiateAuth takes as the username in pools that sign in by email or phone
 * (Cognito's username there is the `sub`). Checked here so a handle that names nobody this way
 * never reaches Cognito.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/browser";
import { PasskeyUserHandleError } from "./usernameless-errors.ts";

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Control and format characters, and lone surrogates: no Cognito username holds them. */
const NOT_A_NAME = /[\p{Cc}\p{Cf}\p{Cs}]/u;

export function usernameFromUserHandle(assertion: AuthenticationResponseJSON): string {
  const handle: unknown = assertion.response.userHandle;
  if (handle === undefined || handle === null || handle === "") throw new PasskeyUserHandleError("missing");
  // A base64 text of length 4n+1 has a dangling 6 bits: no byte string encodes to it.
  if (typeof handle !== "string" || !BASE64URL.test(handle) || handle.length % 4 === 1) throw new PasskeyUserHandleError("undecodable");
  const binary = atob(handle.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    // A binary handle (another RP's, or a digest) is not text, so it is no username either.
    throw new PasskeyUserHandleError("undecodable", { cause: error });
  }
  if (text.trim() === "" || NOT_A_NAME.test(text)) throw new PasskeyUserHandleError("undecodable");
  return text;
}
