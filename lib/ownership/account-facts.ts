/**
 * The facts of the ownership rule (address-use.ts) as the account's attributes state them. Cognito
 * loads the attributes afresh for every trigger invocation, so Create and Verify each judge the
 * account as it is when they run.
 */
import { PUBLIC_KEY_ATTRIBUTE } from "../passkey/public-key-cache.ts";
import type { AccountFacts, AddressState } from "./address-use.ts";

export type AddressAttribute = "email" | "phone_number";

export const VERIFIED_FLAG = { email: "email_verified", phone_number: "phone_number_verified" } as const satisfies Record<AddressAttribute, string>;
export type VerifiedFlag = (typeof VERIFIED_FLAG)[AddressAttribute];

const ADDRESS_ATTRIBUTES: readonly AddressAttribute[] = ["email", "phone_number"];

type Attributes = Readonly<Record<string, string>>;

export function addressState(attributes: Attributes, attribute: AddressAttribute): AddressState {
  const value = attributes[attribute];
  if (value === undefined || value === "") return "absent";
  return attributes[VERIFIED_FLAG[attribute]] === "true" ? "verified" : "unverified";
}

export function readAccountFacts(attributes: Attributes): AccountFacts {
  return {
    hasVerifiedAddress: ADDRESS_ATTRIBUTES.some((attribute) => addressState(attributes, attribute) === "verified"),
    // Any value at all: a passkey's key is written there only by enrolment, which follows a proven
    // factor. An unreadable value is still taken as a passkey; that can only make a round stricter.
    hasPasskey: (attributes[PUBLIC_KEY_ATTRIBUTE] ?? "").length > "v1;".length,
  };
}
