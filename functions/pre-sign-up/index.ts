// PreSignUp: confirms self-service sign-ups; never verifies an address.
import { createPreSignUpHandler } from "../../lib/handlers/pre-sign-up.ts";
import { createLogger } from "../../lib/logger.ts";

export const handler = createPreSignUpHandler({ logger: createLogger("pre-sign-up") });
