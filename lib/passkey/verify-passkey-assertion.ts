/**
 * Verifies the PASSKEY answer of SELECT_METHOD: a WebAuthn assertion over this session's challenge,
 * by a passkey that belongs to the signing-in user, and records it with the sign-in it completes.
 * Anything the client sent yields a rejection value; only an outage of the store
 * (StoreUnavailableError) is thrown.
 *
 * The public key comes from the user's `custom:passkeys` attribute in the event when it is cached
 * there (no read), else from the passkey's item in the table. Either way the one write that
 * records the use holds only if the table vouches for that key (lib/passkey/public-key-cache.ts).
 */
import type { VerifiedAuthenticationResponse } from "@simplewebauthn/server";
import type { PasskeyConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { AUTH_LEVEL } from "@cognito-passwordless/protocol";
import type { PasskeyCredentialStore } from "../store/passkey-credentials.ts";
import type { PasskeyUse, SignInRecordStore } from "../store/sign-in-records.ts";
import { parseAuthenticationAnswer } from "./parse-answer.ts";
import type { AssertionResult, PasskeyRejection } from "./passkey-results.ts";
import { PUBLIC_KEY_ATTRIBUTE, findCachedPublicKey, publicKeyFingerprint } from "./public-key-cache.ts";
import { methodOfDeviceType } from "./sign-in-method.ts";
import { passkeyUserHandle } from "./user-handle.ts";

export interface PasskeyDeps {
  readonly config: PasskeyConfig;
  readonly credentials: PasskeyCredentialStore;
  /** Where uses are recorded with the sign-in they complete. */
  readonly signIns: Pick<SignInRecordStore, "savePasskeySignIn">;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

export interface AssertionInput {
  /** The ANSWER: JSON of AuthenticationResponseJSON. */
  readonly answer: unknown;
  /**
   * The challenge the assertion must be signed over: this session's passkeyOptions' (kept
   * server-side by Cognito), or, in a sign-in without a username, the one `POST /passkeys/challenge`
   * stored and this round took (lib/passkey/take-sign-in-challenge.ts).
   */
  readonly expectedChallenge: string;
  /**
   * A sign-in without a username: the user was named by the assertion's user handle, so an
   * assertion without one names nobody and is refused (WebAuthn lets an authenticator omit it
   * only when allowCredentials was not empty, which it always is here).
   */
  readonly requireUserHandle?: boolean;
  /**
   * The challenge of this session's own SELECT_METHOD round, when the assertion was signed over
   * another (a sign-in without a username): the sign-in is recorded under it, since that is what
   * an enrolment round of this session carries forward (lib/flow/verified-factor.ts) and what a
   * repeated Verify of this round presents again. expectedChallenge by default.
   */
  readonly sessionChallenge?: string;
  readonly userName: string;
  /** The app client of the sign-in: its record is for this client's tokens only. */
  readonly clientId: string;
  /** The event's userAttributes: `sub` (the user handle) and the cached public keys. */
  readonly userAttributes: Readonly<Record<string, string>>;
  /** An enrolment round follows: the sign-in is left pending for its answer to record. */
  readonly pendingUntilEnrolment?: boolean;
}

/** Where the key to verify with was found, and what that source says about the passkey. */
interface KeySource {
  readonly publicKey: string;
  readonly userHandle: string;
  /** Set when the key came from the passkey's own item: its counter there (see PasskeyUse.adoptWithCounter). */
  readonly storedCounter?: number;
}

export async function verifyPasskeyAssertion(deps: PasskeyDeps, input: AssertionInput): Promise<AssertionResult> {
  const { config, logger } = deps;
  const reject = (reason: PasskeyRejection): AssertionResult => ({ ok: false, reason });

  const parsed = parseAuthenticationAnswer(input.answer);
  if (!parsed.ok) return parsed;
  const response = parsed.value;
  if (input.requireUserHandle === true && response.response.userHandle === undefined) return reject("user_handle_missing");

  const found = await findKey(deps, input, response.id);
  if (!found.ok) return found;
  const key = found.key;
  // A discoverable passkey of another account on the same device must not sign this user in.
  if (response.response.userHandle !== undefined && response.response.userHandle !== key.userHandle) {
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
        id: response.id,
        publicKey: new Uint8Array(Buffer.from(key.publicKey, "base64url")),
        // The counter is judged by the store's conditional write, once the signature is known to
        // be good: a regression is then a real warning sign, and a repeated Verify of the
        // recorded assertion can be told apart from one.
        counter: 0,
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
  // From the signed authenticator data, not from what the client says (sign-in-method.ts).
  const method = methodOfDeviceType(verification.authenticationInfo.credentialDeviceType);
  const use: PasskeyUse = {
    credentialId: response.id,
    keyFingerprint: publicKeyFingerprint(key.publicKey),
    newCounter,
    challenge: input.sessionChallenge ?? input.expectedChallenge,
    adoptWithCounter: key.storedCounter,
  };
  const record = { userName: input.userName, clientId: input.clientId, methods: [method], level: AUTH_LEVEL.passkey, verifiedAt: deps.clock() };
  const options = { pendingUntilEnrolment: input.pendingUntilEnrolment === true };
  const outcome = await deps.signIns.savePasskeySignIn(record, use, options);
  switch (outcome) {
    case "saved":
    case "replayed":
      return { ok: true, method };
    case "counter_regression":
      // WebAuthn: a counting authenticator's counter only grows. https://www.w3.org/TR/webauthn-3/#sctn-sign-counter
      logger.warn("Passkey signature counter did not move forward: the authenticator may have been cloned", {
        credentialId: response.id,
        receivedCounter: newCounter,
      });
      return reject("counter_regression");
    case "key_not_on_record":
      // Enrolment writes the fingerprint before it caches the key, so a cached key without its
      // fingerprint was written into the attribute by other means; a key read from the passkey's
      // own item reaches here only when its fingerprint on the user's item is another key's.
      logger.warn("A public key in the user's passkey attribute is not one enrolment recorded", { credentialId: response.id });
      return reject("unknown_credential");
  }
}

/**
 * An unknown user's passkey answer, which is always refused, costs the store what a known user's
 * refused answer costs: the read of the credential's item it names (a known user's answer makes it
 * for any credential outside the user's cached keys, which is every credential an attacker can
 * name). So neither the store traffic nor its time tells the two apart.
 */
export async function readAsForAKnownUser(deps: Pick<PasskeyDeps, "credentials">, answer: unknown): Promise<void> {
  const parsed = parseAuthenticationAnswer(answer);
  if (parsed.ok) await deps.credentials.get(parsed.value.id);
}

/** The key of this credential for this user: from the event's attribute, else from the table. */
async function findKey(
  deps: PasskeyDeps,
  input: AssertionInput,
  credentialId: string,
): Promise<{ ok: true; key: KeySource } | { ok: false; reason: PasskeyRejection }> {
  const userHandle = passkeyUserHandle(input.userAttributes, input.userName);
  const cached = findCachedPublicKey(input.userAttributes[PUBLIC_KEY_ATTRIBUTE], credentialId);
  if (cached !== undefined) return { ok: true, key: { publicKey: cached.publicKey, userHandle } };

  // Not cached: the attribute was full, or Cognito's write of it failed at enrolment. One read more;
  // if the fingerprint write failed too, the use adopts the passkey (PasskeyUse.adoptWithCounter).
  const passkey = await deps.credentials.get(credentialId);
  if (passkey === undefined) return { ok: false, reason: "unknown_credential" };
  if (passkey.userName !== input.userName) return { ok: false, reason: "credential_of_another_user" };
  return {
    ok: true,
    key: {
      publicKey: passkey.publicKey,
      userHandle: passkey.userHandle,
      storedCounter: passkey.counter,
    },
  };
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : "unknown";
}
