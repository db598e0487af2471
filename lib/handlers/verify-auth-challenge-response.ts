/**
 * VerifyAuthChallengeResponse: judges one answer. A wrong, malformed, expired or misplaced answer
 * is `answerCorrect = false` with a log line naming the reason; only an outage throws.
 * Verify sees no session, so everything it judges by comes from the private challenge parameters.
 */
import type { VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import { methodClaimForCode } from "../claims/auth-claims.ts";
import type { AddressVerifier, VerifiedFlag } from "../cognito/address-verifier.ts";
import { MalformedEventError } from "../errors.ts";
import { readCustomAuthRequest } from "../events/custom-auth-request.ts";
import { stringMap } from "../events/read-event.ts";
import { parseRoundMetadata } from "../flow/challenge-metadata.ts";
import type { Logger } from "../logger.ts";
import { checkCodeAnswer } from "../otp/check-code-answer.ts";
import type { PasskeyRejection } from "../passkey/passkey-results.ts";
import { passkeyUserHandle } from "../passkey/user-handle.ts";
import { verifyPasskeyAssertion } from "../passkey/verify-passkey-assertion.ts";
import { type RegistrationDeps, verifyPasskeyRegistration } from "../passkey/verify-passkey-registration.ts";
import { AUTH_LEVEL, SKIP_REGISTRATION_ANSWER, isSignInMethod } from "../protocol.ts";
import { hashForKey } from "../store/keys.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { userLogFields } from "./log-fields.ts";
import { logFailures } from "./log-failure.ts";

export interface VerifyAuthChallengeDeps {
  readonly signInRecords: SignInRecordStore;
  readonly addressVerifier: AddressVerifier;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Present exactly when PASSKEY is offered. */
  readonly passkey?: Omit<RegistrationDeps, "logger" | "clock" | "signIns"> | undefined;
}

export type AnswerRejection =
  | PasskeyRejection
  | "event_malformed"
  | "user_not_found"
  | "private_parameters_invalid"
  | "not_a_factor"
  | "round_not_supported"
  | "malformed_answer"
  | "no_code_sent"
  | "code_expired"
  | "wrong_code";

export function createVerifyAuthChallengeHandler({ signInRecords, addressVerifier, logger, clock, passkey }: VerifyAuthChallengeDeps) {
  const passkeyDeps: RegistrationDeps | undefined = passkey === undefined ? undefined : { ...passkey, signIns: signInRecords, logger, clock };
  return logFailures(logger, "VerifyAuthChallengeResponse", async function verifyAuthChallenge(
    event: VerifyAuthChallengeResponseTriggerEvent,
  ): Promise<VerifyAuthChallengeResponseTriggerEvent> {
    const reject = (reason: AnswerRejection, fields: Record<string, unknown> = {}) => {
      logger.info("Answer rejected", { ...fields, reason });
      event.response = { answerCorrect: false };
      return event;
    };

    let request: ReturnType<typeof readCustomAuthRequest>;
    let privateParameters: Record<string, string>;
    try {
      request = readCustomAuthRequest(event);
      // Read here, not later: private parameters that are not a string map are a malformed event too.
      privateParameters = stringMap(request.request.privateChallengeParameters, "request.privateChallengeParameters");
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      return reject("event_malformed", { detail: error.message });
    }
    const who = userLogFields(request);
    if (request.userNotFound) return reject("user_not_found", who);

    const round = parseRoundMetadata(privateParameters.round);
    if (round === undefined) return reject("private_parameters_invalid", who);
    const answer = request.request.challengeAnswer;

    switch (round.round) {
      case "SELECT_METHOD": {
        // Choosing a method is not proving anything: Define moves on to the code round.
        if (isSignInMethod(answer)) return reject("not_a_factor", { ...who, round: round.round });
        if (passkeyDeps === undefined || round.passkeyChallenge === undefined) {
          return reject("round_not_supported", { ...who, round: round.round });
        }
        // Verified and recorded with this sign-in's record in one write (see verifyPasskeyAssertion).
        const result = await verifyPasskeyAssertion(passkeyDeps, {
          answer,
          expectedChallenge: round.passkeyChallenge,
          userName: request.userName,
          clientId: request.clientId,
          userAttributes: request.userAttributes,
        });
        if (!result.ok) return reject(result.reason, { ...who, round: round.round });
        logger.info("Answer accepted", { ...who, round: round.round, method: result.method });
        event.response = { answerCorrect: true };
        return event;
      }
      case "PASSKEY_REGISTRATION": {
        // Define poses this round only after a verified factor, so declining lets the sign-in finish.
        if (answer === SKIP_REGISTRATION_ANSWER) {
          logger.info("Passkey enrolment declined", { ...who, round: round.round });
          event.response = { answerCorrect: true };
          return event;
        }
        if (passkeyDeps === undefined) return reject("round_not_supported", { ...who, round: round.round });
        const result = await verifyPasskeyRegistration(passkeyDeps, {
          answer,
          expectedChallenge: round.challenge,
          userName: request.userName,
          userPoolId: request.userPoolId,
          userAttributes: request.userAttributes,
          userHandle: passkeyUserHandle(request.userAttributes, request.userName),
          userAgent: request.clientMetadata?.userAgent,
        });
        if (!result.ok) return reject(result.reason, { ...who, round: round.round });
        logger.info("Passkey enrolled", { ...who, friendlyName: result.credential.friendlyName });
        event.response = { answerCorrect: true };
        return event;
      }
      case "EMAIL_OTP":
      case "SMS_OTP": {
        const now = clock();
        const check = checkCodeAnswer(answer, round, now);
        if (!check.ok) return reject(check.reason, { ...who, round: round.round });

        await signInRecords.save({
          userName: request.userName,
          clientId: request.clientId,
          methods: [methodClaimForCode(round.round)],
          level: AUTH_LEVEL.code,
          verifiedAt: now,
        });
        await markAddressVerified(request, round.round === "EMAIL_OTP" ? "email" : "phone_number", round.sentTo);
        logger.info("Answer accepted", { ...who, round: round.round });
        event.response = { answerCorrect: true };
        return event;
      }
    }
  });

  async function markAddressVerified(
    request: ReturnType<typeof readCustomAuthRequest>,
    attribute: "email" | "phone_number",
    sentTo: string,
  ): Promise<void> {
    const flag: VerifiedFlag = attribute === "email" ? "email_verified" : "phone_number_verified";
    const address = request.userAttributes[attribute];
    if (request.userAttributes[flag] === "true" || address === undefined) return;
    // Only the exact address the code went to is proven; the account may have changed since.
    if (hashForKey(address) !== sentTo) return;
    try {
      await addressVerifier.markVerified(request.userPoolId, request.userName, flag);
      logger.info("Address verified by code", { user: request.userName, attribute: flag });
    } catch (error) {
      // The factor itself is proven; the flag is set again on the next sign-in.
      logger.error("Could not mark the address verified", { user: request.userName, attribute: flag, error });
    }
  }
}
