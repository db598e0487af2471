/**
 * User enumeration: can an attacker with the SDK tell an address that has an account from one
 * that has none? README, "Unknown users": same rounds, same parameters, no message; PROTOCOL.md
 * adds "same timing". Compared here field by field (the destination is a function of what was
 * typed, never of the account), on the outbox, on the store traffic of a refused passkey answer,
 * and on response time (medians of interleaved rounds, so machine load hits both sides alike).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { maskEmail, maskPhone } from "../../lib/mask.ts";
import { type AttackWorld, startAttackWorld } from "../support/attack-stack.ts";
import { type Round, parametersOf, timed } from "../support/attack-sign-in.ts";
import { authenticatorFor, enrolPasskey, requestOptionsOf } from "../support/attack-passkeys.ts";
import { type FaultWorld, startFaultWorld } from "../faults/fault-world.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Sign-in starts measured per side; the first pair only warms the functions and is not counted. */
const TIMED_STARTS = 15;
/**
 * The largest difference of medians this test accepts on the local stack. A known address costs
 * one conditional DynamoDB write and one SES call more than an unknown one; on loopback that is a
 * few milliseconds, so 50 ms catches a real difference without failing on a busy machine.
 */
const MAX_MEDIAN_DIFFERENCE_MS = 50;
/** As in the review's reproduction: 40 refused passkey answers per side. */
const PASSKEY_TRIES = 40;

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
    destination: parameters["destination"],
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
    const expiry = (round: Round) => Date.parse(parametersOf(round)["expiresAt"] ?? "");
    assert.ok(Math.abs(expiry(unknownRound) - expiry(knownRound)) < 5000, "both codes expire a code lifetime from now");
    assert.equal(driver.messagesTo(unknown).length, 0);
  });

  /** A code round's public parameters, field by field, with expiresAt as the time left (both are a code lifetime). */
  function fields(round: Round): Record<string, string | boolean> {
    const { expiresAt, ...rest } = parametersOf(round);
    const left = Date.parse(expiresAt ?? "") - Date.now();
    return { ...rest, expiresInAboutFiveMinutes: Math.abs(left - 5 * 60_000) < 10_000 };
  }

  // The four reproductions of the security review, each compared field by field: the destination
  // is a function of what was typed and the chosen method, never of the account.
  it("without ClientMetadata.login, a real account's round and an unknown one's are equal field by field (no made-up address)", async () => {
    const { driver } = world;
    const known = world.newEmail("alice");
    await driver.signUp(known);
    const withoutLogin = async (login: string) => driver.answer(await driver.start(login), login, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" });
    const real = fields(await withoutLogin(known));
    const unknown = fields(await withoutLogin(world.newEmail("nobody")));
    assert.deepEqual(unknown, real);
    assert.equal(real["destination"], "your email address");
  });

  it("a login typed in capitals is masked as typed, for a real account as for an unknown one: the stored case shows nowhere", async () => {
    const { driver } = world;
    const stored = world.newEmail("alice");
    await driver.signUp(stored);
    const typed = stored.toUpperCase();
    // An unknown address that masks to the same letters, typed the same way.
    const absent = `A${stored.slice(1).toUpperCase().replace("@EXAMPLE.COM", "X@EXAMPLE.COM")}`;
    const real = fields(await driver.codeRound(typed, "EMAIL_OTP", { login: typed }));
    const unknown = fields(await driver.codeRound(absent, "EMAIL_OTP", { login: absent }));
    assert.equal(real["destination"], maskEmail(typed));
    assert.deepEqual(unknown, real);
  });

  it("typing a phone number and choosing an email code shows a fixed wording, the same for a real account and an unknown number", async () => {
    const { driver } = world;
    const email = `carol.${process.pid}@company.co.uk`;
    const phone = world.newUkPhone();
    await driver.signUp(email, phone);
    const real = fields(await driver.codeRound(phone, "EMAIL_OTP", { login: phone }));
    const absentPhone = world.newUkPhone();
    const unknown = fields(await driver.codeRound(absentPhone, "EMAIL_OTP", { login: absentPhone }));
    assert.deepEqual(unknown, real);
    assert.equal(real["destination"], "your email address", "no domain of the account's email");
  });

  it("typing an email and choosing an SMS code shows a fixed wording: none of the real number's digits, the same as for an unknown address", async () => {
    const { driver } = world;
    const email = world.newEmail("uk-user");
    const phone = world.newUkPhone();
    await driver.signUp(email, phone);
    const real = fields(await driver.codeRound(email, "SMS_OTP", { login: email }));
    const unknownEmail = world.newEmail("nobody");
    const unknown = fields(await driver.codeRound(unknownEmail, "SMS_OTP", { login: unknownEmail }));
    assert.deepEqual(unknown, real);
    assert.equal(real["destination"], "your phone number");
    assert.doesNotMatch(String(real["destination"]), /\d/, "no digit of the account's number");
  });

  it("a login of the chosen channel's kind is masked as typed, known or not", async () => {
    const { driver } = world;
    const knownEmail = world.newEmail("typed");
    const knownPhone = world.newUkPhone();
    await driver.signUp(knownEmail, knownPhone);
    const destination = async (login: string, method: "EMAIL_OTP" | "SMS_OTP") => parametersOf(await driver.codeRound(login, method, { login }))["destination"];
    assert.equal(await destination(knownEmail, "EMAIL_OTP"), maskEmail(knownEmail));
    assert.equal(await destination(knownPhone, "SMS_OTP"), maskPhone(knownPhone));
    const unknownEmail = world.newEmail("typo");
    const unknownPhone = world.newUkPhone();
    assert.equal(await destination(unknownEmail, "EMAIL_OTP"), maskEmail(unknownEmail));
    assert.equal(await destination(unknownPhone, "SMS_OTP"), maskPhone(unknownPhone));
  });

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

describe("refused passkey answers for known and unknown users", () => {
  let world: FaultWorld;
  before(async () => {
    // The fault world's proxy in front of DynamoDB records every request; no fault is injected here.
    world = await startFaultWorld();
  });
  after(() => world?.stop());

  it(`cost the same DynamoDB requests (counted) and the same time (|Δ median| < ${MAX_MEDIAN_DIFFERENCE_MS} ms over ${PASSKEY_TRIES} interleaved tries)`, async (t) => {
    const { driver, proxies } = world;
    const known = world.newEmail("passkey-owner");
    await driver.signUp(known);
    await enrolPasskey(driver, known, authenticatorFor(world.stack));
    const unknown = world.newEmail("passkey-nobody");
    // A passkey nobody enrolled, answering for both: what someone probing for accounts would send.
    const prober = authenticatorFor(world.stack);

    const requests = { known: [] as string[][], unknown: [] as string[][] };
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let index = 0; index <= PASSKEY_TRIES; index++) {
      const order = index % 2 === 0 ? (["known", "unknown"] as const) : (["unknown", "known"] as const);
      for (const side of order) {
        const login = side === "known" ? known : unknown;
        const started = await driver.start(login);
        const assertion = JSON.stringify(prober.authenticate(requestOptionsOf(started)));
        const mark = proxies.dynamodb.requests.length;
        const answered = await timed(() => driver.answer(started, login, assertion, { signInMethod: "PASSKEY" }));
        assert.equal((answered.error as Error | undefined)?.name, "NotAuthorizedException", `the ${side} user's answer is refused`);
        await proxies.dynamodb.settled();
        if (index === 0) continue;
        requests[side].push(proxies.dynamodb.requests.slice(mark).map((request) => request.operation));
        times[side].push(answered.ms);
      }
    }
    assert.deepEqual(requests.known[0], ["GetItem"], "a known user's refused answer reads the credential it names");
    assert.deepEqual(requests.unknown, requests.known, "an unknown user's refused answer makes the same requests");
    const knownMedian = median(times.known);
    const unknownMedian = median(times.unknown);
    t.diagnostic(`refused passkey answer median over ${PASSKEY_TRIES} each: known ${knownMedian.toFixed(1)} ms, unknown ${unknownMedian.toFixed(1)} ms`);
    assert.ok(
      Math.abs(knownMedian - unknownMedian) < MAX_MEDIAN_DIFFERENCE_MS,
      `median known ${knownMedian.toFixed(1)} ms vs unknown ${unknownMedian.toFixed(1)} ms`,
    );
  });
});
