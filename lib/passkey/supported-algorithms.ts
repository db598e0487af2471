/**
 * The public-key algorithms passkeys may use, offered at enrolment and accepted when verifying it.
 * Pinned rather than left to the library's default, which adds ML-DSA where the runtime supports
 * it: options must not change with the Node version a function happens to run on.
 * COSE identifiers: https://www.iana.org/assignments/cose/cose.xhtml#algorithms
 */
export const SUPPORTED_ALGORITHM_IDS: readonly number[] = [
  -8, // EdDSA
  -7, // ES256: what platform authenticators and most security keys use
  -257, // RS256: Windows Hello on older builds
];
