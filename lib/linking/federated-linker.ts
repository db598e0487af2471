/**
 * The account-linking path of PreSignUp, assembled: its two Cognito clients (lookups may be
 * retried, changes get one attempt) and linkFederatedUser bound to them. The function loads this
 * module on its first federated sign-up only, so the SDK is not part of every cold start.
 */
import { createCognitoClient } from "../cognito/cognito-client.ts";
import { createPoolUsers } from "../cognito/pool-users.ts";
import type { AwsCallConfig, LinkConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { type LinkOutcome, type LinkRequest, linkFederatedUser } from "./link-federated-user.ts";

export type FederatedLinker = (request: LinkRequest) => Promise<LinkOutcome>;

export function createFederatedLinker(options: { call: AwsCallConfig; link: LinkConfig; logger: Logger }): FederatedLinker {
  const poolUsers = createPoolUsers(createCognitoClient(options.call), createCognitoClient({ timeoutMs: options.link.changeTimeoutMs, maxAttempts: 1 }));
  return (request) => linkFederatedUser(request, { poolUsers, config: options.link, logger: options.logger, clock: Date.now });
}
