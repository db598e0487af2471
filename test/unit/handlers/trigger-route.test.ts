/**
 * The combined function's routing decision (lib/handlers/trigger-route.ts): every triggerSource
 * Cognito sends the five triggers reaches its trigger; anything else is refused with a reason.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SIGN_IN_TRIGGERS, TRIGGER_SOURCES, routeTrigger } from "../../../lib/handlers/trigger-route.ts";

/** From the developer guide's page of each trigger: every source it lists, and the trigger it belongs to. */
const COGNITO_SOURCES: ReadonlyArray<[string, string]> = [
  ["DefineAuthChallenge_Authentication", "DefineAuthChallenge"],
  ["CreateAuthChallenge_Authentication", "CreateAuthChallenge"],
  ["VerifyAuthChallengeResponse_Authentication", "VerifyAuthChallengeResponse"],
  ["PreSignUp_SignUp", "PreSignUp"],
  ["PreSignUp_AdminCreateUser", "PreSignUp"],
  ["PreSignUp_ExternalProvider", "PreSignUp"],
  ["TokenGeneration_HostedAuth", "PreTokenGeneration"],
  ["TokenGeneration_Authentication", "PreTokenGeneration"],
  ["TokenGeneration_NewPasswordChallenge", "PreTokenGeneration"],
  ["TokenGeneration_AuthenticateDevice", "PreTokenGeneration"],
  ["TokenGeneration_RefreshTokens", "PreTokenGeneration"],
];

describe("routing a Cognito event to its trigger", () => {
  for (const [triggerSource, trigger] of COGNITO_SOURCES) {
    it(`${triggerSource} goes to ${trigger}`, () => {
      assert.deepEqual(routeTrigger({ version: "1", triggerSource, request: {}, response: {} }), { ok: true, trigger });
    });
  }

  it("knows exactly these sources, and every one of the five triggers has at least one", () => {
    assert.deepEqual(Object.entries(TRIGGER_SOURCES).sort(), [...COGNITO_SOURCES].sort());
    assert.deepEqual([...new Set(Object.values(TRIGGER_SOURCES))].sort(), [...SIGN_IN_TRIGGERS].sort());
  });

  it("refuses an event that is not an object", () => {
    for (const event of [undefined, null, "DefineAuthChallenge_Authentication", 42, true, [], [{ triggerSource: "PreSignUp_SignUp" }]]) {
      assert.deepEqual(routeTrigger(event), { ok: false, reason: "event_not_object" }, JSON.stringify(event));
    }
  });

  it("refuses an event without a triggerSource", () => {
    for (const event of [{}, { request: {} }, { triggerSource: undefined }, { triggerSource: null }]) {
      assert.deepEqual(routeTrigger(event), { ok: false, reason: "trigger_source_missing" }, JSON.stringify(event));
    }
  });

  it("refuses a triggerSource that is not a string", () => {
    for (const triggerSource of [1, {}, ["PreSignUp_SignUp"], true, { toString: () => "PreSignUp_SignUp" }]) {
      assert.deepEqual(routeTrigger({ triggerSource }), { ok: false, reason: "trigger_source_not_string" }, JSON.stringify(triggerSource));
    }
  });

  it("refuses a source of a trigger it does not serve, a misspelt or differently cased one, and Object.prototype's names", () => {
    for (const triggerSource of [
      "CustomMessage_SignUp",
      "PostConfirmation_ConfirmSignUp",
      "PreAuthentication_Authentication",
      "UserMigration_Authentication",
      "TokenGeneration_Refresh",
      "definechallenge_authentication",
      "DefineAuthChallenge_Authentication ",
      "",
      "constructor",
      "__proto__",
      "toString",
      "hasOwnProperty",
    ]) {
      assert.deepEqual(routeTrigger({ triggerSource }), { ok: false, reason: "trigger_source_unknown" }, triggerSource);
    }
  });
});
