/**
 * DynamoDB stopped, slow or throttling in the middle of a sign-in, end to end: the real SDK
 * against the local stack, with a fault proxy between the functions and the table. For each
 * fault the sign-in must end cleanly inside Cognito's 5 s with Cognito's own error, after a
 * bounded number of attempts (AWS_CALL_MAX_ATTEMPTS per call), leave nothing half-written, say
 * why in a log line, and work again as soon as the table answers.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { authenticatorFor, enrolPasskey, requestOptionsOf } from "../support/attack-passkeys.ts";
import type { Fault, InjectOptions } from "../support/fault-proxy.ts";
import { tokenVerifiers } from "../support/local-stack.ts";
import { type Note, STORE_UNAVAILABLE, assertCleanFailure, assertInTimeAndBounded, assertLogged, triggerError } from "./fault-assertions.ts";
import { type FaultWorld, startFaultWorld, underFault } from "./fault-world.ts";

interface DynamoFault {
  readonly name: string;
  run(world: FaultWorld, note: Note): Promise<void>;
}

/** Signs in with an emailed code once the table answers again: the sign-in works as before the fault. */
async function assertCodeSignInWorks(world: FaultWorld, email: string) {
  const round = await world.driver.codeRound(email, "EMAIL_OTP");
  const done = await world.driver.answer(round, email, world.driver.latestCode(email));
  assert.ok(done.AuthenticationResult?.IdToken, "a fresh sign-in works once DynamoDB is back");
  return done;
}

/** A user with an enrolled passkey; `signIn` makes one passkey sign-in, `underFault` makes one under a fault. */
async function passkeyUser(world: FaultWorld, label: string) {
  const email = world.newEmail(label);
  const userName = await world.driver.signUp(email);
  const authenticator = authenticatorFor(world.stack);
  await enrolPasskey(world.driver, email, authenticator);
  const answer = async () => {
    const started = await world.driver.start(email);
    return { started, assertion: JSON.stringify(authenticator.authenticate(requestOptionsOf(started))) };
  };
  return {
    email,
    userName,
    authenticator,
    async signIn() {
      const { started, assertion } = await answer();
      return world.driver.answer(started, email, assertion, { signInMethod: "PASSKEY" });
    },
    async underFault(fault: Fault, options: InjectOptions) {
      const { started, assertion } = await answer();
      return underFault(world, world.proxies.dynamodb, fault, () => world.driver.answer(started, email, assertion, { signInMethod: "PASSKEY" }), options);
    },
  };
}

/**
 * The code round under a fault: what happens when the code is to be sent and counted.
 * `counted` is what the send counter must hold afterwards: 0 when no write reached the table,
 * 1 when a held write landed after the function gave up (its retry carries the same round key,
 * so the conditional write refuses to count it twice).
 */
function codeSendFault(name: string, faultFor: (world: FaultWorld) => Fault, counted: 0 | 1): DynamoFault {
  return {
    name,
    async run(world, note) {
      const email = world.newEmail("send");
      const userName = await world.driver.signUp(email);
      // A first sign-in proves the address, so Create's first call to the table is the reservation
      // (a fresh account's first round reads the account's first proof before it).
      await assertCodeSignInWorks(world, email);
      const sentBefore = world.driver.messagesTo(email).length;
      const countedBefore = (await world.table.sendCounters("email", email, userName, world.windowSeconds)).forUser;
      const started = await world.driver.start(email);
      const outcome = await underFault(world, world.proxies.dynamodb, faultFor(world), () =>
        world.driver.answer(started, email, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" }),
      );
      assertCleanFailure(world, outcome, triggerError("CreateAuthChallenge", "DynamoDB did not answer the code-send reservation."), "UpdateItem", note);
      assert.equal(world.driver.messagesTo(email).length, sentBefore, "no code went out for a round that failed");
      const counters = await world.table.sendCounters("email", email, userName, world.windowSeconds);
      assert.equal(counters.forUser - countedBefore, counted, "sends counted for the failed round");

      await assertCodeSignInWorks(world, email);
      assertLogged(outcome, "create-auth-challenge", STORE_UNAVAILABLE);
    },
  };
}

const FAULTS: DynamoFault[] = [
  codeSendFault("stopped at the code-send round: Create fails cleanly and nothing is counted", () => ({ kind: "refuse" }), 0),
  codeSendFault(
    "slower than the per-call timeout at the code-send round: Create gives up in time, and the late write counts once",
    (world) => ({ kind: "delay", ms: world.awsCalls.timeoutMs + 500 }),
    1,
  ),
  codeSendFault("throttling at the code-send round: Create fails cleanly after bounded retries", () => ({ kind: "throttle" }), 0),
  {
    name: "a blip at the code-send round (the first write lands late, after the SDK retried): the code round shown is a code sent",
    async run(world, note) {
      const email = world.newEmail("blip");
      const userName = await world.driver.signUp(email);
      const started = await world.driver.start(email);
      // Only the first attempt is held past the per-call timeout; served in order, it reaches the
      // table before the SDK's retry, which then finds this very round already recorded.
      const outcome = await underFault(
        world,
        world.proxies.dynamodb,
        { kind: "delay", ms: world.awsCalls.timeoutMs + 200 },
        () => world.driver.answer(started, email, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" }),
        { operations: ["UpdateItem"], times: 1, inOrder: true },
      );
      assertInTimeAndBounded(world, outcome, "UpdateItem", note);
      for (const line of outcome.lines.filter((line) => line.level === "WARN")) note(`WARN ${String(line["service"])}: ${line.message}`);
      assert.equal(outcome.error, undefined, "one slow attempt within the retry budget does not fail the sign-in");
      assert.equal(outcome.result?.ChallengeParameters?.["type"], "EMAIL_OTP");
      assert.equal(
        world.driver.messagesTo(email).length,
        1,
        "the app was shown a code round, so the code must have gone out: the retry of this invocation's own write is not Cognito repeating the invocation",
      );
      assert.equal((await world.table.sendCounters("email", email, userName, world.windowSeconds)).forUser, 1, "counted once");
      const done = await world.driver.answer(outcome.result ?? {}, email, world.driver.latestCode(email));
      assert.ok(done.AuthenticationResult?.IdToken);
    },
  },
  {
    name: "stopped at the verify round: the right code fails cleanly, nothing is recorded, nothing is marked verified",
    async run(world, note) {
      const email = world.newEmail("verify");
      const userName = await world.driver.signUp(email);
      const round = await world.driver.codeRound(email, "EMAIL_OTP");
      const code = world.driver.latestCode(email);
      const outcome = await underFault(world, world.proxies.dynamodb, { kind: "refuse" }, () => world.driver.answer(round, email, code));
      assertCleanFailure(world, outcome, triggerError("VerifyAuthChallengeResponse", "DynamoDB did not save the code's proof."), "UpdateItem", note);
      assert.equal(await world.table.signInRecord(userName), undefined, "no sign-in record was written");
      assert.equal((await world.driver.attributesOf(userName))["email_verified"], "false", "the address was not marked verified");

      await assertCodeSignInWorks(world, email);
      assert.equal((await world.driver.attributesOf(userName))["email_verified"], "true");
      assertLogged(outcome, "verify-auth-challenge-response", STORE_UNAVAILABLE);
    },
  },
  {
    name: "stopped at PreTokenGeneration: tokens are issued in time without the sign-in claims, and the reason is logged",
    async run(world, note) {
      const email = world.newEmail("tokens");
      await world.driver.signUp(email);
      const round = await world.driver.codeRound(email, "EMAIL_OTP");
      const code = world.driver.latestCode(email);
      // Verify writes the record (UpdateItem); only PreTokenGeneration reads it back (GetItem).
      const outcome = await underFault(world, world.proxies.dynamodb, { kind: "refuse" }, () => world.driver.answer(round, email, code), {
        operations: ["GetItem"],
      });
      assert.equal(outcome.error, undefined, "the sign-in itself completes");
      assertInTimeAndBounded(world, outcome, "GetItem", note);
      const verifiers = tokenVerifiers(world.stack.config);
      const claims = await verifiers.id.verify(outcome.result?.AuthenticationResult?.IdToken ?? "");
      assert.equal(claims["auth_methods"], undefined, "no claim says more than the server could read back");
      assert.equal(claims["auth_level"], undefined);
      assertLogged(outcome, "pre-token-generation", STORE_UNAVAILABLE);

      const again = await assertCodeSignInWorks(world, email);
      assert.equal((await verifiers.id.verify(again.AuthenticationResult?.IdToken ?? ""))["auth_methods"], "email_otp");
    },
  },
  {
    name: "failing as a passkey sign-in is written: the sign-in fails cleanly, and neither the counter nor a record was written",
    async run(world, note) {
      const user = await passkeyUser(world, "passkey");
      const storedBefore = await world.table.passkeyCounter(user.authenticator.credentialId);
      const recordBefore = await world.table.signInRecord(user.userName);
      const outcome = await user.underFault({ kind: "refuse" }, { operations: ["UpdateItem"] });
      assertCleanFailure(world, outcome, triggerError("VerifyAuthChallengeResponse", "DynamoDB did not record the passkey sign-in."), "UpdateItem", note);
      assert.equal(await world.table.passkeyCounter(user.authenticator.credentialId), storedBefore, "the stored counter did not move");
      // The use and the sign-in record are one write: there is no state where one is written without the other.
      assert.deepEqual(await world.table.signInRecord(user.userName), recordBefore, "no sign-in record was written");

      assert.ok((await user.signIn()).AuthenticationResult?.IdToken, "the passkey signs in once DynamoDB is back");
      assert.equal(await world.table.passkeyCounter(user.authenticator.credentialId), user.authenticator.counter);
      assertLogged(outcome, "verify-auth-challenge-response", STORE_UNAVAILABLE);
    },
  },
  {
    name: "a blip as a passkey's counter is written (the first write lands late): the sign-in still succeeds, counted once",
    async run(world, note) {
      const user = await passkeyUser(world, "counterblip");
      const outcome = await user.underFault({ kind: "delay", ms: world.awsCalls.timeoutMs + 200 }, { operations: ["UpdateItem"], times: 1, inOrder: true });
      assertInTimeAndBounded(world, outcome, "UpdateItem", note);
      assert.equal(outcome.error, undefined);
      assert.ok(outcome.result?.AuthenticationResult?.IdToken, "the retry of its own write is recognised, not taken for a clone");
      assert.equal(await world.table.passkeyCounter(user.authenticator.credentialId), user.authenticator.counter);
    },
  },
  {
    name: "a blip as a passkey is enrolled (the first write lands late): the stored passkey is reported enrolled",
    async run(world, note) {
      const email = world.newEmail("enrolblip");
      const userName = await world.driver.signUp(email);
      const codeRound = await world.driver.codeRound(email, "EMAIL_OTP");
      const registration = await world.driver.answer(codeRound, email, world.driver.latestCode(email), { registerPasskey: "true" });
      const authenticator = authenticatorFor(world.stack);
      const answer = JSON.stringify(authenticator.register(JSON.parse(registration.ChallengeParameters?.["options"] ?? "{}")));
      const outcome = await underFault(
        world,
        world.proxies.dynamodb,
        { kind: "delay", ms: world.awsCalls.timeoutMs + 200 },
        () => world.driver.answer(registration, email, answer),
        { operations: ["PutItem"], times: 1, inOrder: true },
      );
      assertInTimeAndBounded(world, outcome, "PutItem", note);
      assert.deepEqual(await world.table.passkeysOf(userName), [authenticator.credentialId], "the passkey is stored, once");
      assert.equal(outcome.error, undefined);
      assert.ok(
        outcome.result?.AuthenticationResult?.IdToken,
        `the enrolment that stored it is reported as done, not refused as "already registered" (got round ${String(outcome.result?.ChallengeParameters?.["type"])})`,
      );
    },
  },
];

describe("DynamoDB failing mid-sign-in", () => {
  let world: FaultWorld;
  before(async () => {
    world = await startFaultWorld();
  });
  after(() => world?.stop());

  for (const fault of FAULTS) it(fault.name, (t) => fault.run(world, (text) => t.diagnostic(text)));
});
