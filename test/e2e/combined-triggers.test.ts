/**
 * TriggerLayout Combined end to end: the local stack deployed as `sam deploy --parameter-overrides
 * TriggerLayout=Combined` would be, every trigger served by SignInTriggersFunction (the real
 * dist/sign-in-triggers bundle, one warm worker). An email code sign-in and a passkey sign-in with
 * the AWS SDK get the tokens and auth_methods claims they get from the five separate functions,
 * and the pool invoked no other function on the way.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { TriggerInvocation } from "@cognito-passwordless/local/stack.ts";
import { authenticatorFor, enrolPasskey, requestOptionsOf } from "../support/attack-passkeys.ts";
import { type Round, type SignInDriver, parametersOf, signInDriver } from "../support/attack-sign-in.ts";
import { type LocalStack, startTestStack, tokenVerifiers } from "../support/local-stack.ts";

const COMBINED_FUNCTION = "SignInTriggersFunction";

describe("sign-in with TriggerLayout Combined: one function serves every trigger", () => {
  let stack: LocalStack;
  let driver: SignInDriver;
  const invocations: TriggerInvocation[] = [];

  before(async () => {
    stack = await startTestStack({ templateParameters: { TriggerLayout: "Combined" }, onTriggerInvocation: (invocation) => invocations.push(invocation) });
    driver = signInDriver(stack);
  });
  after(async () => {
    driver?.destroy();
    await stack?.stop();
  });
  beforeEach(() => {
    invocations.length = 0;
  });

  async function claimsOf(round: Round) {
    const result = round.AuthenticationResult;
    assert.ok(result?.IdToken && result.AccessToken, "the sign-in issued tokens");
    const verifiers = tokenVerifiers(stack.config);
    return { id: await verifiers.id.verify(result.IdToken), access: await verifiers.access.verify(result.AccessToken) };
  }

  /** Which function served each trigger the pool ran, trigger by trigger. */
  const servedBy = () =>
    new Map(invocations.map(({ trigger }) => [trigger, new Set(invocations.filter((i) => i.trigger === trigger).map((i) => i.functionName))]));

  it("runs with the Combined layout", () => {
    assert.equal(stack.templateParameters["TriggerLayout"], "Combined");
  });

  it("an email code sign-in gets tokens claiming email_otp, every trigger served by the combined function", async () => {
    // Prepare
    const email = "combined.code@example.com";
    const userName = await driver.signUp(email);
    // Act
    const codeRound = await driver.codeRound(email, "EMAIL_OTP");
    assert.equal(parametersOf(codeRound)["type"], "EMAIL_OTP");
    const done = await driver.answer(codeRound, email, driver.latestCode(email));
    // Assess
    const { id, access } = await claimsOf(done);
    assert.equal(id.sub, userName);
    assert.equal(id["auth_methods"], "email_otp");
    assert.equal(id["auth_level"], "urn:cognito:loa:2");
    assert.equal(access["auth_methods"], "email_otp", "the V2 event reaches the access token");
    assert.deepEqual([...servedBy()].map(([trigger, functions]) => [trigger, [...functions]]).sort(), [
      ["CreateAuthChallenge", [COMBINED_FUNCTION]],
      ["DefineAuthChallenge", [COMBINED_FUNCTION]],
      ["PreSignUp", [COMBINED_FUNCTION]],
      ["PreTokenGeneration", [COMBINED_FUNCTION]],
      ["VerifyAuthChallengeResponse", [COMBINED_FUNCTION]],
    ]);
    assert.ok(invocations.some((i) => i.triggerSource === "PreSignUp_SignUp"));
    assert.ok(invocations.some((i) => i.triggerSource === "TokenGeneration_Authentication"));
  });

  it("a synced passkey enrolled after a code sign-in then signs in alone, with tokens claiming swk, through the combined function only", async () => {
    // Prepare: sign up, sign in with an emailed code and enrol the soft authenticator's passkey.
    const email = "combined.passkey@example.com";
    const userName = await driver.signUp(email);
    // A synced passkey (backup eligible), as phones and password managers make them: auth_methods swk.
    const authenticator = authenticatorFor(stack, { synced: true });
    await enrolPasskey(driver, email, authenticator);
    invocations.length = 0;
    // Act: a sign-in answered with the passkey at SELECT_METHOD.
    const started = await driver.start(email);
    const done = await driver.answer(started, email, JSON.stringify(authenticator.authenticate(requestOptionsOf(started))), { signInMethod: "PASSKEY" });
    // Assess
    const { id, access } = await claimsOf(done);
    assert.equal(id.sub, userName);
    assert.equal(id["auth_methods"], "swk");
    assert.equal(id["auth_level"], "urn:cognito:loa:3");
    assert.equal(access["auth_methods"], "swk");
    assert.deepEqual([...new Set(invocations.map((i) => i.functionName))], [COMBINED_FUNCTION]);
    assert.deepEqual([...new Set(invocations.map((i) => i.trigger))].sort(), [
      "CreateAuthChallenge",
      "DefineAuthChallenge",
      "PreTokenGeneration",
      "VerifyAuthChallengeResponse",
    ]);
  });
});
