/**
 * Account linking on a federated user's first sign-in: read the identity, find the native users
 * holding its verified addresses, decide (choose-link-target.ts), then create a native user if
 * that is the decision, and link.
 *
 * Nothing is left half-done. Every path ends in one of three states: no change; a native user
 * with the IdP identity linked; or, when Cognito's answer was lost to a timeout, a complete
 * native user whose link the next sign-in completes (it is then the one verified holder). A
 * native user created here is deleted again when Cognito refuses the link it was created for.
 */
import type { LinkConfig } from "../config.ts";
import { CognitoCallFailedError, LinkFailedError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { maskEmail, maskPhone } from "../mask.ts";
import { type PoolUsers, isRefusal } from "../cognito/pool-users.ts";
import { type LinkDecision, type NoLinkReason, chooseLinkTarget } from "./choose-link-target.ts";
import { type FederatedIdentity, readFederatedIdentity } from "./federated-identity.ts";

export type NotLinkedReason = NoLinkReason | "linking-off" | "untrusted-provider" | "no-subject" | "address-taken" | "out-of-time";

export type LinkOutcome =
  | { readonly kind: "linked"; readonly username: string; readonly created: boolean; readonly identity: FederatedIdentity }
  | { readonly kind: "not-linked"; readonly reason: NotLinkedReason };

export interface LinkRequest {
  readonly userPoolId: string;
  readonly userName: string;
  readonly userAttributes: Readonly<Record<string, string>>;
}

export interface LinkDeps {
  readonly poolUsers: PoolUsers;
  readonly config: LinkConfig;
  readonly logger: Logger;
  /** Milliseconds; the deadline is measured from the first call. */
  readonly clock: () => number;
}

function describe(identity: FederatedIdentity) {
  return {
    provider: identity.providerName,
    subject: identity.subject,
    ...(identity.email === undefined ? {} : { email: maskEmail(identity.email.value), emailVerifiedByIdp: identity.email.verified }),
    ...(identity.phone === undefined ? {} : { phone: maskPhone(identity.phone.value), phoneVerifiedByIdp: identity.phone.verified }),
  };
}

export async function linkFederatedUser(request: LinkRequest, deps: LinkDeps): Promise<LinkOutcome> {
  const { poolUsers, config, logger, clock } = deps;
  const started = clock();
  const timeLeft = () => config.budgetMs - (clock() - started);

  if (config.trustedProviders.length === 0) {
    logger.info("Federated user not linked: no identity provider is trusted for linking (LINK_PROVIDERS is empty)");
    return { kind: "not-linked", reason: "linking-off" };
  }
  const reading = readFederatedIdentity(request.userName, request.userAttributes, config.trustedProviders);
  if (!reading.ok) {
    logger.info("Federated user not linked: its provider is not trusted for linking, or it has no subject", {
      reason: reading.reason,
      providerPrefix: reading.prefix,
      trustedProviders: config.trustedProviders,
    });
    return { kind: "not-linked", reason: reading.reason };
  }
  const { identity } = reading;

  const [emailHolders, phoneHolders] = await Promise.all([
    identity.email?.verified === true ? poolUsers.findHolders(request.userPoolId, "email", identity.email.value) : [],
    identity.phone?.verified === true ? poolUsers.findHolders(request.userPoolId, "phone_number", identity.phone.value) : [],
  ]);
  const decision: LinkDecision = chooseLinkTarget(identity, { email: emailHolders, phone: phoneHolders }, config.createNativeUser);
  if (decision.kind === "none") {
    logger.info("Federated user not linked", {
      reason: decision.reason,
      ...describe(identity),
      emailHolders: emailHolders.length,
      phoneHolders: phoneHolders.length,
    });
    return { kind: "not-linked", reason: decision.reason };
  }

  let username: string;
  let created = false;
  if (decision.kind === "create") {
    // Room for the creation and the link after it, each with its own timeout.
    if (timeLeft() < 2 * config.changeTimeoutMs) {
      logger.warn("Federated user not linked: too little time left to create a native user", { ...describe(identity), timeLeftMs: timeLeft() });
      return { kind: "not-linked", reason: "out-of-time" };
    }
    const createdName = await poolUsers.createNativeUser(request.userPoolId, { email: decision.email, phone: decision.phone });
    if (createdName === undefined) {
      // Someone holds the address after all (spelled differently, or created a moment ago).
      logger.warn("Federated user not linked: the address belongs to an account the lookup did not find", describe(identity));
      return { kind: "not-linked", reason: "address-taken" };
    }
    username = createdName;
    created = true;
    logger.info("Native user created for a federated identity", { ...describe(identity), username });
  } else {
    username = decision.username;
  }

  if (timeLeft() < config.changeTimeoutMs) {
    // A created user is complete on its own; the next sign-in finds it and links.
    logger.warn("Federated user not linked: too little time left to link", { ...describe(identity), username, created, timeLeftMs: timeLeft() });
    return { kind: "not-linked", reason: "out-of-time" };
  }
  try {
    await poolUsers.link(request.userPoolId, username, identity);
  } catch (error) {
    const cause = error instanceof CognitoCallFailedError ? error.cause : error;
    // The message reaches the app, whose user is not signed in yet: it names no account. The log does.
    if (!isRefusal(cause)) {
      logger.error("Linking got no answer from Cognito", { ...describe(identity), username, created, error });
      throw new LinkFailedError(`Linking this ${identity.providerName} identity got no answer; the next sign-in completes it.`, { cause: error });
    }
    // Cognito may have run this trigger twice, or report an error for a link it made (aws-sdk-js-v3 #5281).
    if (await poolUsers.isLinked(request.userPoolId, username, identity).catch(() => false)) {
      logger.info("Federated identity was already linked", { ...describe(identity), username });
      return { kind: "linked", username, created, identity };
    }
    logger.error("Cognito refused the link", { ...describe(identity), username, created, error });
    if (created) await rollBack(poolUsers, request.userPoolId, username, logger);
    throw new LinkFailedError(`Cognito refused to link this ${identity.providerName} identity to the existing account.`, { cause: error });
  }
  logger.info("Federated identity linked to a native user", {
    ...describe(identity),
    username,
    created,
    ...(decision.kind === "link" ? { matchedOn: decision.matchedOn } : {}),
  });
  return { kind: "linked", username, created, identity };
}

async function rollBack(poolUsers: PoolUsers, userPoolId: string, username: string, logger: Logger): Promise<void> {
  try {
    await poolUsers.deleteUser(userPoolId, username);
    logger.info("Native user created for the failed link was deleted again", { username });
  } catch (error) {
    // Not dangerous (the user holds only what the IdP verified), but the operator should know.
    logger.error("Could not delete the native user created for a failed link", { username, error });
  }
}
