/**
 * Attacks on code sign-in, end to end: an attacker with the real AWS SDK against the local stack
 * (the real built triggers, the table, the outbox). Each row is one attack, named for what it
 * tries, and asserts what the attacker gets back (errors by name and message, rounds, never
 * tokens), what reached the victim's mailbox or phone, and what the functions logged.
 *
 * Limits are small here (attack-stack.ts: 2 codes per user and address, 3 per address, 3 attempts
 * per code) so a limit is reached in a few calls; the bound below is computed from them.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { maskEmail } from "../../lib/mask.ts";
import { type AttackWorld, startAttackWorld } from "../support/attack-stack.ts";
import { type CodeMethod, type Round, parametersOf } from "../support/attack-sign-in.ts";
import type { LogLine } from "../support/attack-logs.ts";

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const USED_SESSION = { name: "NotAuthorizedException", message: "Invalid session for the user." };
const VERIFY = "verify-auth-challenge-response";
const CREATE = "create-auth-challenge";

interface Attack {
  readonly name: string;
  run(world: AttackWorld): Promise<void>;
}

/** A code round as the app sees it: its type, where the code went (masked), and nothing else that varies. */
function assertCodeRound(round: Round, method: CodeMethod): Record<string, string> {
  const parameters = parametersOf(round);
  assert.equal(round.AuthenticationResult, undefined, "no tokens");
  assert.deepEqual(Object.keys(parameters).sort(), ["codeLength", "destination", "expiresAt", "type"]);
  assert.equal(parameters["type"], method);
  assert.equal(parameters["codeLength"], "6");
  assert.ok(Date.parse(parameters["expiresAt"] ?? "") > Date.now(), "expiresAt is a future ISO 8601 time");
  return parameters;
}

/** Verify's verdicts on code answers since the mark (the first round's method choice left out). */
function codeVerdicts(lines: readonly LogLine[]): LogLine[] {
  return lines.filter((line) => line["service"] === VERIFY && line.message === "Answer rejected" && line["round"] !== "SELECT_METHOD");
}

function decoys(lines: readonly LogLine[], reason: string): LogLine[] {
  return lines.filter((line) => line["service"] === CREATE && line.message === "No code sent: decoy round" && line["reason"] === reason);
}

const ATTACKS: Attack[] = [
  {
    name: "guessing codes across many sessions and both addresses is held to attempts × codes per window × addresses",
    async run({ driver, limits, logs, newEmail, newUkPhone }) {
      const email = newEmail("guessed");
      const phone = newUkPhone();
      await driver.signUp(email, phone);
      const addressOf: Record<CodeMethod, string> = { EMAIL_OTP: email, SMS_OTP: phone };
      // README, Security: "2 addresses × 5 codes × 3 guesses" at the defaults.
      const codesPerAddress = Math.min(limits.perUser, limits.perDestination);
      const bound = 2 * codesPerAddress * limits.attemptsPerCode;
      const sessionsPerMethod = codesPerAddress + 2;
      const seen: Record<CodeMethod, Set<string>> = { EMAIL_OTP: new Set(), SMS_OTP: new Set() };
      const mark = logs.mark();
      let guesses = 0;

      for (let session = 0; session < sessionsPerMethod; session++) {
        for (const method of ["EMAIL_OTP", "SMS_OTP"] as const) {
          let round: Round = await driver.codeRound(email, method);
          const { destination, codeLength, type } = assertCodeRound(round, method);
          seen[method].add(`${type} ${destination} ${codeLength}`);
          for (let attempt = 1; attempt <= limits.attemptsPerCode; attempt++) {
            const guess = driver.wrongCode(addressOf[method], guesses++);
            if (attempt < limits.attemptsPerCode) {
              round = await driver.answer(round, email, guess);
              assertCodeRound(round, method);
            } else {
              await assert.rejects(driver.answer(round, email, guess), INCORRECT, "the last attempt ends the session");
            }
          }
        }
      }

      await logs.settle();
      const lines = logs.since(mark);
      const verdicts = codeVerdicts(lines);
      assert.equal(verdicts.length, guesses, "every guess was judged");
      const evaluated = verdicts.filter((line) => line["reason"] === "wrong_code").length;
      assert.ok(evaluated <= bound, `${evaluated} guesses were compared with a real code; the bound is ${bound}`);
      assert.equal(evaluated, bound, "each code that was sent took its full number of attempts, and no more");
      assert.equal(verdicts.filter((line) => line["reason"] === "no_code_sent").length, guesses - bound, "the rest met decoy rounds");
      assert.equal(decoys(lines, "rate_limited").length, 2 * (sessionsPerMethod - codesPerAddress));
      assert.equal(driver.messagesTo(email).length, codesPerAddress, "the mailbox got only the codes within the limit");
      assert.equal(driver.messagesTo(phone).length, codesPerAddress, "and so did the phone");
      assert.equal(seen.EMAIL_OTP.size, 1, `every email round looked the same: ${[...seen.EMAIL_OTP].join(" | ")}`);
      assert.equal(seen.SMS_OTP.size, 1, `every SMS round looked the same: ${[...seen.SMS_OTP].join(" | ")}`);
    },
  },
  {
    name: "a code that already signed in works neither on its spent session nor in a new sign-in",
    async run({ driver, newEmail }) {
      const email = newEmail("reused");
      await driver.signUp(email);
      const codeRound = await driver.codeRound(email, "EMAIL_OTP");
      const code = driver.latestCode(email);
      const signedIn = await driver.answer(codeRound, email, code);
      assert.ok(signedIn.AuthenticationResult?.IdToken, "the owner signs in with it once");

      await assert.rejects(driver.answer(codeRound, email, code), USED_SESSION, "the session that carried it is spent");
      const next = await driver.codeRound(email, "EMAIL_OTP");
      assert.notEqual(driver.latestCode(email), code, "the new sign-in sent a new code");
      assertCodeRound(await driver.answer(next, email, code), "EMAIL_OTP");
    },
  },
  {
    name: "a code sent for one session is wrong in another session of the same user",
    async run({ driver, newEmail }) {
      const email = newEmail("crossed");
      await driver.signUp(email);
      const first = await driver.codeRound(email, "EMAIL_OTP");
      const firstCode = driver.latestCode(email);
      const second = await driver.codeRound(email, "EMAIL_OTP");
      const secondCode = driver.latestCode(email);
      assert.notEqual(firstCode, secondCode);

      const secondRetry = await driver.answer(second, email, firstCode);
      assertCodeRound(secondRetry, "EMAIL_OTP");
      assertCodeRound(await driver.answer(first, email, secondCode), "EMAIL_OTP");
      // The codes were real: each still opens its own session.
      const done = await driver.answer(secondRetry, email, secondCode);
      assert.ok(done.AuthenticationResult?.IdToken);
    },
  },
  {
    name: "SKIP, a method name or PASSKEY sent where a code is due are wrong answers that use up the attempts",
    async run({ driver, logs, newEmail }) {
      const email = newEmail("skipper");
      await driver.signUp(email);
      const mark = logs.mark();
      let round: Round = await driver.codeRound(email, "EMAIL_OTP");
      round = await driver.answer(round, email, "SKIP", { registerPasskey: "true" });
      assertCodeRound(round, "EMAIL_OTP");
      round = await driver.answer(round, email, "EMAIL_OTP", { signInMethod: "EMAIL_OTP" });
      assertCodeRound(round, "EMAIL_OTP");
      await assert.rejects(driver.answer(round, email, "PASSKEY", { signInMethod: "PASSKEY" }), INCORRECT);

      await logs.settle();
      assert.deepEqual(
        codeVerdicts(logs.since(mark)).map((line) => line["reason"]),
        ["malformed_answer", "malformed_answer", "malformed_answer"],
      );
      assert.equal(driver.messagesTo(email).length, 1, "the retries sent nothing new");
    },
  },
  {
    name: "client metadata asking for tokens or an enrolment cannot skip the code round",
    async run({ driver, newEmail }) {
      const email = newEmail("metadata");
      await driver.signUp(email);
      const skipAsks = { registerPasskey: "true", issueTokens: "true", answerCorrect: "true", challengeResult: "true" };
      const started = await driver.start(email);
      const codeRound = await driver.answer(started, email, "EMAIL_OTP", { signInMethod: "EMAIL_OTP", ...skipAsks });
      assertCodeRound(codeRound, "EMAIL_OTP");
      const retry = await driver.answer(codeRound, email, driver.wrongCode(email), { signInMethod: "PASSKEY", ...skipAsks });
      assertCodeRound(retry, "EMAIL_OTP");
    },
  },
  {
    name: "client metadata sent with InitiateAuth never reaches the triggers: the first round is always SELECT_METHOD",
    async run({ driver, newEmail }) {
      const email = newEmail("early");
      await driver.signUp(email);
      const started = await driver.start(email, { signInMethod: "EMAIL_OTP", registerPasskey: "true", issueTokens: "true" });
      assert.equal(parametersOf(started)["type"], "SELECT_METHOD");
      assert.equal(driver.messagesTo(email).length, 0, "no code was sent before a method was chosen");
    },
  },
  {
    name: "answering the method round with no method, or one that does not exist, ends the sign-in",
    async run({ driver, newEmail }) {
      const email = newEmail("nomethod");
      await driver.signUp(email);
      await assert.rejects(driver.answer(await driver.start(email), email, "SKIP", { registerPasskey: "true" }), INCORRECT);
      await assert.rejects(driver.answer(await driver.start(email), email, "MAGIC_LINK", { signInMethod: "MAGIC_LINK" }), INCORRECT);
      assert.equal(driver.messagesTo(email).length, 0);
    },
  },
  {
    name: "SMS to a country not allowed: the round looks like any other, nothing is sent, the reason is logged",
    async run({ driver, logs, newEmail }) {
      const email = newEmail("abroad");
      const phone = "+33612345678";
      await driver.signUp(email, phone);
      const mark = logs.mark();
      const round = await driver.codeRound(email, "SMS_OTP");
      const parameters = assertCodeRound(round, "SMS_OTP");
      assert.equal(parameters["destination"], "your phone number", "what any round shows for an email typed and an SMS chosen");
      assertCodeRound(await driver.answer(round, email, "123456"), "SMS_OTP");
      assert.equal(driver.messagesTo(phone).length, 0, "no SMS left");
      await logs.waitFor(mark, (line) => line["service"] === CREATE && line["reason"] === "sms_country_not_allowed");
    },
  },
  {
    name: "past the per-user limit the round looks the same, nothing is sent, and no code is accepted",
    async run({ driver, limits, logs, table, newEmail }) {
      const email = newEmail("limited");
      const userName = await driver.signUp(email);
      const rounds: Record<string, string>[] = [];
      for (let sent = 0; sent < limits.perUser; sent++) rounds.push(assertCodeRound(await driver.codeRound(email, "EMAIL_OTP"), "EMAIL_OTP"));
      const lastRealCode = driver.latestCode(email);
      const mark = logs.mark();
      const limited = await driver.codeRound(email, "EMAIL_OTP");
      const parameters = assertCodeRound(limited, "EMAIL_OTP");
      assert.equal(parameters["destination"], rounds[0]?.["destination"], "the same masked address as the real rounds");
      assert.equal(parameters["destination"], maskEmail(email));
      assert.equal(driver.messagesTo(email).length, limits.perUser, "no message past the limit");
      assertCodeRound(await driver.answer(limited, email, lastRealCode), "EMAIL_OTP");
      const decoy = await logs.waitFor(mark, (line) => line["service"] === CREATE && line["reason"] === "rate_limited");
      assert.equal(decoy["scope"], "user");
      assert.deepEqual(await table.sendCounters("email", email, userName, limits.windowSeconds), { toAddress: limits.perUser, forUser: limits.perUser });
    },
  },
  {
    name: "the per-address limit holds across accounts: a new account at the same address inherits its count",
    async run({ driver, limits, logs, table, newEmail }) {
      const email = newEmail("shared");
      const first = await driver.signUp(email);
      for (let sent = 0; sent < limits.perUser; sent++) assertCodeRound(await driver.codeRound(email, "EMAIL_OTP"), "EMAIL_OTP");
      await driver.deleteUser(first);
      const second = await driver.signUp(email);
      const allowed = limits.perDestination - limits.perUser;
      for (let sent = 0; sent < allowed; sent++) assertCodeRound(await driver.codeRound(email, "EMAIL_OTP"), "EMAIL_OTP");
      assert.equal(driver.messagesTo(email).length, limits.perDestination);

      const mark = logs.mark();
      assertCodeRound(await driver.codeRound(email, "EMAIL_OTP"), "EMAIL_OTP");
      assert.equal(driver.messagesTo(email).length, limits.perDestination, "the address got no more than its limit");
      const decoy = await logs.waitFor(mark, (line) => line["service"] === CREATE && line["reason"] === "rate_limited");
      assert.equal(decoy["scope"], "destination", "the address's limit, not the new account's own");
      assert.deepEqual(await table.sendCounters("email", email, second, limits.windowSeconds), { toAddress: limits.perDestination, forUser: allowed });
    },
  },
];

describe("attacks on code sign-in", () => {
  let world: AttackWorld;
  before(async () => {
    world = await startAttackWorld();
  });
  after(() => world?.stop());

  for (const attack of ATTACKS) it(attack.name, () => attack.run(world));
});
