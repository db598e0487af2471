/**
 * The `destination` a code round shows (docs/protocol.md, Round 2). It is one function of what the person
 * typed (ClientMetadata.login) and the chosen method, the same for every account, real or not:
 * the typed identifier masked as typed when it is of the chosen channel's kind, otherwise a fixed
 * wording for the channel. It never comes from the account's stored address: that would show a
 * real account's case, domain or last digits to anyone who can type its other identifier, and
 * tell real accounts from unknown ones by how they look.
 */
import { maskEmail, maskPhone } from "../mask.ts";
import { CHANNEL_WORDING, type CodeMethod } from "@cognito-passwordless/protocol";

/** The longest sign-in name worth masking: an address is at most 320 characters (RFC 5321). */
const MAX_LOGIN_LENGTH = 320;

function looksLikeEmail(login: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(login);
}

/** "+" then 8 to 15 digits (E.164), spaces, dots, dashes and brackets between them allowed as people type them. */
function looksLikePhone(login: string): boolean {
  if (!/^\+[0-9\s().-]+$/.test(login)) return false;
  const digits = login.replace(/[^0-9]/g, "").length;
  return digits >= 8 && digits <= 15;
}

export function shownDestination(method: CodeMethod, typedLogin: string | undefined): string {
  const login = typedLogin?.trim();
  if (login === undefined || login === "" || login.length > MAX_LOGIN_LENGTH) return CHANNEL_WORDING[method];
  if (method === "EMAIL_OTP" && looksLikeEmail(login)) return maskEmail(login);
  if (method === "SMS_OTP" && looksLikePhone(login)) return maskPhone(login);
  return CHANNEL_WORDING[method];
}
