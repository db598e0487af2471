/**
 * The form of an address that send limits count, so one mailbox cannot be bombed through its
 * variants: `Jane.Doe+1@GMail.com`, `janedoe+2@gmail.com` and `jane.doe@googlemail.com` are one
 * inbox and one count. Only counting uses it: codes still go to the address exactly as it is held.
 *
 * - the whole address in lower case (mail providers treat local parts case-insensitively in practice);
 * - a `+tag` dropped from the local part (sub-addressing, RFC 5233, which Gmail, Outlook, iCloud,
 *   Fastmail and Proton deliver to the same mailbox; counting a provider that does not do so
 *   together errs on the safe side: fewer codes, never more);
 * - dots dropped, and googlemail.com read as gmail.com, for Gmail, which ignores dots in the local part.
 * Phone numbers are E.164 already: one spelling per number.
 */
import type { DeliveryChannel } from "./channel.ts";

const DOT_BLIND_DOMAINS: Readonly<Record<string, string>> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };

export function countedDestination(channel: DeliveryChannel, address: string): string {
  if (channel !== "email") return address;
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  const dotBlind = DOT_BLIND_DOMAINS[domain];
  if (dotBlind !== undefined) {
    domain = dotBlind;
    local = local.replaceAll(".", "");
  }
  return `${local}@${domain}`;
}
