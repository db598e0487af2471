/**
 * User enumeration: can an attacker with the SDK tell an address that has an account from one
 * that has none? README, "Unknown users": same rounds, same parameters, no message; PROTOCOL.md
 * adds "same timing". Compared here on shape (key sets, value formats), on the outbox, and on
 * response time (medians of interleaved code rounds, so machine load hits both sides alike).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { maskEmail, maskPhone } from "../../lib/mask.ts";
import { type AttackWorld, startAttackWorld } from "../support/attack-stack.ts";
import { type Round, parametersOf, timed } from "../support/attack-sign-in.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MASKED_EMAIL = /^[^*@]\*\*\*@[^*@]\*\*\*(\.[a-z]+)+$/;

/** Sign-in starts measured per side; the first pair only warms the functions and is not counted. */
const TIMED_STARTS = 15;
/**
 * The largest difference of medians this test accepts on the local stack. A known address costs
 * one conditional DynamoDB write and one SES call more than an unknown one; on loopback that is a
 * few milliseconds, so 50 ms catches a real difference without failing on a busy machine.
 */
const MAX_MEDIAN_DIFFERENCE_MS = 50;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** What may differ between two rounds without telling anything: the values of these keys are compared by format. */
function shape(round: Round) {
  const parameters = parametersOf(round);
  const options = parameters["passkeyOptions"] === undefined ? undefined : (JSON.parse(parameters["passkeyOptions"]) as Record<string, unknown>);
  return {
    keys: Object.keys(parameters).sort(),
    type: parameters["type"],
    methods: parameters["methods"],
    passkeyOptionKeys: options === undefined ? undefined : Object.keys(options).sort(),
    allowCredentials: options?.["allowCredentials"],
    rpId: options?.["rpId"],
    codeLength: parameters["codeLength"],
    destinationIsMasked: parameters["destination"] === undefined ? undefined : MASKED_EMAIL.test(parameters["destination"]),
    usernameIsUuid: UUID.test(round.ChallengeParameters?.["USERNAME"] ?? ""),
  };
}

describe("telling known from unknown users apart", () => {
  let world: AttackWorld;
  before(async () => {
    world = await startAttackWorld();
  });
  after(() => world?.stop());

  it("an unknown address gets rounds of the same shape as a known one, and nothing is sent", async () => {
    const { driver } = world;
    const known = world.newEmail("known");
    const unknown = world.newEmail("nobody");
    await driver.signUp(known);

    const knownStart = await driver.start(known);
    const unknownStart = await driver.start(unknown);
    assert.deepEqual(shape(unknownStart), shape(knownStart));
    assert.equal(shape(knownStart).usernameIsUuid, true);

    const outboxBefore = world.stack.outbox.list().length;
    const unknownRound = await driver.answer(unknownStart, unknown, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" });
    assert.equal(world.stack.outbox.list().length, outboxBefore, "nothing was sent for the unknown address");
    const knownRound = await driver.answer(knownStart, known, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" });
    assert.equal(driver.messagesTo(known).length, 1);
    assert.deepEqual(shape(unknownRound), shape(knownRound));
    assert.equal(shape(knownRound).destinationIsMasked, true);
    const expiry = (round: Round) => Date.parse(parametersOf(round)["expiresAt"] ?? "");
    assert.ok(Math.abs(expiry(unknownRound) - expiry(knownRound)) < 5000, "both codes expire a code lifetime from now");
    assert.equal(driver.messagesTo(unknown).length, 0);
  });

  it(
    "an unknown address is shown masked as it was typed, exactly as a known one is (the app sends ClientMetadata.login)",
    async () => {
      const { driver } = world;
      const knownEmail = world.newEmail("typed");
      const knownPhone = world.newUkPhone();
      await driver.signUp(knownEmail, knownPhone);
      const unknownEmail = world.newEmail("typo");
      const unknownPhone = world.newUkPhone();

      // The attacker's test: does the masked destination match the masked form of what was typed?
      // As README "Unknown users" asks of apps: what the person typed goes along as ClientMetadata.login.
      const destination = async (login: string, method: "EMAIL_OTP" | "SMS_OTP") =>
        parametersOf(await driver.codeRound(login, method, { login }))["destination"];
      assert.equal(await destination(knownEmail, "EMAIL_OTP"), maskEmail(knownEmail));
      assert.equal(await destination(knownPhone, "SMS_OTP"), maskPhone(knownPhone));
      assert.equal(await destination(unknownEmail, "EMAIL_OTP"), maskEmail(unknownEmail), "an unknown email looks like a known one");
      assert.equal(await destination(unknownPhone, "SMS_OTP"), maskPhone(unknownPhone), "an unknown phone number looks like a known one");
    },
  );

  it(`answers a code round for an unknown address as fast as for a known one (|Δ median| < ${MAX_MEDIAN_DIFFERENCE_MS} ms)`, async (t) => {
    const { driver } = world;
    const known: string[] = [];
    for (let index = 0; index <= TIMED_STARTS; index++) {
      const email = world.newEmail("timed");
      await driver.signUp(email);
      known.push(email);
    }
    const unknown = known.map((_, index) => world.newEmail(`absent${index}`));
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let index = 0; index <= TIMED_STARTS; index++) {
      // Alternating which side goes first, so a slow moment of the machine does not favour one side.
      const order = index % 2 === 0 ? (["known", "unknown"] as const) : (["unknown", "known"] as const);
      for (const side of order) {
        const login = (side === "known" ? known : unknown)[index] ?? "";
        const started = await driver.start(login);
        const round = await timed(() => driver.answer(started, login, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" }));
        assert.equal(round.error, undefined);
        if (index > 0) times[side].push(round.ms);
      }
    }
    const knownMedian = median(times.known);
    const unknownMedian = median(times.unknown);
    t.diagnostic(`code round median over ${TIMED_STARTS} each: known ${knownMedian.toFixed(1)} ms, unknown ${unknownMedian.toFixed(1)} ms`);
    assert.equal(driver.messagesTo(known.at(-1) ?? "").length, 1, "each known address really got its code");
    assert.ok(
      Math.abs(knownMedian - unknownMedian) < MAX_MEDIAN_DIFFERENCE_MS,
      `median known ${knownMedian.toFixed(1)} ms vs unknown ${unknownMedian.toFixed(1)} ms`,
    );
  });
});
