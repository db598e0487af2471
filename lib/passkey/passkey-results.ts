/**
 * What passkey verification answers: a value, never an exception, for anything the client sent.
 */
import type { AuthMethodClaim } from "@cognito-passwordless/protocol";
import type { StoredPasskey } from "../store/passkey-credentials.ts";

export type PasskeyRejection =
  | "malformed_answer"
  | "answer_too_large"
  | "unknown_credential"
  | "credential_of_another_user"
  /** A sign-in without a username needs the assertion's user handle: it is who the person chose. */
  | "user_handle_missing"
  | "verification_failed"
  | "user_verification_missing"
  | "counter_regression"
  | "credential_already_registered"
  | "passkey_limit_reached";

export type AssertionResult =
  | { readonly ok: true; readonly method: Extract<AuthMethodClaim, "swk" | "hwk"> }
  | { readonly ok: false; readonly reason: PasskeyRejection };

export type RegistrationResult = { readonly ok: true; readonly credential: StoredPasskey } | { readonly ok: false; readonly reason: PasskeyRejection };
