/**
 * Decides, without any I/O, what a federated user's first sign-in should be joined to. A link
 * hands the federated identity every right of the native account, so the bar is high:
 *
 * - only an address the IdP says it verified counts, and it must match a native user's address
 *   that this pool has verified (a code was entered for it);
 * - exactly one such user: two verified holders of one address, or email and phone pointing at
 *   different users, mean the directory is not what we assume, and nothing is linked;
 * - nobody holds the address at all: a native user may be created for it (the IdP verified it);
 *   somebody holds it unverified: no link and no new user, since that person may be its owner
 *   who simply has not proved it yet, and taking the address would lock them out.
 */
import type { FederatedIdentity } from "./federated-identity.ts";

/** A native (non-federated) user of the pool who holds an address. */
export interface AddressHolder {
  readonly username: string;
  readonly verified: boolean;
}

export interface AddressHolders {
  /** Native users whose email equals the IdP's email (as Cognito compares it). */
  readonly email: readonly AddressHolder[];
  /** Native users whose phone number equals the IdP's phone number. */
  readonly phone: readonly AddressHolder[];
}

export type NoLinkReason = "no-verified-address" | "several-verified-holders" | "email-and-phone-disagree" | "held-unverified" | "creation-disabled";

export type LinkDecision =
  | { readonly kind: "link"; readonly username: string; readonly matchedOn: readonly ("email" | "phone")[] }
  | { readonly kind: "create"; readonly email: string | undefined; readonly phone: string | undefined }
  | { readonly kind: "none"; readonly reason: NoLinkReason };

export function chooseLinkTarget(identity: FederatedIdentity, holders: AddressHolders, createNativeUser: boolean): LinkDecision {
  const email = identity.email?.verified === true ? identity.email.value : undefined;
  const phone = identity.phone?.verified === true ? identity.phone.value : undefined;
  if (email === undefined && phone === undefined) return { kind: "none", reason: "no-verified-address" };

  const channels = [
    ...(email === undefined ? [] : [{ name: "email" as const, holders: holders.email }]),
    ...(phone === undefined ? [] : [{ name: "phone" as const, holders: holders.phone }]),
  ];
  const targets = new Map<string, ("email" | "phone")[]>();
  for (const channel of channels) {
    const verified = channel.holders.filter((holder) => holder.verified);
    if (verified.length > 1) return { kind: "none", reason: "several-verified-holders" };
    const [holder] = verified;
    if (holder !== undefined) targets.set(holder.username, [...(targets.get(holder.username) ?? []), channel.name]);
  }
  if (targets.size > 1) return { kind: "none", reason: "email-and-phone-disagree" };
  const [target] = targets;
  if (target !== undefined) return { kind: "link", username: target[0], matchedOn: target[1] };

  if (channels.some((channel) => channel.holders.length > 0)) return { kind: "none", reason: "held-unverified" };
  if (!createNativeUser) return { kind: "none", reason: "creation-disabled" };
  return { kind: "create", email, phone };
}
