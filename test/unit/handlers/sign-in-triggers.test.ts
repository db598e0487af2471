/**
 * The combined function's handler (lib/handlers/sign-in-triggers.ts): an event reaches the handler
 * of the trigger its triggerSource names, loading that trigger only; an event no trigger serves is
 * refused with one WARN line naming the reason, and a thrown UnknownTriggerSourceError, which fails
 * the Cognito call.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { defineEvent, preSignUpEvent, preTokenEventV2 } from "@cognito-passwordless/test-kit/events.ts";
import { readFlowConfig } from "../../../lib/config.ts";
import { ConfigError, UnknownTriggerSourceError } from "../../../lib/errors.ts";
import { createDefineAuthChallengeHandler } from "../../../lib/handlers/define-auth-challenge.ts";
import { type TriggerHandler, createSignInTriggersHandler } from "../../../lib/handlers/sign-in-triggers.ts";
import type { SignInTrigger } from "../../../lib/handlers/trigger-route.ts";
import { Logger } from "../../../lib/logger.ts";
import { UNIT_ENV } from "../../support/function-env.ts";
import { type LogCapture, captureLogs } from "../../support/log-capture.ts";
import { NOW } from "./handler-kit.ts";

const SERVICE = "sign-in-triggers";
let logs: LogCapture;
before(() => {
  logs = captureLogs();
});
after(() => logs.stop());
beforeEach(() => logs.clear());

/** The router over `handlers`, recording which triggers it loaded. */
function router(handlers: Partial<Record<SignInTrigger, TriggerHandler>>) {
  const loaded: SignInTrigger[] = [];
  const handler = createSignInTriggersHandler({
    logger: new Logger({ serviceName: SERVICE, logLevel: "DEBUG" }),
    load: async (trigger) => {
      loaded.push(trigger);
      const found = handlers[trigger];
      if (found === undefined) throw new Error(`the test gave no handler for ${trigger}`);
      return found;
    },
  });
  return { handler, loaded };
}

/** A stand-in trigger handler that answers with its own name. */
const answering = (name: string): TriggerHandler => (async (event: Record<string, unknown>) => ({ ...event, answeredBy: name })) as TriggerHandler;

const routerLines = () => logs.lines.filter((line) => line["service"] === SERVICE);

describe("the combined function's handler", () => {
  it("a Define event reaches the Define handler, which answers it, and nothing else is loaded", async () => {
    // Prepare
    const define = createDefineAuthChallengeHandler({
      flow: readFlowConfig(UNIT_ENV),
      logger: new Logger({ serviceName: "define-auth-challenge", logLevel: "DEBUG" }),
      clock: () => NOW,
    });
    const { handler, loaded } = router({ DefineAuthChallenge: define as TriggerHandler });
    // Act
    const answered = (await handler(defineEvent([]))) as ReturnType<typeof defineEvent>;
    // Assess: the first round of a sign-in is a custom challenge, as Define decides it.
    assert.deepEqual(answered.response, { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
    assert.deepEqual(loaded, ["DefineAuthChallenge"]);
    assert.deepEqual(routerLines(), [], "a routed event adds no line of the router's own");
  });

  it("a PreSignUp and a token event reach their own triggers", async () => {
    const { handler, loaded } = router({ PreSignUp: answering("PreSignUp"), PreTokenGeneration: answering("PreTokenGeneration") });
    assert.equal(((await handler(preSignUpEvent("PreSignUp_ExternalProvider"))) as { answeredBy: string }).answeredBy, "PreSignUp");
    assert.equal(((await handler(preTokenEventV2("TokenGeneration_RefreshTokens"))) as { answeredBy: string }).answeredBy, "PreTokenGeneration");
    assert.deepEqual(loaded, ["PreSignUp", "PreTokenGeneration"]);
  });

  for (const [what, event, reason] of [
    ["an event that is not an object", "DefineAuthChallenge_Authentication", "event_not_object"],
    ["an event without a triggerSource", { request: {}, response: {} }, "trigger_source_missing"],
    ["a triggerSource that is not a string", { triggerSource: 7 }, "trigger_source_not_string"],
    ["a trigger this function does not serve", { triggerSource: "CustomMessage_SignUp", request: {} }, "trigger_source_unknown"],
  ] as const) {
    it(`${what} is refused: one WARN line with reason ${reason}, and UnknownTriggerSourceError thrown`, async () => {
      // Prepare
      const { handler, loaded } = router({ DefineAuthChallenge: answering("DefineAuthChallenge") });
      // Act, Assess
      await assert.rejects(handler(event), (error: unknown) => {
        assert.ok(error instanceof UnknownTriggerSourceError);
        assert.equal(error.code, "TRIGGER_SOURCE_UNKNOWN");
        assert.equal(error.name, "UnknownTriggerSourceError");
        assert.match(error.message, new RegExp(`^${reason}:`));
        return true;
      });
      const lines = routerLines();
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]!.level, "WARN");
      assert.equal(lines[0]!["reason"], reason);
      assert.deepEqual(loaded, [], "no trigger's code is loaded for it");
    });
  }

  it("the WARN line shows an unknown triggerSource cut short, and a non-string one as its type", async () => {
    const { handler } = router({});
    await assert.rejects(handler({ triggerSource: `CustomMessage_${"x".repeat(500)}` }), UnknownTriggerSourceError);
    await assert.rejects(handler({ triggerSource: { nested: "value" } }), UnknownTriggerSourceError);
    const [unknown, notString] = routerLines();
    assert.equal(String(unknown?.["triggerSource"]).length, 64);
    assert.equal(notString?.["triggerSource"], "object");
  });

  it("a trigger whose code fails to load (its configuration refused at import) fails the call with that error", async () => {
    const handler = createSignInTriggersHandler({
      logger: new Logger({ serviceName: SERVICE, logLevel: "DEBUG" }),
      load: async () => {
        throw new ConfigError("SIGN_IN_METHODS must list PASSKEY, EMAIL_OTP or SMS_OTP");
      },
    });
    await assert.rejects(handler(defineEvent([])), ConfigError);
  });
});
