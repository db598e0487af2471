import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRoundPacing } from "../../../lib/otp/round-pacing.ts";

/** A pacing whose clock and sleep are the test's: sleeping moves the clock. */
function harness(initialDelayMs: number, pick = (size: number) => size - 1) {
  let now = 1_000;
  const slept: number[] = [];
  const pacing = createRoundPacing({
    clock: () => now,
    initialDelayMs,
    pick,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  });
  return { pacing, slept, advance: (ms: number) => (now += ms), now: () => now };
}

describe("decoy code rounds take as long as real ones", () => {
  it("before any real round, a decoy waits the configured typical time", async () => {
    const { pacing, slept, now } = harness(100);
    await pacing.paceDecoy("EMAIL_OTP", now());
    assert.deepEqual(slept, [100]);
  });

  it("counts the time the decoy already spent", async () => {
    const { pacing, slept, advance, now } = harness(100);
    const started = now();
    advance(30);
    await pacing.paceDecoy("EMAIL_OTP", started);
    assert.deepEqual(slept, [70]);
  });

  it("after real rounds, a decoy takes as long as one of them, per method", async () => {
    const { pacing, slept, now } = harness(100);
    pacing.recordReal("EMAIL_OTP", 42);
    pacing.recordReal("SMS_OTP", 250);
    await pacing.paceDecoy("EMAIL_OTP", now());
    await pacing.paceDecoy("SMS_OTP", now());
    assert.deepEqual(slept, [42, 250]);
  });

  it("draws among recent real durations, so decoys spread like real rounds", async () => {
    const picks: number[] = [];
    const { pacing, slept, now } = harness(100, (size) => {
      picks.push(size);
      return 0;
    });
    for (const ms of [10, 20, 30]) pacing.recordReal("EMAIL_OTP", ms);
    await pacing.paceDecoy("EMAIL_OTP", now());
    assert.deepEqual(picks, [3]);
    assert.deepEqual(slept, [10]);
  });

  it("forgets all but the last 32 real rounds", async () => {
    const { pacing, slept, now } = harness(100, () => 0);
    for (let n = 1; n <= 40; n += 1) pacing.recordReal("EMAIL_OTP", n);
    await pacing.paceDecoy("EMAIL_OTP", now());
    assert.deepEqual(slept, [9], "the oldest kept is the 9th");
  });

  it("never waits more than 1.5 s, and ignores nonsense durations", async () => {
    const { pacing, slept, now } = harness(0);
    pacing.recordReal("EMAIL_OTP", Number.NaN);
    pacing.recordReal("EMAIL_OTP", -5);
    await pacing.paceDecoy("EMAIL_OTP", now());
    assert.deepEqual(slept, [], "no history and no initial delay: no wait");
    pacing.recordReal("EMAIL_OTP", 60_000);
    await pacing.paceDecoy("EMAIL_OTP", now());
    assert.deepEqual(slept, [1500]);
  });
});
