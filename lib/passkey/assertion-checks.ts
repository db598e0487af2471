/**
 * What verifying a sign-in assertion needs from the WebAuthn library, in one module that
 * verify-passkey-assertion.ts imports only when a passkey answer arrives: code sign-ins never load
 * it, and a passkey sign-in loads only this path of the library (see scripts/build.mjs).
 */
export { verifyAuthenticationResponse } from "@simplewebauthn/server";
export { assertionLacksUserVerification } from "./user-verification-flag.ts";
