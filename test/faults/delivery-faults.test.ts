/**
 * SES and SNS failing or throttling as a code is sent, end to end: the real SDK against the local
 * stack, with a fault proxy in front of the outbox's SES and SNS receivers. The sign-in must end
 * cleanly inside Cognito's 5 s with Cognito's own error, after a bounded number of attempts, with
 * no message delivered and the send limit still allowing a retry, say why in a log line, and send
 * the code as soon as the service takes messages again.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { authenticatorFor, requestOptionsOf } from "../support/attack-passkeys.ts";
import { parametersOf } from "../support/attack-sign-in.ts";
import type { CodeMethod } from "../support/attack-sign-in.ts";
import type { Fault, FaultProxy } from "../support/fault-proxy.ts";
import { DELIVERY_FAILED, type Note, assertCleanFailure, assertLogged, triggerError } from "./fault-assertions.ts";
import { type FaultWorld, startFaultWorld, underFault } from "./fault-world.ts";

interface DeliveryFault {
  readonly name: string;
  readonly method: CodeMethod;
  readonly fault: Fault;
  /** The service's error name as the SDK raises it, which the function's message carries. */
  readonly serviceError: string;
}

const CHANNELS = {
  EMAIL_OTP: { channel: "email", operation: "SendEmail", message: (error: string) => `Sending the sign-in email through SES failed (${error}).` },
  SMS_OTP: { channel: "sms", operation: "Publish", message: (error: string) => `Sending the sign-in SMS through SNS failed (${error}).` },
} as const;

const FAULTS: DeliveryFault[] = [
  { name: "SES failing with HTTP 500", method: "EMAIL_OTP", fault: { kind: "server-error" }, serviceError: "InternalFailure" },
  { name: "SES throttling", method: "EMAIL_OTP", fault: { kind: "throttle" }, serviceError: "Throttling" },
  { name: "SNS throttling", method: "SMS_OTP", fault: { kind: "throttle" }, serviceError: "Throttling" },
];

async function run(world: FaultWorld, fault: DeliveryFault, note: Note) {
  const { driver, table } = world;
  const { channel, operation, message } = CHANNELS[fault.method];
  const proxy: FaultProxy = fault.method === "EMAIL_OTP" ? world.proxies.ses : world.proxies.sns;
  const email = world.newEmail("delivery");
  const phone = world.newUkPhone();
  const userName = await driver.signUp(email, phone);
  const address = fault.method === "EMAIL_OTP" ? email : phone;

  const started = await driver.start(email);
  const outcome = await underFault(world, proxy, fault.fault, () => driver.answer(started, email, fault.method, { signInMethod: fault.method }));
  assertCleanFailure(world, outcome, triggerError("CreateAuthChallenge", message(fault.serviceError)), operation, note);
  assert.equal(driver.messagesTo(address).length, 0, "nothing was delivered");
  // The send was counted before the service refused it, then undone: a failed send uses up nothing.
  const counters = await table.sendCounters(channel, address, userName, world.windowSeconds);
  note(`send counter after the failure: ${counters.forUser} of ${world.perUser}`);
  assert.equal(counters.forUser, 0, "the failed send was not counted against the limit");

  const round = await driver.codeRound(email, fault.method);
  assert.equal(driver.messagesTo(address).length, 1, "the code goes out once the service is back");
  const done = await driver.answer(round, email, driver.latestCode(address));
  assert.ok(done.AuthenticationResult?.IdToken, "and signs in");
  assertLogged(outcome, "create-auth-challenge", DELIVERY_FAILED);
}

describe("SES and SNS failing as a code is sent", () => {
  let world: FaultWorld;
  before(async () => {
    world = await startFaultWorld();
  });
  after(() => world?.stop());

  for (const fault of FAULTS) {
    it(`${fault.name}: the sign-in fails cleanly in time, nothing is delivered, and a retry works once it recovers`, (t) =>
      run(world, fault, (text) => t.diagnostic(text)));
  }

  it("SES failing on the notice of a new passkey: the enrolment completes, tokens are issued, and an ERROR says the notice was not sent", async () => {
    const { driver } = world;
    const email = world.newEmail("notice");
    const userName = await driver.signUp(email);
    const codeRound = await driver.codeRound(email, "EMAIL_OTP");
    const enrolment = await driver.answer(codeRound, email, driver.latestCode(email), { registerPasskey: "true" });
    const options = JSON.parse(parametersOf(enrolment)["options"] ?? "{}") as PublicKeyCredentialCreationOptionsJSON;
    const authenticator = authenticatorFor(world.stack);
    const sent = driver.messagesTo(email).length;

    const outcome = await underFault(world, world.proxies.ses, { kind: "server-error" }, () =>
      driver.answer(enrolment, email, JSON.stringify(authenticator.register(options))),
    );
    assert.equal(outcome.error, undefined, "a notice that could not be sent fails nothing");
    assert.ok(outcome.result?.AuthenticationResult?.IdToken, "the enrolment issued tokens");
    assert.equal(driver.messagesTo(email).length, sent, "no notice was delivered");
    const error = outcome.lines.find((line) => line.level === "ERROR" && line.message.startsWith("Passkey notice not sent"));
    assert.ok(error, "an ERROR line says the notice was not sent");
    assert.equal(error["service"], "verify-auth-challenge-response");
    assert.equal((await world.table.passkeysOf(userName)).length, 1, "the passkey is enrolled");

    // And it signs in.
    const started = await driver.start(email);
    const done = await driver.answer(started, email, JSON.stringify(authenticator.authenticate(requestOptionsOf(started))), { signInMethod: "PASSKEY" });
    assert.ok(done.AuthenticationResult?.IdToken);
  });
});
