/**
 * Reads the UV (user verified) flag of authenticator data, to name a rejection precisely: the
 * library refuses a missing UV with an exception like any other, and its message is not an API.
 */
import { decodeAttestationObject, parseAuthenticatorData } from "@simplewebauthn/server/helpers";

function userVerified(authenticatorData: Uint8Array<ArrayBuffer>): boolean | undefined {
  try {
    return parseAuthenticatorData(authenticatorData).flags.uv;
  } catch {
    return undefined;
  }
}

/** true only when the assertion's authenticator data is readable and says the user was not verified. */
export function assertionLacksUserVerification(authenticatorData: string): boolean {
  return userVerified(new Uint8Array(Buffer.from(authenticatorData, "base64url"))) === false;
}

/** true only when the attestation's authenticator data is readable and says the user was not verified. */
export function attestationLacksUserVerification(attestationObject: string): boolean {
  try {
    const authData = decodeAttestationObject(new Uint8Array(Buffer.from(attestationObject, "base64url"))).get("authData");
    return authData instanceof Uint8Array && userVerified(new Uint8Array(authData)) === false;
  } catch {
    return false;
  }
}
