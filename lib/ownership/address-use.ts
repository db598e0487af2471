/**
 * One account, one owner (README, "Security": the ownership rule). Every factor that can sign in
 * to an account must have been proven by whoever already controls it. A code round therefore
 * asks, before anything is sent, what a proof of this address may do:
 *
 * | the address on the account | the account                                    | the round     |
 * |----------------------------|------------------------------------------------|---------------|
 * | none                       | —                                              | decoy         |
 * | verified                   | —                                              | `sign-in`     |
 * | unverified                 | has a verified address or a passkey            | `claim`       |
 * | unverified                 | neither, and no proof on record                | `first-proof` |
 * | unverified                 | neither, first proven through this address     | `first-proof` |
 * | unverified                 | neither, first proven through another address  | `claim`       |
 *
 * `first-proof` signs in and makes the address the account's: the fresh account's first sign-in.
 * `claim` never signs in: a correct code proves the person holds the address and takes it off the
 * account that never proved it, so its owner can have an account of their own with it (Cognito
 * keeps sign-in addresses unique, so a squatted address would otherwise block them for good).
 *
 * Pure: the caller reads the account's attributes (and, only when they cannot decide, the proof
 * on record in the table) and acts on the answer.
 */

/** What the round does with a correct code. Decoys carry `sign-in`: nothing can match them. */
export type CodeRoundPurpose = "sign-in" | "first-proof" | "claim";
export const CODE_ROUND_PURPOSES: readonly CodeRoundPurpose[] = ["sign-in", "first-proof", "claim"];

export type AddressState = "absent" | "unverified" | "verified";

/** The table's record of the account's first proven address (lib/store/sign-in-records.ts). */
export type FirstProof = "none" | "this-address" | "another-address";

export interface AccountFacts {
  /** An email or phone number on the account with its `*_verified` flag true. */
  readonly hasVerifiedAddress: boolean;
  /** A passkey's key cached in `custom:passkeys` (enrolment always follows a proven factor). */
  readonly hasPasskey: boolean;
}

export interface AddressUseInput {
  readonly address: AddressState;
  readonly account: AccountFacts;
  /** Undefined until read: the decision asks for it only when the attributes cannot decide. */
  readonly firstProof?: FirstProof | undefined;
}

export type AddressUse =
  | { readonly kind: "no-address" }
  | { readonly kind: "read-first-proof" }
  | { readonly kind: "round"; readonly purpose: CodeRoundPurpose };

const round = (purpose: CodeRoundPurpose): AddressUse => ({ kind: "round", purpose });

export function decideAddressUse({ address, account, firstProof }: AddressUseInput): AddressUse {
  if (address === "absent") return { kind: "no-address" };
  if (address === "verified") return round("sign-in");
  if (account.hasVerifiedAddress || account.hasPasskey) return round("claim");
  // The attributes say nobody proved anything. The table may know better: Cognito's flag is
  // written after the proof and may have failed (its UserUpdate quota is 25 requests a second).
  if (firstProof === undefined) return { kind: "read-first-proof" };
  return firstProof === "another-address" ? round("claim") : round("first-proof");
}
