/**
 * A refused passkey API request, as a value (STYLE, convention 6): the error code the client
 * reads (its HTTP status is PASSKEY_API_ERRORS'), the reason the log line names, and a message
 * for a developer. Reasons are a closed union, so tests and log queries name them.
 */
import type { PasskeyApiErrorCode } from "@cognito-passwordless/protocol";
import type { PasskeyRejection } from "../passkey/passkey-results.ts";

export type ApiRefusalReason =
  // The event (lib/api/http-api-event.ts)
  | "event_malformed"
  | "route_unknown"
  | "body_too_large"
  | "body_not_json"
  | "content_type_not_json"
  | "body_invalid"
  // The caller (lib/api/api-caller.ts)
  | "not_an_access_token"
  | "token_of_another_client"
  | "username_missing"
  | "user_not_found"
  | "auth_time_missing"
  | "sign_in_too_old"
  // The passkey named by the path
  | "id_malformed"
  | "passkey_not_found"
  // A name (lib/api/passkey-name.ts)
  | "name_missing"
  | "name_empty"
  | "name_too_long"
  | "name_has_control_characters"
  // Adding a passkey
  | "passkeys_not_offered"
  | "challenge_invalid"
  | PasskeyRejection;

export interface ApiRefusal {
  readonly error: PasskeyApiErrorCode;
  readonly reason: ApiRefusalReason;
  /** Shown to a developer in the response; never names another user's data or a secret. */
  readonly message: string;
}

export function refusal(error: PasskeyApiErrorCode, reason: ApiRefusalReason, message: string): ApiRefusal {
  return { error, reason, message };
}

/** The one answer for every passkey id the caller holds none of, so an answer never tells whose it is. */
export function passkeyNotFound(reason: Extract<ApiRefusalReason, "id_malformed" | "passkey_not_found">): ApiRefusal {
  return refusal("not_found", reason, "You have no passkey with this id.");
}

/** A token that outlived its user (deleted from the pool, or disabled): it changes nothing. */
export const CALLER_NOT_IN_POOL: ApiRefusal = Object.freeze(refusal("unauthorized", "user_not_found", "The access token's user is not in the user pool."));
