/**
 * What a correct code does, by its round's purpose (address-use.ts), judged again on the account
 * as Verify's event shows it, since another sign-in may have changed it since the round was made:
 * - `sign-in`: the address was verified; the sign-in is recorded (if this round completes it);
 * - `first-proof`: the fresh account becomes the prover's, unless someone proved it first (the
 *   event's attributes, then the table's conditional first-proof write, decide "first"); then the
 *   address the code went to is written with its verified flag;
 * - `claim`: the address is taken off the account, which never proved it; nobody is signed in.
 * A refusal is a value with a reason, logged by the caller; only an outage throws.
 */
import type { AddressVerifier } from "../cognito/address-verifier.ts";
import { methodClaimForCode } from "../claims/auth-claims.ts";
import type { CodeRound } from "../flow/challenge-metadata.ts";
import type { Logger } from "../logger.ts";
import { AUTH_LEVEL } from "@cognito-passwordless/protocol";
import { hashForKey } from "../store/keys.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { type AddressAttribute, addressState, readAccountFacts } from "./account-facts.ts";
import { decideAddressUse } from "./address-use.ts";

export interface AcceptCodeDeps {
  readonly signInRecords: Pick<SignInRecordStore, "saveCodeProof">;
  readonly addressVerifier: AddressVerifier;
  readonly logger: Logger;
}

export interface AcceptCodeInput {
  readonly round: CodeRound;
  readonly userPoolId: string;
  readonly userName: string;
  readonly clientId: string;
  readonly userAttributes: Readonly<Record<string, string>>;
  /** False when an enrolment round follows: that round's answer records the sign-in. */
  readonly completesSignIn: boolean;
  /** Epoch milliseconds. */
  readonly now: number;
}

export type CodeRefusal =
  /** The address the code went to is no longer on the account. */
  | "address_changed"
  /** Between the round and its answer, another factor proved the account first. */
  | "account_owned_meanwhile"
  /** A claim's address was verified by the account's owner in the meantime: it is theirs now. */
  | "address_verified_meanwhile"
  /** Cognito did not take the address off the account; the person may answer again. */
  | "address_release_failed";

export type CodeAcceptance = { readonly ok: true; readonly released: boolean } | { readonly ok: false; readonly reason: CodeRefusal };

export async function acceptCode(deps: AcceptCodeDeps, input: AcceptCodeInput): Promise<CodeAcceptance> {
  const { round, userAttributes } = input;
  const attribute: AddressAttribute = round.round === "EMAIL_OTP" ? "email" : "phone_number";
  const address = userAttributes[attribute];
  const stillThere = address !== undefined && hashForKey(address) === round.sentTo;
  const who = { user: input.userName, attribute };

  if (round.purpose === "claim") {
    if (!stillThere) return { ok: false, reason: "address_changed" };
    if (addressState(userAttributes, attribute) === "verified") return { ok: false, reason: "address_verified_meanwhile" };
    try {
      await deps.addressVerifier.release(input.userPoolId, input.userName, attribute);
    } catch (error) {
      deps.logger.error("Could not release the claimed address from the account", { ...who, error });
      return { ok: false, reason: "address_release_failed" };
    }
    deps.logger.warn("Address released from an account that never proved it: its holder proved it with a claim code", who);
    return { ok: true, released: true };
  }

  const record = input.completesSignIn
    ? { userName: input.userName, clientId: input.clientId, methods: [methodClaimForCode(round.round)], level: AUTH_LEVEL.code, verifiedAt: input.now }
    : undefined;

  if (round.purpose === "sign-in") {
    // The address was verified when the code was sent; a verified address is its owner's.
    await deps.signInRecords.saveCodeProof({ userName: input.userName, addressHash: round.sentTo, mustBeFirst: false, record });
    return { ok: true, released: false };
  }

  // first-proof
  if (!stillThere) return { ok: false, reason: "address_changed" };
  const now = decideAddressUse({ address: addressState(userAttributes, attribute), account: readAccountFacts(userAttributes), firstProof: "this-address" });
  if (now.kind !== "round" || now.purpose === "claim") return { ok: false, reason: "account_owned_meanwhile" };
  const saved = await deps.signInRecords.saveCodeProof({ userName: input.userName, addressHash: round.sentTo, mustBeFirst: true, record });
  if (saved === "owned_by_another") return { ok: false, reason: "account_owned_meanwhile" };
  try {
    await deps.addressVerifier.markVerified(input.userPoolId, input.userName, attribute, address);
    deps.logger.info("Address verified by code", { ...who, firstProof: true });
  } catch (error) {
    // The proof is on record in the table, which is what the ownership rule falls back on; the
    // flag is written again at this address's next sign-in. No sign-in waits on Cognito's quota.
    deps.logger.error("Could not mark the address verified", { ...who, error });
  }
  return { ok: true, released: false };
}
