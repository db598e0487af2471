// SignInTriggers: all five triggers in one function (template.yaml, TriggerLayout Combined), each
// trigger's module imported on its first event, so a Define call loads nothing of Verify.
import { type TriggerHandler, createSignInTriggersHandler } from "../../lib/handlers/sign-in-triggers.ts";
import type { SignInTrigger } from "../../lib/handlers/trigger-route.ts";
import { createLogger } from "../../lib/logger.ts";

// Literal specifiers, one per trigger, so the bundler makes each module a chunk of its own. The
// runtime keeps an imported module, so each is evaluated (its configuration read) once per process.
const LOADERS: Readonly<Record<SignInTrigger, () => Promise<TriggerHandler>>> = {
  DefineAuthChallenge: async () => (await import("../define-auth-challenge/index.ts")).handler,
  CreateAuthChallenge: async () => (await import("../create-auth-challenge/index.ts")).handler,
  VerifyAuthChallengeResponse: async () => (await import("../verify-auth-challenge-response/index.ts")).handler,
  PreSignUp: async () => (await import("../pre-sign-up/index.ts")).handler,
  PreTokenGeneration: async () => (await import("../pre-token-generation/index.ts")).handler,
};

export const handler = createSignInTriggersHandler({
  logger: createLogger("sign-in-triggers"),
  load: (trigger) => LOADERS[trigger](),
});
