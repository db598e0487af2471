/**
 * SMS pumping and email bombing, end to end through the local stack with the real SDK. Before the
 * fixes the only limits were per user-and-address and per address: anyone with the client id could
 * sign up throwaway numbers and have each one sent its full allowance (the security review: 4
 * sign-ups with UK personal numbers, +44 70, were sent 20 SMS), and plus-address variants of one
 * mailbox each got their own allowance. Now premium and personal-number ranges are never sent to,
 * the deployment and each country have an SMS budget per window, and one mailbox is one count.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ATTACK_LIMITS, type SignInWorld, startSignInWorld } from "../support/attack-stack.ts";
import type { LogLine } from "../support/attack-logs.ts";

const CREATE = "create-auth-challenge";
/** Small budgets, so they are reached in a few calls: the rules are the template's. */
const BUDGET = { SMS_BUDGET_PER_WINDOW: "3", SMS_BUDGET_PER_COUNTRY_PER_WINDOW: "2", SMS_BUDGET_WINDOW_SECONDS: "3600" };

function decoyFor(reason: string) {
  return (line: LogLine) => line["service"] === CREATE && line.message === "No code sent: decoy round" && line["reason"] === reason;
}

describe("SMS pumping and email bombing", () => {
  let world: SignInWorld;
  before(async () => {
    world = await startSignInWorld({ ...ATTACK_LIMITS, ...BUDGET, LOG_LEVEL: process.env["LOG_LEVEL"] === "DEBUG" ? "DEBUG" : "INFO" });
  });
  after(() => world?.stop());

  const smsSent = () => world.stack.outbox.list().filter((message) => message.channel === "sms").length;

  it("throwaway sign-ups with UK personal numbers (+44 70) are sent no SMS at all, however many rounds they ask for", async () => {
    const { driver, logs } = world;
    const before = smsSent();
    const mark = logs.mark();
    for (let index = 1; index <= 4; index++) {
      const phone = `+44700000000${index}`;
      await driver.signUp(world.newEmail(`pump${index}`), phone);
      for (let round = 0; round < 5; round++) {
        const answered = await driver.codeRound(phone, "SMS_OTP");
        assert.equal(answered.ChallengeParameters?.["type"], "SMS_OTP", "the round looks like any other");
      }
    }
    assert.equal(smsSent(), before, "not one SMS (the review counted 20)");
    const blocked = await logs.waitFor(mark, decoyFor("sms_range_blocked"));
    assert.equal(blocked["range"], "uk-personal-number");
  });

  it("a premium-rate or Caribbean number inside +1 is sent nothing either", async () => {
    const { driver, logs } = world;
    const before = smsSent();
    for (const [phone, range] of [
      ["+19005550101", "nanp-premium"],
      ["+18765550101", "nanp-caribbean"],
    ] as const) {
      await driver.signUp(world.newEmail("nanp"), phone);
      const mark = logs.mark();
      await driver.codeRound(phone, "SMS_OTP");
      const blocked = await logs.waitFor(mark, decoyFor("sms_range_blocked"));
      assert.equal(blocked["range"], range);
    }
    assert.equal(smsSent(), before);
  });

  it("past a country's budget, every further number in it gets a round that sends nothing, and a WARN says the budget is spent", async () => {
    const { driver, logs } = world;
    const before = smsSent();
    const mark = logs.mark();
    const phones = [1, 2, 3, 4].map(() => world.newUkPhone());
    for (const phone of phones) {
      await driver.signUp(world.newEmail("uk"), phone);
      await driver.codeRound(phone, "SMS_OTP");
    }
    assert.equal(smsSent() - before, 2, "the UK budget of 2 per window, across 4 accounts and numbers");
    const warning = await logs.waitFor(
      mark,
      (line) => line["service"] === CREATE && line.level === "WARN" && String(line.message).startsWith("SMS budget spent"),
    );
    assert.equal(warning["scope"], "country");
    assert.equal(warning["countryCallingCode"], "44");
  });

  it("past the deployment's budget, no country gets more", async () => {
    const { driver, logs } = world;
    // The UK took 2 of the deployment's 3 above: one US number still gets its code, the next not.
    const before = smsSent();
    const first = "+12025550101";
    const second = "+12025550102";
    for (const phone of [first, second]) await driver.signUp(world.newEmail("us"), phone);
    await driver.codeRound(first, "SMS_OTP");
    assert.equal(smsSent() - before, 1);
    const mark = logs.mark();
    await driver.codeRound(second, "SMS_OTP");
    assert.equal(smsSent() - before, 1, "the deployment's budget of 3 is spent");
    const warning = await logs.waitFor(mark, (line) => line["service"] === CREATE && String(line.message).startsWith("SMS budget spent"));
    assert.equal(warning["scope"], "deployment");
  });

  it("variants of one Gmail mailbox (case, dots, +tags, googlemail.com) are one destination: together they get one address's allowance", async () => {
    const { driver } = world;
    const tag = `${process.pid}`;
    const variants = [
      `jane.doe.${tag}@gmail.com`,
      `Jane.Doe.${tag}+1@gmail.com`,
      `janedoe${tag}+2@gmail.com`,
      `j.a.n.e.d.o.e.${tag}@googlemail.com`,
      `JANEDOE${tag}+bomb@GMAIL.COM`,
    ];
    for (const email of variants) {
      await driver.signUp(email);
      await driver.codeRound(email, "EMAIL_OTP");
    }
    const delivered = variants.reduce((sum, email) => sum + driver.messagesTo(email).length, 0);
    assert.equal(delivered, Number(ATTACK_LIMITS.RATE_LIMIT_PER_DESTINATION), "one mailbox's allowance, not five");
  });
});
