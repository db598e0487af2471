/**
 * Verifies the PASSKEY_REGISTRATION answer: a WebAuthn registration over this round's challenge,
 * then stores the new passkey for the user. Anything the client sent yields a rejection value;
 * only an outage of the store (StoreUnavailableError) is thrown.
 */
import type { VerifiedRegistrationResponse } from "@simplewebauthn/server";
import type { StoredPasskey } from "../store/passkey-credentials.ts";
import { passkeyFriendlyName } from "./friendly-name.ts";
import { parseRegistrationAnswer } from "./parse-answer.ts";
import type { PasskeyRejection, RegistrationResult } from "./passkey-results.ts";
import { SUPPORTED_ALGORITHM_IDS } from "./supported-algorithms.ts";
import type { PasskeyDeps } from "./verify-passkey-assertion.ts";

export interface RegistrationInput {
  /** The ANSWER: JSON of RegistrationResponseJSON. */
  readonly answer: unknown;
  /** The challenge of this round's options, kept server-side by Cognito. */
  readonly expectedChallenge: string;
  readonly userName: string;
  /** The user handle the options carried (see passkeyUserHandle). */
  readonly userHandle: string;
  /** The browser's user agent, if the app sent it: names the passkey when its AAGUID is not well known. */
  readonly userAgent?: string | undefined;
}

export async function verifyPasskeyRegistration(deps: PasskeyDeps, input: RegistrationInput): Promise<RegistrationResult> {
  const { config, credentials, logger } = deps;
  const reject = (reason: PasskeyRejection): RegistrationResult => ({ ok: false, reason });

  const parsed = parseRegistrationAnswer(input.answer);
  if (!parsed.ok) return parsed;
  const response = parsed.value;

  const existing = await credentials.listForUser(input.userName);
  if (existing.length >= config.maxPerUser) return reject("passkey_limit_reached");

  const requireUserVerification = config.userVerification === "required";
  // Loaded here, not at the top: only enrolment answers pay for the attestation code.
  const { verifyRegistrationResponse, attestationLacksUserVerification } = await import("./registration-checks.ts");
  let verification: VerifiedRegistrationResponse;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: [...config.allowedOrigins],
      expectedRPID: config.rpId,
      requireUserVerification,
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHM_IDS],
    });
  } catch (error) {
    if (requireUserVerification && attestationLacksUserVerification(response.response.attestationObject)) {
      return reject("user_verification_missing");
    }
    logger.info("Passkey registration refused", {
      reason: "verification_failed",
      check: error instanceof Error ? error.message.slice(0, 300) : "unknown",
    });
    return reject("verification_failed");
  }
  if (!verification.verified) {
    logger.info("Passkey registration refused", { reason: "verification_failed", check: "attestation not verified" });
    return reject("verification_failed");
  }

  const info = verification.registrationInfo;
  const passkey: StoredPasskey = {
    credentialId: info.credential.id,
    userName: input.userName,
    userHandle: input.userHandle,
    publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
    counter: info.credential.counter,
    transports: response.response.transports ?? [],
    aaguid: info.aaguid,
    backedUp: info.credentialBackedUp,
    deviceType: info.credentialDeviceType,
    createdAt: deps.clock(),
    friendlyName: passkeyFriendlyName(info.aaguid, input.userAgent),
  };
  // Keyed by credential id: one conditional write refuses an id that anyone already holds.
  if ((await credentials.create(passkey)) === "exists") {
    logger.info("Passkey registration refused", { reason: "credential_already_registered", credentialId: passkey.credentialId });
    return reject("credential_already_registered");
  }
  return { ok: true, credential: passkey };
}
