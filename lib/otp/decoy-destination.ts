/**
 * The masked destination shown when no code is sent (unknown user, no such address on the
 * account, a disallowed country, a rate limit). It must look like a real one, and the same on
 * every try for the same username, so the round reveals nothing about the account.
 */
import { createHash } from "node:crypto";
import { maskEmail, maskPhone } from "../mask.ts";
import type { CodeMethod } from "../protocol.ts";

const DECOY_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me"];

export function decoyDestination(method: CodeMethod, userName: string): string {
  const looksLikeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(userName);
  const looksLikePhone = /^\+[1-9]\d{7,14}$/.test(userName);
  if (method === "EMAIL_OTP" && looksLikeEmail) return maskEmail(userName);
  if (method === "SMS_OTP" && looksLikePhone) return maskPhone(userName);
  const digest = createHash("sha256").update(userName).digest();
  if (method === "EMAIL_OTP") {
    const letter = String.fromCharCode(97 + ((digest[0] ?? 0) % 26));
    const domain = DECOY_DOMAINS[(digest[1] ?? 0) % DECOY_DOMAINS.length] ?? "gmail.com";
    return maskEmail(`${letter}x@${domain}`);
  }
  const lastFour = String(digest.readUInt16BE(2) % 10_000).padStart(4, "0");
  return maskPhone(`+1555000${lastFour}`);
}
