// DefineAuthChallenge: decides the next round. Pure logic: no AWS client, no I/O.
import { readFlowConfig } from "../../lib/config.ts";
import { createDefineAuthChallengeHandler } from "../../lib/handlers/define-auth-challenge.ts";
import { createLogger } from "../../lib/logger.ts";

export const handler = createDefineAuthChallengeHandler({
  flow: readFlowConfig(process.env),
  logger: createLogger("define-auth-challenge"),
  clock: Date.now,
});
