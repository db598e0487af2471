/**
 * What verifying a sign-in assertion needs from the WebAuthn library, in one module that
 * verify-passkey-assertion.ts imports only when a passkey answer arrives: code sign-ins never load
 * it, and a passkey sign-in loads only this path of the library (see scripts/build.mjs). In the
 * bundles that path reads EC2 signatures with ec2-signature.ts and checks them with
 * assertion-signature.ts, so it loads none of the library's ASN.1 and X.509 dependencies.
 */
export { verifyAuthenticationResponse } from "@simplewebauthn/server";
export { assertionLacksUserVerification } from "./user-verification-flag.ts";
