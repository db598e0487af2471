/**
 * What verifying a passkey enrolment needs from the WebAuthn library, loaded by
 * verify-passkey-registration.ts only when a registration answer arrives.
 */
export { verifyRegistrationResponse } from "@simplewebauthn/server";
export { attestationLacksUserVerification } from "./user-verification-flag.ts";
