// PreSignUp: confirms self-service sign-ups (never verifies an address) and links federated users.
import { createCognitoClient } from "../../lib/cognito/cognito-client.ts";
import { createPoolUsers } from "../../lib/cognito/pool-users.ts";
import { readAwsCallConfig, readLinkConfig } from "../../lib/config.ts";
import { createPreSignUpHandler } from "../../lib/handlers/pre-sign-up.ts";
import { createLogger } from "../../lib/logger.ts";

const call = readAwsCallConfig(process.env);
const link = readLinkConfig(process.env);

export const handler = createPreSignUpHandler({
  config: link,
  poolUsers: createPoolUsers(createCognitoClient(call), createCognitoClient({ timeoutMs: link.changeTimeoutMs, maxAttempts: 1 })),
  logger: createLogger("pre-sign-up"),
  clock: Date.now,
});
