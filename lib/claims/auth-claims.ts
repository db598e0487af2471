/**
 * The honest claims of a sign-in (docs/protocol.md, Tokens): what the server verified, in Cognito's
 * AMR vocabulary, as space-separated strings because V1 token events accept only strings.
 * Never `amr`/`acr`: Cognito reserves those and drops any value a trigger sets.
 */
import { AUTH_CLAIM_NAMES, type AuthMethodClaim, type CodeMethod } from "@cognito-passwordless/protocol";
import type { SignInRecord } from "../store/sign-in-records.ts";

export function methodClaimForCode(method: CodeMethod): AuthMethodClaim {
  return method === "EMAIL_OTP" ? "email_otp" : "sms";
}

/** The claims a record justifies; none without a record. */
export function authClaims(record: SignInRecord | undefined): Record<string, string> {
  if (record === undefined || record.methods.length === 0) return {};
  return { [AUTH_CLAIM_NAMES.methods]: record.methods.join(" "), [AUTH_CLAIM_NAMES.level]: record.level };
}
