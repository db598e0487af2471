/**
 * Masked destinations: enough for a user to recognise where the code went ("j***@e***.com",
 * "+*******0123"), too little to learn an address from. The masked form is the only form of an
 * address that reaches the app (the `destination` public parameter), a log line or the session.
 *
 * Rules, so anyone can predict what is shown:
 * - email: the first character of the local part and of the domain's first label, then "***";
 *   the domain's other labels as they are ("j***@e***.co.uk"). A part of a single character
 *   shows nothing, so no part is ever shown whole. Always three stars: the length stays hidden.
 * - phone: "+" and the last four digits; every other digit becomes a star (the count is kept, as
 *   users expect from their bank). Numbers under 8 digits, too short for E.164, show no digit.
 * - anything else (no "@", no digit, not a string): "***". These functions never throw.
 * "Character" means a user-perceived character (grapheme), so an accented letter written as
 * letter + combining mark, or an emoji sequence, is never cut in half.
 */
import type { DeliveryChannel } from "./send/channel.ts";

const HIDDEN = "***";

/** Phone numbers shorter than this are not E.164, and showing four of their digits would show most of them. */
const MIN_DIGITS_TO_SHOW_TAIL = 8;
const DIGITS_SHOWN = 4;

// Made on first use, not at import: building a Segmenter loads ICU's break rules, about 20 ms of
// a cold start on Node 22, and a sign-in's first rounds (SELECT_METHOD) mask nothing.
let graphemes: Intl.Segmenter | undefined;

function firstCharacterThenStars(part: string): string {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const iterator = graphemes.segment(part)[Symbol.iterator]();
  const first = iterator.next();
  const second = iterator.next();
  if (first.done || second.done) return HIDDEN;
  return first.value.segment + HIDDEN;
}

/** `jane.doe@example.com` → `j***@e***.com`. */
export function maskEmail(value: string): string {
  if (typeof value !== "string") return HIDDEN;
  const address = value.trim();
  // The last "@" separates the domain: a quoted local part may itself contain "@".
  const at = address.lastIndexOf("@");
  if (at < 0) return HIDDEN;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const [firstLabel = "", ...otherLabels] = domain.split(".");
  const maskedDomain = [firstCharacterThenStars(firstLabel), ...otherLabels].join(".");
  return `${firstCharacterThenStars(local)}@${maskedDomain}`;
}

/** `+14155550123` → `+*******0123`. */
export function maskPhone(value: string): string {
  if (typeof value !== "string") return HIDDEN;
  // ASCII digits only: anything else (spaces, dashes, letters, other scripts) is dropped, never shown.
  const digits = value.replace(/[^0-9]/g, "");
  if (digits.length === 0) return HIDDEN;
  const plus = value.trimStart().startsWith("+") ? "+" : "";
  const shown = digits.length >= MIN_DIGITS_TO_SHOW_TAIL ? DIGITS_SHOWN : 0;
  return plus + "*".repeat(digits.length - shown) + digits.slice(digits.length - shown);
}

/** The masked form of an address, by the channel the code goes out on. */
export function maskDestination(channel: DeliveryChannel, value: string): string {
  switch (channel) {
    case "email":
      return maskEmail(value);
    case "sms":
      return maskPhone(value);
    default:
      return HIDDEN;
  }
}
