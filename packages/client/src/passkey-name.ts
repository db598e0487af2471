/**
 * A passkey's name, checked before it is sent by the rule the passkey API applies (it decides):
 * 1 to PASSKEY_NAME_MAX_CHARS characters (code points, once trimmed and in NFC), no control or
 * format characters (which could fake a line in a notice or hide text) and no lone surrogate.
 */
import { PASSKEY_NAME_MAX_CHARS } from "@cognito-passwordless/protocol";
import { InvalidPasskeyNameError } from "./passkey-manager-errors.ts";

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/** Throws InvalidPasskeyNameError for a name the API would refuse; the name is sent as given. */
export function checkPasskeyName(name: string): void {
  const trimmed = typeof name === "string" ? name.trim().normalize("NFC") : "";
  if (trimmed === "" || FORBIDDEN.test(name) || [...trimmed].length > PASSKEY_NAME_MAX_CHARS) throw new InvalidPasskeyNameError(String(name));
}
