/**
 * The signature check of a sign-in assertion, against the credential public key stored at
 * enrolment. It stands in for @simplewebauthn/server's helpers/verifySignature.js where
 * verifyAuthenticationResponse imports it, inside the function bundles only (scripts/lib/webauthn-replacements.mjs).
 *
 * Why: the library's verifySignature also accepts an X.509 certificate instead of a COSE key,
 * which only attestation statements (registration) use, and that branch imports the whole ASN.1
 * and X.509 toolkit. An assertion never carries a certificate, so this version takes the COSE key
 * alone and hands it to the library's own isoCrypto.verify: the same checks on the same inputs.
 * Registration keeps the library's verifySignature, certificates included.
 */
import { decodeCredentialPublicKey, isoCrypto } from "@simplewebauthn/server/helpers";

type VerifyOptions = Parameters<typeof isoCrypto.verify>[0];

export interface SignatureToVerify {
  readonly signature: VerifyOptions["signature"];
  readonly data: VerifyOptions["data"];
  /** COSE_Key bytes, as stored at enrolment. */
  readonly credentialPublicKey?: VerifyOptions["signature"];
  /** Attestation only: refused here, see above. */
  readonly x509Certificate?: unknown;
  readonly hashAlgorithm?: VerifyOptions["shaHashOverride"];
}

/** Same name and contract as the library's, for a credential public key only. */
export function verifySignature(options: SignatureToVerify): Promise<boolean> {
  if (options.x509Certificate !== undefined) {
    throw new Error("verifySignature (assertions): a certificate was given; only the credential public key is supported on the sign-in path");
  }
  if (options.credentialPublicKey === undefined) throw new Error("verifySignature (assertions): no credential public key was given");
  return isoCrypto.verify({
    cosePublicKey: decodeCredentialPublicKey(options.credentialPublicKey),
    signature: options.signature,
    data: options.data,
    ...(options.hashAlgorithm === undefined ? {} : { shaHashOverride: options.hashAlgorithm }),
  });
}
