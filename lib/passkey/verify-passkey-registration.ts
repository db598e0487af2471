/**
 * Verifies the PASSKEY_REGISTRATION answer: a WebAuthn registration over this round's challenge,
 * then stores the new passkey for the user: its own item (unique credential id), its key's
 * fingerprint on the user's item, and its key in the user's `custom:passkeys` attribute, in that
 * order, so that each step only ever adds to a passkey the earlier ones already made usable; and
 * tells the account's owner a passkey was added (README, "Security": every new passkey announced).
 * Anything the client sent yields a rejection value; only an outage of the store
 * (StoreUnavailableError) is thrown.
 */
import type { VerifiedRegistrationResponse } from "@simplewebauthn/server";
import type { PublicKeyAttributeWriter } from "../cognito/public-key-attribute.ts";
import { maskDestination } from "../mask.ts";
import { noticeRecipient } from "../notify/notice-recipient.ts";
import type { PasskeyNotifier } from "../notify/passkey-notifier.ts";
import type { StoredPasskey } from "../store/passkey-credentials.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { passkeyFriendlyName } from "./friendly-name.ts";
import { parseRegistrationAnswer } from "./parse-answer.ts";
import type { PasskeyRejection, RegistrationResult } from "./passkey-results.ts";
import { PUBLIC_KEY_ATTRIBUTE, publicKeyFingerprint, withCachedPublicKey } from "./public-key-cache.ts";
import { methodOfDeviceType } from "./sign-in-method.ts";
import { SUPPORTED_ALGORITHM_IDS } from "./supported-algorithms.ts";
import type { PasskeyDeps } from "./verify-passkey-assertion.ts";

export interface RegistrationDeps extends PasskeyDeps {
  /** Also where enrolment leaves the new key's fingerprint. */
  readonly signIns: Pick<SignInRecordStore, "savePasskeySignIn" | "addPasskeyKey" | "findPasskeyKey">;
  readonly publicKeyAttribute: PublicKeyAttributeWriter;
  /** Tells the account's owner of each passkey added (README, "Security": every new passkey announced). */
  readonly notices: PasskeyNotifier;
  /** APP_NAME, for the notice. */
  readonly appName: string;
}

export interface RegistrationInput {
  /** The ANSWER: JSON of RegistrationResponseJSON. */
  readonly answer: unknown;
  /** The challenge of this round's options, kept server-side by Cognito. */
  readonly expectedChallenge: string;
  readonly userName: string;
  readonly userPoolId: string;
  /** The event's userAttributes: the keys already cached in `custom:passkeys`. */
  readonly userAttributes: Readonly<Record<string, string>>;
  /** The user handle the options carried (see passkeyUserHandle). */
  readonly userHandle: string;
  /** The browser's user agent, if the app sent it: names the passkey when its AAGUID is not well known. */
  readonly userAgent?: string | undefined;
  /** hashForKey() of the address this session's code proved, if a code was its factor: a notice may go there. */
  readonly provenAddress?: string | undefined;
  /**
   * The name the user gave the passkey (the passkey API's `name`, already checked by the caller),
   * stored with the passkey's own item in its one write; without it the name is the provider's
   * or the browser's.
   */
  readonly friendlyName?: string | undefined;
}

export async function verifyPasskeyRegistration(deps: RegistrationDeps, input: RegistrationInput): Promise<RegistrationResult> {
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
    friendlyName: input.friendlyName ?? passkeyFriendlyName(info.aaguid, input.userAgent),
  };
  // An id this account's item speaks for already is not a new passkey: a tombstone (a revocation
  // is for good, lib/passkey/revoke-passkey.ts) or another key's fingerprint. Asked before any
  // write, so a refusal leaves nothing behind and tells nobody.
  const onRecord = await deps.signIns.findPasskeyKey(input.userName, passkey.credentialId);
  if (onRecord !== undefined && (onRecord.revoked || onRecord.fingerprint !== publicKeyFingerprint(passkey.publicKey))) {
    logger.info("Passkey registration refused", {
      reason: "credential_already_registered",
      check: onRecord.revoked ? "this credential id was revoked" : "another key is on record for this credential id",
      credentialId: passkey.credentialId,
    });
    return reject("credential_already_registered");
  }
  // Keyed by credential id: one conditional write refuses an id that anyone already holds.
  if ((await credentials.create(passkey)) === "exists") {
    logger.info("Passkey registration refused", { reason: "credential_already_registered", credentialId: passkey.credentialId });
    return reject("credential_already_registered");
  }
  // From here the passkey exists. The owner is told now, and once: a repeated Verify of this
  // answer finds the credential taken and stops above. The notice goes out beside the two writes
  // that follow, not before them, so its SES or SNS call adds no time of its own to the answer.
  const [, stored] = await Promise.allSettled([announce(deps, input, passkey), vouchAndCache(deps, input, passkey)]);
  // An outage on the next write fails this sign-in like any store outage, and the passkey still
  // signs in later: without its fingerprint on the user's item, it is read from its own item and
  // adopted then.
  if (stored.status === "rejected") throw stored.reason;
  return { ok: true, credential: passkey };
}

/** Vouches for the new key on the user's item, then caches it in the user's attribute. */
async function vouchAndCache(deps: RegistrationDeps, input: RegistrationInput, passkey: StoredPasskey): Promise<void> {
  await deps.signIns.addPasskeyKey(input.userName, {
    credentialId: passkey.credentialId,
    keyFingerprint: publicKeyFingerprint(passkey.publicKey),
    counter: passkey.counter,
  });
  await cachePublicKey(deps, input, passkey);
}

/**
 * Adds the key to the user's attribute so sign-ins find it in their event. Best effort: a passkey
 * missing from the attribute (full, or this call failed) is read from the table at sign-in instead.
 */
async function cachePublicKey(deps: RegistrationDeps, input: RegistrationInput, passkey: StoredPasskey): Promise<void> {
  const value = withCachedPublicKey(input.userAttributes[PUBLIC_KEY_ATTRIBUTE], passkey.credentialId, {
    publicKey: passkey.publicKey,
    method: methodOfDeviceType(passkey.deviceType),
  });
  if (value === undefined) {
    deps.logger.info("Passkey key not cached in the user's attribute: it is full; sign-ins with it read the table", {
      credentialId: passkey.credentialId,
    });
    return;
  }
  try {
    await deps.publicKeyAttribute.write(input.userPoolId, input.userName, value);
  } catch (error) {
    deps.logger.warn("Passkey key not cached in the user's attribute; sign-ins with it read the table", { credentialId: passkey.credentialId, error });
  }
}

/** Sends the notice of a new passkey. Never throws: the passkey is enrolled whether or not the owner could be told. */
async function announce(deps: RegistrationDeps, input: RegistrationInput, passkey: StoredPasskey): Promise<void> {
  const recipient = noticeRecipient(input.userAttributes, input.provenAddress);
  const fields = { user: input.userName, credentialId: passkey.credentialId };
  if (recipient === undefined) {
    deps.logger.error("Passkey added, but the account has no verified address to tell", fields);
    return;
  }
  const destination = maskDestination(recipient.channel, recipient.to);
  try {
    await deps.notices.notify(recipient, { kind: "added", passkeyName: passkey.friendlyName, at: passkey.createdAt, appName: deps.appName });
    deps.logger.info("Passkey notice sent", { ...fields, channel: recipient.channel, destination });
  } catch (error) {
    deps.logger.error("Passkey notice not sent: the passkey is enrolled all the same", { ...fields, channel: recipient.channel, destination, error });
  }
}
