/**
 * VerifyAuthChallengeResponse: judges one answer. A wrong, malformed, expired or misplaced answer
 * is `answerCorrect = false` with a log line naming the reason; only an outage throws.
 * Verify sees no session, so everything it judges by comes from the private challenge parameters.
 *
 * The answer that completes a sign-in records it for PreTokenGeneration (README, "Security": the
 * claims rule): a code or passkey answer when no enrolment round follows, else the enrolment
 * round's answer, which records the factor its own session verified.
 */
import type { VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import { methodClaimForCode } from "../claims/auth-claims.ts";
import type { AddressVerifier } from "../cognito/address-verifier.ts";
import type { FlowConfig } from "../config.ts";
import { MalformedEventError } from "../errors.ts";
import { type AnswerRequest, type CustomAuthRequest, readVerifyAuthChallengeRequest } from "../events/custom-auth-request.ts";
import { type RegistrationRound, parseRoundMetadata } from "../flow/challenge-metadata.ts";
import { enrolmentFollows } from "../flow/decide-next-step.ts";
import type { Logger } from "../logger.ts";
import { checkCodeAnswer } from "../otp/check-code-answer.ts";
import { type CodeRefusal, acceptCode } from "../ownership/accept-code.ts";
import type { PasskeyRejection } from "../passkey/passkey-results.ts";
import { passkeyUserHandle } from "../passkey/user-handle.ts";
import { type SignInChallengeRejection, takeSignInChallenge } from "../passkey/take-sign-in-challenge.ts";
import { readAsForAKnownUser, verifyPasskeyAssertion } from "../passkey/verify-passkey-assertion.ts";
import { type RegistrationDeps, verifyPasskeyRegistration } from "../passkey/verify-passkey-registration.ts";
import { AUTH_LEVEL, CLIENT_METADATA, SKIP_REGISTRATION_ANSWER, isSignInMethod } from "@cognito-passwordless/protocol";
import type { PasskeyChallengeStore } from "../store/passkey-challenges.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { handlerBoundary } from "./handler-boundary.ts";
import { userLogFields } from "./log-fields.ts";

export interface VerifyAuthChallengeDeps {
  readonly flow: FlowConfig;
  readonly signInRecords: SignInRecordStore;
  readonly addressVerifier: AddressVerifier;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Present exactly when PASSKEY is offered. */
  readonly passkey?: PasskeyVerifyDeps | undefined;
}

export interface PasskeyVerifyDeps extends Omit<RegistrationDeps, "logger" | "clock" | "signIns"> {
  /** Where a sign-in without a username finds the challenge its assertion was signed over. */
  readonly challenges: Pick<PasskeyChallengeStore, "takeForSignIn">;
}

export type AnswerRejection =
  | PasskeyRejection
  | SignInChallengeRejection
  | CodeRefusal
  | "event_malformed"
  | "user_not_found"
  | "private_parameters_invalid"
  | "not_a_factor"
  | "round_not_supported"
  | "malformed_answer"
  | "no_code_sent"
  | "code_expired"
  | "wrong_code";

export function createVerifyAuthChallengeHandler({ flow, signInRecords, addressVerifier, logger, clock, passkey }: VerifyAuthChallengeDeps) {
  const passkeyDeps: (RegistrationDeps & Pick<PasskeyVerifyDeps, "challenges">) | undefined =
    passkey === undefined ? undefined : { ...passkey, signIns: signInRecords, logger, clock };

  /** What an enrolment round's answer records: the factor its own session verified, carried in the round. */
  async function recordCarriedFactor(request: CustomAuthRequest, round: RegistrationRound): Promise<void> {
    const { factor } = round;
    if (factor.method === "PASSKEY") {
      const outcome = await signInRecords.completePendingPasskeySignIn(request.userName, request.clientId, factor.challenge);
      if (outcome === "missing") {
        // Another passkey sign-in of this user, also enrolling, replaced it: its claims are not this one's.
        logger.warn("The session's passkey sign-in is no longer pending: its tokens get no method claims", userLogFields(request));
      }
      return;
    }
    await signInRecords.save({
      userName: request.userName,
      clientId: request.clientId,
      methods: [methodClaimForCode(factor.method)],
      level: AUTH_LEVEL.code,
      verifiedAt: clock(),
    });
  }

  return handlerBoundary(
    logger,
    "VerifyAuthChallengeResponse",
    async function verifyAuthChallenge(event: VerifyAuthChallengeResponseTriggerEvent): Promise<VerifyAuthChallengeResponseTriggerEvent> {
      const reject = (reason: AnswerRejection, fields: Record<string, unknown> = {}) => {
        logger.info("Answer rejected", { ...fields, reason });
        event.response = { answerCorrect: false };
        return event;
      };
      const accept = (message: string, fields: Record<string, unknown>) => {
        logger.info(message, fields);
        event.response = { answerCorrect: true };
        return event;
      };

      let request: AnswerRequest;
      try {
        // Private parameters that are not a string map are a malformed event too: read with the rest.
        request = readVerifyAuthChallengeRequest(event);
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        return reject("event_malformed", { detail: error.message });
      }
      const who = userLogFields(request);
      const round = parseRoundMetadata(request.privateChallengeParameters.round);
      const answer = request.challengeAnswer;
      // A sign-in without a username names the challenge POST /passkeys/challenge stored.
      const signInChallengeId = request.clientMetadata?.[CLIENT_METADATA.passkeyChallenge];
      if (request.userNotFound) {
        const passkeyAnswer = round?.round === "SELECT_METHOD" && round.passkeyChallenge !== undefined && !isSignInMethod(answer);
        if (passkeyAnswer && passkeyDeps !== undefined) {
          // The same requests as a known user's refused answer: the challenge is taken (so it is
          // spent, as it would be), then the credential read. Neither tells the two apart.
          if (signInChallengeId !== undefined) await takeSignInChallenge(passkeyDeps, signInChallengeId, round.nonce);
          await readAsForAKnownUser(passkeyDeps, answer);
        }
        return reject("user_not_found", who);
      }
      if (round === undefined) return reject("private_parameters_invalid", who);
      const completesSignIn = !enrolmentFollows(request.clientMetadata, flow);

      switch (round.round) {
        case "SELECT_METHOD": {
          // Choosing a method is not proving anything: Define moves on to the code round.
          if (isSignInMethod(answer)) return reject("not_a_factor", { ...who, round: round.round });
          if (passkeyDeps === undefined || round.passkeyChallenge === undefined) {
            return reject("round_not_supported", { ...who, round: round.round });
          }
          // Without a username, the assertion was signed over the stored challenge: taken first, so
          // it is spent whatever the assertion turns out to be.
          let expectedChallenge = round.passkeyChallenge;
          if (signInChallengeId !== undefined) {
            const taken = await takeSignInChallenge(passkeyDeps, signInChallengeId, round.nonce);
            if (!taken.ok) return reject(taken.reason, { ...who, round: round.round });
            expectedChallenge = taken.challenge;
          }
          // Verified and recorded with this sign-in's record in one write (see verifyPasskeyAssertion).
          const result = await verifyPasskeyAssertion(passkeyDeps, {
            answer,
            expectedChallenge,
            sessionChallenge: round.passkeyChallenge,
            requireUserHandle: signInChallengeId !== undefined,
            userName: request.userName,
            clientId: request.clientId,
            userAttributes: request.userAttributes,
            pendingUntilEnrolment: !completesSignIn,
          });
          if (!result.ok) return reject(result.reason, { ...who, round: round.round });
          return accept("Answer accepted", { ...who, round: round.round, method: result.method });
        }
        case "PASSKEY_REGISTRATION": {
          // Define poses this round only after a verified factor, and issues tokens after SKIP, a
          // valid enrolment, or the last attempt whatever its answer: each of those records the
          // factor this session verified (the round carries it), so no other sign-in's claims are taken.
          if (answer === SKIP_REGISTRATION_ANSWER) {
            await recordCarriedFactor(request, round);
            return accept("Passkey enrolment declined", { ...who, round: round.round });
          }
          if (passkeyDeps === undefined) return reject("round_not_supported", { ...who, round: round.round });
          const result = await verifyPasskeyRegistration(passkeyDeps, {
            answer,
            expectedChallenge: round.challenge,
            userName: request.userName,
            userPoolId: request.userPoolId,
            userAttributes: request.userAttributes,
            userHandle: passkeyUserHandle(request.userAttributes, request.userName),
            userAgent: request.clientMetadata?.[CLIENT_METADATA.userAgent],
            provenAddress: round.factor.method === "PASSKEY" ? undefined : round.factor.sentTo,
          });
          if (result.ok || round.final) await recordCarriedFactor(request, round);
          if (!result.ok) return reject(result.reason, { ...who, round: round.round, final: round.final });
          return accept("Passkey enrolled", { ...who, friendlyName: result.credential.friendlyName });
        }
        case "EMAIL_OTP":
        case "SMS_OTP": {
          const now = clock();
          const check = checkCodeAnswer(answer, round, now);
          if (!check.ok) return reject(check.reason, { ...who, round: round.round });
          const accepted = await acceptCode(
            { signInRecords, addressVerifier, logger },
            {
              round,
              userPoolId: request.userPoolId,
              userName: request.userName,
              clientId: request.clientId,
              userAttributes: request.userAttributes,
              completesSignIn,
              now,
            },
          );
          if (!accepted.ok) return reject(accepted.reason, { ...who, round: round.round, purpose: round.purpose });
          // A released address signs nobody in: Define ends a claim round that was answered right.
          return accept(accepted.released ? "Claim code accepted: the address was released" : "Answer accepted", {
            ...who,
            round: round.round,
            purpose: round.purpose,
          });
        }
      }
    },
  );
}
