/**
 * The honest claims of a sign-in (PROTOCOL.md, Tokens): what the server verified, in Cognito's
 * AMR vocabulary, as space-separated strings because V1 token events accept only strings.
 * Never `amr`/`acr`: Cognito reserves those and drops any value a trigger sets.
 */
import type { AuthMethodClaim, CodeMethod } from "../protocol.ts";
import type { SignInRecord } from "../store/sign-in-records.ts";

export const AUTH_CLAIM_NAMES = { methods: "auth_methods", level: "auth_level" } as const;

export function methodClaimForCode(method: CodeMethod): AuthMethodClaim {
  return method === "EMAIL_OTP" ? "email_otp" : "sms";
}



/** The claims a record justifies; none without a record. */
export function authClaims(record: SignInRecord | undefined): Record<string, string> {
  if (record === undefined || record.methods.length === 0) return {};
  return { [AUTH_CLAIM_NAMES.methods]: record.methods.join(" "), [AUTH_CLAIM_NAMES.level]: record.level };
}
