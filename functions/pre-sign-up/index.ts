// PreSignUp: confirms self-service sign-ups (never verifies an address) and links federated users.
import { readAwsCallConfig, readLinkConfig } from "../../lib/config.ts";
import { createPreSignUpHandler } from "../../lib/handlers/pre-sign-up.ts";
import { loadOnce } from "../../lib/load-once.ts";
import { createLogger } from "../../lib/logger.ts";

const call = readAwsCallConfig(process.env);
const link = readLinkConfig(process.env);
const logger = createLogger("pre-sign-up");

// The linking code and its Cognito client are imported on the first federated sign-up of this
// instance, not at cold start: self-service sign-ups never use them (README, "Performance").
const linker = loadOnce(async () => (await import("./federated-linker.ts")).createFederatedLinker({ call, link, logger }));

export const handler = createPreSignUpHandler({
  logger,
  linkFederatedUser: async (request) => (await linker())(request),
});
