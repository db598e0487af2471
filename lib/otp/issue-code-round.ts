/**
 * Issues the code of an EMAIL_OTP or SMS_OTP round: a fresh code sent once, the same code again
 * on a retry round or a repeated invocation, or a decoy round (nothing sent, nothing can match)
 * when there is nowhere we may send. Decoys have the same shape as real rounds, so the app, and an
 * attacker, learn nothing about the account from them.
 */
import type { CodeConfig } from "../config.ts";
import type { CodeRound } from "../flow/challenge-metadata.ts";
import { randomId } from "../flow/random-id.ts";
import type { Logger } from "../logger.ts";
import { maskDestination } from "../mask.ts";
import { isSmsAllowed, parseE164 } from "../phone.ts";
import { neverSendRange } from "../sms-ranges.ts";
import type { CodeMethod } from "@cognito-passwordless/protocol";
import { CHANNEL_OF_METHOD } from "../send/channel.ts";
import { type AddressUse, type CodeRoundPurpose, decideAddressUse } from "../ownership/address-use.ts";
import { addressState, readAccountFacts } from "../ownership/account-facts.ts";
import type { CodeSendStore } from "../store/code-sends.ts";
import type { SmsBudgetStore } from "../store/sms-budget.ts";
import { hashForKey } from "../store/keys.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import type { CodeDelivery } from "./code-delivery.ts";
import { deriveCodeSalt, hashCode } from "./code-hash.ts";
import { generateCode } from "./generate-code.ts";
import { shownDestination } from "./shown-destination.ts";
import type { RoundPacing } from "./round-pacing.ts";

export interface IssueCodeRoundDeps {
  readonly code: CodeConfig;
  readonly codeSends: CodeSendStore;
  readonly delivery: CodeDelivery;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Makes decoy rounds take as long as real ones (round-pacing.ts). */
  readonly pacing: RoundPacing;
  /** Read only when the account's attributes cannot say who owns it (lib/ownership/address-use.ts). */
  readonly firstProofs: Pick<SignInRecordStore, "findFirstProof">;
  /** The deployment's and each country's SMS budget; consulted only before an SMS is sent. */
  readonly smsBudget: SmsBudgetStore;
}

export interface IssueCodeRoundInput {
  readonly method: CodeMethod;
  readonly userName: string;
  readonly userNotFound: boolean;
  readonly userAttributes: Readonly<Record<string, string>>;
  /** The nonce of the round before this one: secret, and the same if Cognito repeats this call. */
  readonly roundKey: string;
  /** The code round this one retries after a wrong answer: same code, nothing sent. */
  readonly retryOf?: CodeRound | undefined;
  /** What the person typed to sign in (ClientMetadata.login): the only source of the round's `destination`. */
  readonly typedLogin?: string | undefined;
}

export type DecoyReason = "user_not_found" | "no_address_on_account" | "sms_country_not_allowed" | "sms_range_blocked" | "rate_limited" | "sms_budget_spent";

export async function issueCodeRound(deps: IssueCodeRoundDeps, input: IssueCodeRoundInput): Promise<CodeRound> {
  const { code: config, logger } = deps;
  const { method, userName } = input;
  const nonce = randomId();
  if (input.retryOf !== undefined) return { ...input.retryOf, nonce };
  const destination = shownDestination(method, input.typedLogin);

  const now = deps.clock();
  const expiresAt = now + config.codeTtlSeconds * 1000;
  // A round that sends nothing shows what any round shows, and takes as long as one.
  const decoy = async (reason: DecoyReason, extra: Record<string, unknown> = {}): Promise<CodeRound> => {
    logger.info("No code sent: decoy round", { method, reason, ...extra, ...(input.userNotFound ? {} : { user: userName }) });
    await deps.pacing.paceDecoy(method, now);
    return {
      round: method,
      nonce,
      codeId: randomId(),
      codeHash: "",
      salt: "",
      expiresAt,
      destination,
      codeLength: config.codeLength,
      sentTo: "",
      purpose: "sign-in",
    };
  };

  if (input.userNotFound) return decoy("user_not_found");
  const attribute = method === "EMAIL_OTP" ? "email" : "phone_number";
  const purpose = await roundPurpose(deps, input, attribute);
  const address = input.userAttributes[attribute];
  if (purpose === undefined || address === undefined) return decoy("no_address_on_account");
  const channel = CHANNEL_OF_METHOD[method];
  const masked = maskDestination(channel, address);
  if (method === "SMS_OTP") {
    if (!isSmsAllowed(address, config.smsAllowedCountryCodes)) return decoy("sms_country_not_allowed");
    const range = neverSendRange(address);
    if (range !== undefined) return decoy("sms_range_blocked", { range });
  }

  const salt = deriveCodeSalt(input.roundKey);
  const code = generateCode(config.codeLength);
  const fresh = { codeId: randomId(), codeHash: hashCode(code, salt), expiresAt };
  const reservation = { roundKey: input.roundKey, userName, channel, destination: address, code: fresh, now };
  const decision = await deps.codeSends.reserve(reservation);
  if (decision.outcome === "rate-limited") return decoy("rate_limited", { scope: decision.scope });

  // The deployment's SMS budget is spent only by a send this round makes (not by a repeated call).
  const country = method === "SMS_OTP" && decision.outcome === "send" ? parseE164(address)?.countryCallingCode : undefined;
  if (country !== undefined) {
    const budget = await deps.smsBudget.reserve(country, now);
    if (budget.outcome === "spent") {
      const released = await deps.codeSends.release(reservation);
      logger.warn("SMS budget spent: this round sends nothing until the window ends", { scope: budget.scope, countryCallingCode: country, released });
      return decoy("sms_budget_spent", { scope: budget.scope });
    }
  }

  let issued = fresh;
  if (decision.outcome === "already-issued") {
    // Cognito repeated this invocation (a slow call): the first one sent the code; send nothing more.
    logger.warn("Round already served by an earlier invocation: re-issuing its code without sending", { method, user: userName });
    issued = decision.code;
  } else {
    try {
      await deps.delivery.deliver(method, address, code, Math.round(config.codeTtlSeconds / 60), purpose);
    } catch (error) {
      // Nothing was sent: the send must not count against the limits, nor its code stay recorded.
      const released = await deps.codeSends.release(reservation);
      if (country !== undefined) await deps.smsBudget.release(country, now);
      logger.warn("Code not sent: the reservation was undone", { method, user: userName, destination: masked, released });
      throw error;
    }
    deps.pacing.recordReal(method, deps.clock() - now);
    logger.info("Code sent", { method, user: userName, destination: masked, purpose });
  }
  return {
    round: method,
    nonce,
    codeId: issued.codeId,
    codeHash: issued.codeHash,
    salt,
    expiresAt: issued.expiresAt,
    destination,
    codeLength: config.codeLength,
    sentTo: hashForKey(address),
    purpose,
  };
}

/** What a proof of the address may do (lib/ownership/address-use.ts); undefined when the account has none. */
async function roundPurpose(deps: IssueCodeRoundDeps, input: IssueCodeRoundInput, attribute: "email" | "phone_number"): Promise<CodeRoundPurpose | undefined> {
  const facts = { address: addressState(input.userAttributes, attribute), account: readAccountFacts(input.userAttributes) };
  let use: AddressUse = decideAddressUse(facts);
  if (use.kind === "read-first-proof") {
    const firstProof = await deps.firstProofs.findFirstProof(input.userName);
    const address = input.userAttributes[attribute] ?? "";
    use = decideAddressUse({
      ...facts,
      firstProof: firstProof === undefined ? "none" : firstProof === hashForKey(address) ? "this-address" : "another-address",
    });
  }
  if (use.kind === "round") {
    if (use.purpose === "claim") deps.logger.info("Code round will claim an address the account never proved", { user: input.userName, attribute });
    return use.purpose;
  }
  return undefined;
}
