/**
 * What the app sees when a trigger fails. A thrown error is UserLambdaValidationException
 * "<Trigger> failed with error <message>." (developer guide, "Customizing user pool workflows with
 * Lambda triggers": https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html);
 * output Cognito cannot read is InvalidLambdaResponseException "Unrecognizable lambda output"
 * (InitiateAuth API reference, Errors); a trigger that does not answer within 5 seconds is
 * UnexpectedLambdaException "<Trigger> invocation failed due to error Socket timeout while invoking
 * Lambda function." (reported: anomalyco/sst#1815, furaiev/amazon-cognito-identity-dart-2#204).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("trigger failures", () => {
  const pools: FakePool[] = [];
  after(() => Promise.all(pools.map((pool) => pool.stop())));
  const start = async (triggers: Record<string, string>, timeoutMs?: number) => {
    const fake = await startFakePool({ triggers: { ...SIMPLE_FLOW, ...triggers }, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    pools.push(fake);
    await signUp(fake.client, fake.pool.clientId, "kat@example.com");
    return fake;
  };

  it("reports a thrown error as UserLambdaValidationException naming the trigger", async () => {
    const fake = await start({ DefineAuthChallenge: `throw new Error("the table is unreachable");` });
    await assert.rejects(startSignIn(fake.client, fake.pool.clientId, "kat@example.com"), {
      name: "UserLambdaValidationException",
      message: "DefineAuthChallenge failed with error the table is unreachable.",
    });
  });

  it("reports a Verify error the same way, with Verify's trigger name", async () => {
    const fake = await start({ VerifyAuthChallengeResponse: `throw new Error("boom");` });
    const started = await startSignIn(fake.client, fake.pool.clientId, "kat@example.com");
    await assert.rejects(answer(fake.client, fake.pool.clientId, started.Session, "kat@example.com", "42"), {
      name: "UserLambdaValidationException",
      message: "VerifyAuthChallengeResponse failed with error boom.",
    });
  });

  it("reports a PreSignUp error on SignUp", async () => {
    const fake = await startFakePool({ triggers: { PreSignUp: `throw new Error("sign-ups are closed");` } });
    pools.push(fake);
    await assert.rejects(signUp(fake.client, fake.pool.clientId, "new@example.com"), {
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error sign-ups are closed.",
    });
  });

  it("reports output that is not an event as InvalidLambdaResponseException", async () => {
    const fake = await start({ CreateAuthChallenge: `return "not an event";` });
    await assert.rejects(startSignIn(fake.client, fake.pool.clientId, "kat@example.com"), {
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
  });

  it("reports non-string challenge parameters as InvalidLambdaResponseException", async () => {
    const fake = await start({
      CreateAuthChallenge: `event.response.publicChallengeParameters = { codeLength: 6 }; return event;`,
    });
    await assert.rejects(startSignIn(fake.client, fake.pool.clientId, "kat@example.com"), { name: "InvalidLambdaResponseException" });
  });

  it("gives up on a trigger that does not answer in time, and starts it afresh for the next call", async () => {
    const fake = await start(
      {
        DefineAuthChallenge: `
          globalThis.calls = (globalThis.calls ?? 0) + 1;
          if (globalThis.calls === 1) await new Promise(() => {});
          ${SIMPLE_FLOW.DefineAuthChallenge}`,
      },
      // Long enough for a cold worker to start on a busy machine; the hanging call still overruns it.
      2000,
    );
    await assert.rejects(startSignIn(fake.client, fake.pool.clientId, "kat@example.com"), {
      name: "UnexpectedLambdaException",
      message: "DefineAuthChallenge invocation failed due to error Socket timeout while invoking Lambda function.",
    });
    // A fresh worker: its module state (the call count) starts over, so its first call hangs again.
    await assert.rejects(startSignIn(fake.client, fake.pool.clientId, "kat@example.com"), { name: "UnexpectedLambdaException" });
  });

  it("keeps a function warm between invocations, like a warm Lambda", async () => {
    const fake = await start({
      CreateAuthChallenge: `
        globalThis.invocations = (globalThis.invocations ?? 0) + 1;
        event.response.publicChallengeParameters = { invocation: String(globalThis.invocations) };
        event.response.privateChallengeParameters = { answer: "42" };
        return event;`,
    });
    const first = await startSignIn(fake.client, fake.pool.clientId, "kat@example.com");
    const second = await startSignIn(fake.client, fake.pool.clientId, "kat@example.com");
    assert.equal(first.ChallengeParameters?.["invocation"], "1");
    assert.equal(second.ChallengeParameters?.["invocation"], "2");
  });
});
