/**
 * Verifies the PASSKEY answer of SELECT_METHOD: a WebAuthn assertion over this session's challenge,
 * by a passkey that belongs to the signing-in user. Anything the client sent yields a rejection
 * value; only an outage of the store (StoreUnavailableError) is thrown.
 */
import type { VerifiedAuthenticationResponse } from "@simplewebauthn/server";
import type { PasskeyConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { PasskeyCredentialStore, StoredPasskey } from "../store/passkey-credentials.ts";
import { parseAuthenticationAnswer } from "./parse-answer.ts";
import type { AssertionResult, PasskeyRejection } from "./passkey-results.ts";
import { passkeySignInMethod } from "./sign-in-method.ts";

export interface PasskeyDeps {
  readonly config: PasskeyConfig;
  readonly credentials: PasskeyCredentialStore;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

export interface AssertionInput {
  /** The ANSWER: JSON of AuthenticationResponseJSON. */
  readonly answer: unknown;
  /** The challenge of this session's passkeyOptions, kept server-side by Cognito. */
  readonly expectedChallenge: string;
  readonly userName: string;
}

export async function verifyPasskeyAssertion(deps: PasskeyDeps, input: AssertionInput): Promise<AssertionResult> {
  const { config, credentials, logger } = deps;
  const reject = (reason: PasskeyRejection): AssertionResult => ({ ok: false, reason });

  const parsed = parseAuthenticationAnswer(input.answer);
  if (!parsed.ok) return parsed;
  const response = parsed.value;

  const passkey = await credentials.get(response.id);
  if (passkey === undefined) return reject("unknown_credential");
  // A discoverable passkey of another account on the same device must not sign this user in.
  if (passkey.userName !== input.userName) return reject("credential_of_another_user");
  if (response.response.userHandle !== undefined && response.response.userHandle !== passkey.userHandle) {
    return reject("credential_of_another_user");
  }

  const requireUserVerification = config.userVerification === "required";
  // Loaded here, not at the top: only passkey answers pay for the WebAuthn library.
  const { verifyAuthenticationResponse, assertionLacksUserVerification } = await import("./assertion-checks.ts");
  let verification: VerifiedAuthenticationResponse;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: [...config.allowedOrigins],
      expectedRPID: config.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        // The counter is compared below, once the signature is known to be good: a regression is
        // then a real warning sign, and a repeated Verify of the recorded assertion can be told apart.
        counter: 0,
        transports: [...passkey.transports],
      },
      requireUserVerification,
    });
  } catch (error) {
    if (requireUserVerification && assertionLacksUserVerification(response.response.authenticatorData)) {
      return reject("user_verification_missing");
    }
    // The library's message names the failed check (origin, challenge, RP ID…); it carries no key material.
    logger.info("Passkey assertion refused", { reason: "verification_failed", check: describeFailure(error) });
    return reject("verification_failed");
  }
  if (!verification.verified) {
    logger.info("Passkey assertion refused", { reason: "verification_failed", check: "signature does not match the stored public key" });
    return reject("verification_failed");
  }

  const { newCounter } = verification.authenticationInfo;
  const regression = (): AssertionResult => {
    logger.warn("Passkey signature counter went backwards: the authenticator may have been cloned", {
      credentialId: passkey.credentialId,
      storedCounter: passkey.counter,
      receivedCounter: newCounter,
    });
    return reject("counter_regression");
  };
  // WebAuthn: a counting authenticator's counter only grows; 0 on both sides is one that does not
  // count (synced passkeys). https://www.w3.org/TR/webauthn-3/#sctn-sign-counter
  const moved = newCounter > passkey.counter || (newCounter === 0 && passkey.counter === 0);
  // An equal counter may still be Cognito invoking Verify again with the assertion already
  // recorded (same challenge): only the store can tell, and only "replayed" lets it through.
  if (!moved && newCounter !== passkey.counter) return regression();

  const usedAt = deps.clock();
  const outcome = await credentials.recordUse({
    credentialId: passkey.credentialId,
    previousCounter: passkey.counter,
    newCounter,
    usedAt,
    challenge: input.expectedChallenge,
  });
  if (outcome === "conflict" || (!moved && outcome !== "replayed")) return regression();

  const used: StoredPasskey = { ...passkey, counter: Math.max(newCounter, passkey.counter), lastUsedAt: usedAt };
  return { ok: true, credential: used, method: passkeySignInMethod(response, passkey) };
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : "unknown";
}
