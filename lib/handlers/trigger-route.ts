/**
 * Which of the five triggers an event is for, read from its `triggerSource`: the routing decision
 * of the combined function (functions/sign-in-triggers, TriggerLayout Combined). Pure, so the table
 * is tested case by case; the router (sign-in-triggers.ts) logs and throws on a refusal.
 *
 * Trigger sources, from the developer guide's page of each trigger and "Connecting API actions to
 * Lambda triggers":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/lambda-triggers-for-user-pool-actions.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */

/** The triggers the combined function serves, by the name the pool's LambdaConfig gives them. */
export const SIGN_IN_TRIGGERS = ["DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse", "PreSignUp", "PreTokenGeneration"] as const;
export type SignInTrigger = (typeof SIGN_IN_TRIGGERS)[number];

/** Every triggerSource Cognito sends these five triggers, and the trigger each belongs to. */
export const TRIGGER_SOURCES: Readonly<Record<string, SignInTrigger>> = Object.freeze({
  DefineAuthChallenge_Authentication: "DefineAuthChallenge",
  CreateAuthChallenge_Authentication: "CreateAuthChallenge",
  VerifyAuthChallengeResponse_Authentication: "VerifyAuthChallengeResponse",
  PreSignUp_SignUp: "PreSignUp",
  PreSignUp_AdminCreateUser: "PreSignUp",
  PreSignUp_ExternalProvider: "PreSignUp",
  TokenGeneration_HostedAuth: "PreTokenGeneration",
  TokenGeneration_Authentication: "PreTokenGeneration",
  TokenGeneration_NewPasswordChallenge: "PreTokenGeneration",
  TokenGeneration_AuthenticateDevice: "PreTokenGeneration",
  TokenGeneration_RefreshTokens: "PreTokenGeneration",
});

/** Why an event reaches no trigger. */
export type RouteRefusal = "event_not_object" | "trigger_source_missing" | "trigger_source_not_string" | "trigger_source_unknown";

export type TriggerRoute = { readonly ok: true; readonly trigger: SignInTrigger } | { readonly ok: false; readonly reason: RouteRefusal };

// A Map, not a lookup on the object: "constructor" or "__proto__" must not find Object.prototype's.
const ROUTES: ReadonlyMap<string, SignInTrigger> = new Map(Object.entries(TRIGGER_SOURCES));

export function routeTrigger(event: unknown): TriggerRoute {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return { ok: false, reason: "event_not_object" };
  if (!("triggerSource" in event) || event.triggerSource === undefined || event.triggerSource === null) {
    return { ok: false, reason: "trigger_source_missing" };
  }
  const source = event.triggerSource;
  if (typeof source !== "string") return { ok: false, reason: "trigger_source_not_string" };
  const trigger = ROUTES.get(source);
  return trigger === undefined ? { ok: false, reason: "trigger_source_unknown" } : { ok: true, trigger };
}
