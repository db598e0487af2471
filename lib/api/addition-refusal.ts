/**
 * Why a passkey was not added through the API (lib/passkey/add-passkey.ts), as the client reads
 * it: the contract's error code for each reason. Pure.
 */
import type { AddPasskeyRejection } from "../passkey/add-passkey.ts";
import { type ApiRefusal, CALLER_NOT_IN_POOL, refusal } from "./api-refusal.ts";

export function additionRefusal(reason: AddPasskeyRejection): ApiRefusal {
  switch (reason) {
    case "challenge_invalid":
      return refusal("challenge_invalid", reason, "The challenge is unknown, used already or expired: ask for registration options again.");
    case "user_not_found":
      return CALLER_NOT_IN_POOL;
    case "malformed_answer":
      return refusal("invalid_request", reason, "response is not a RegistrationResponseJSON.");
    case "answer_too_large":
      return refusal("payload_too_large", reason, "response is larger than a registration can be.");
    case "passkey_limit_reached":
      return refusal("passkey_limit_reached", reason, "You have as many passkeys as this app allows: remove one first.");
    case "credential_already_registered":
      return refusal("credential_already_registered", reason, "This passkey is registered already.");
    case "verification_failed":
    case "user_verification_missing":
    case "unknown_credential":
    case "credential_of_another_user":
    case "user_handle_missing":
    case "counter_regression":
      return refusal("registration_failed", reason, "The registration did not verify.");
  }
}
