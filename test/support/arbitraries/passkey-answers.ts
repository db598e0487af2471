/**
 * Passkey assertions signed by a real (soft) authenticator, each changed in one way a verifier
 * must catch: another session's challenge, another origin or relying party, a corrupt signature
 * or authenticator data, the wrong ceremony, no user verification, someone else's user handle.
 * Changes a verifier may rightly ignore (no user handle, another attachment) are left out: these
 * answers must all be refused.
 */
import fc from "fast-check";
import { FLAG, type Tampering } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { randomBase64Url } from "./round-metadata.ts";

export function refusedTampering(): fc.Arbitrary<Tampering> {
  return fc.oneof(
    randomBase64Url(32).map((challenge): Tampering => ({ challenge })),
    fc.constantFrom<Tampering>(
      { origin: "https://evil.example" },
      { origin: "https://example.com.evil.example" },
      { origin: "http://example.com" },
      { rpId: "evil.example" },
      { rpId: "sub.example.com" },
      { corruptSignature: true },
      { corruptAuthenticatorData: true },
      { type: "webauthn.create" },
      { type: "" },
      { flags: FLAG.UP },
      { flags: FLAG.UV },
      { flags: 0 },
      { userHandle: Buffer.from("someone-else").toString("base64url") },
    ),
  );
}
