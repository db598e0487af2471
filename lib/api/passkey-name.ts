/**
 * A passkey's name as a user gives it (`PATCH /passkeys/{id}`, `POST /passkeys`). It is shown back
 * in lists and in the notices sent to the account's owner, so it is bounded and holds no control
 * or format characters (which could fake a line in an email or hide text, such as a
 * right-to-left override) and no lone surrogate (which no UTF-8 store can keep). Pure.
 */
import { PASSKEY_NAME_MAX_CHARS } from "@cognito-passwordless/protocol";
import type { ApiRefusalReason } from "./api-refusal.ts";

export type PasskeyNameCheck =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly reason: Extract<ApiRefusalReason, "name_missing" | "name_empty" | "name_too_long" | "name_has_control_characters"> };

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/** The name trimmed and in NFC (one spelling per name); characters counted as code points. */
export function checkPasskeyName(value: unknown): PasskeyNameCheck {
  if (typeof value !== "string") return { ok: false, reason: "name_missing" };
  // Checked before trimming: a control character at either end is refused, not silently dropped.
  if (FORBIDDEN.test(value)) return { ok: false, reason: "name_has_control_characters" };
  const name = value.trim().normalize("NFC");
  if (name === "") return { ok: false, reason: "name_empty" };
  if ([...name].length > PASSKEY_NAME_MAX_CHARS) return { ok: false, reason: "name_too_long" };
  return { ok: true, name };
}

export const PASSKEY_NAME_RULE = `A name is 1 to ${PASSKEY_NAME_MAX_CHARS} characters, without control or format characters.`;
