/**
 * Attacks on passkey sign-in and enrolment, end to end against the local stack with the soft
 * authenticator standing in for a browser. The victim and the attacker each have a passkey
 * enrolled the way the README describes; each row is one attack and asserts what the attacker
 * gets (never tokens), what the functions logged, and that the victim's stored passkey is untouched.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { type AttackWorld, startAttackWorld } from "../support/attack-stack.ts";
import { authenticatorFor, enrolPasskey, requestOptionsOf } from "../support/attack-passkeys.ts";
import { parametersOf } from "../support/attack-sign-in.ts";
import type { LogLine } from "../support/attack-logs.ts";
import { tokenVerifiers } from "../support/local-stack.ts";
import { SKIP_REGISTRATION_ANSWER } from "@cognito-passwordless/protocol";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const VERIFY = "verify-auth-challenge-response";

interface Cast {
  readonly victim: { readonly email: string; readonly userName: string; readonly authenticator: SoftAuthenticator };
  readonly attacker: { readonly email: string; readonly authenticator: SoftAuthenticator };
  /** An assertion the victim's passkey made for a sign-in that succeeded: what a replay would reuse. */
  readonly usedAssertion: AuthenticationResponseJSON;
}

interface PasskeyAttack {
  readonly name: string;
  run(world: AttackWorld, cast: Cast): Promise<void>;
}

/** Starts a sign-in as `login` and answers SELECT_METHOD with whatever the attacker makes of its options. */
async function answerPasskeyRound(world: AttackWorld, login: string, make: (options: PublicKeyCredentialRequestOptionsJSON) => unknown) {
  const started = await world.driver.start(login);
  return world.driver.answer(started, login, JSON.stringify(make(requestOptionsOf(started))), { signInMethod: "PASSKEY" });
}

function rejection(reason: string) {
  return (line: LogLine) => line["service"] === VERIFY && line.message === "Answer rejected" && line["reason"] === reason;
}

/** Refused, logged with `reason`, and the victim's stored counter unchanged. */
async function assertRefused(world: AttackWorld, cast: Cast, attempt: () => Promise<unknown>, reason: string): Promise<LogLine> {
  const counterBefore = await world.table.passkeyCounter(cast.victim.authenticator.credentialId);
  const mark = world.logs.mark();
  await assert.rejects(attempt(), INCORRECT);
  const line = await world.logs.waitFor(mark, rejection(reason));
  assert.equal(await world.table.passkeyCounter(cast.victim.authenticator.credentialId), counterBefore, "the victim's stored counter did not move");
  return line;
}

const ATTACKS: PasskeyAttack[] = [
  {
    name: "an assertion replayed from an earlier sign-in is refused in a new session",
    async run(world, cast) {
      const mark = world.logs.mark();
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, () => cast.usedAssertion), "verification_failed");
      const refused = await world.logs.waitFor(mark, (line) => line.message === "Passkey assertion refused");
      assert.match(String(refused["check"]), /challenge/i, "the log names the failed check");
    },
  },
  {
    name: "an assertion made on another origin is refused",
    async run(world, cast) {
      const mark = world.logs.mark();
      const phished = (options: PublicKeyCredentialRequestOptionsJSON) =>
        cast.victim.authenticator.authenticate(options, { origin: "https://login.evil.example" });
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, phished), "verification_failed");
      const refused = await world.logs.waitFor(mark, (line) => line.message === "Passkey assertion refused");
      assert.match(String(refused["check"]), /origin/i);
    },
  },
  {
    name: "an assertion made for another relying party id is refused",
    async run(world, cast) {
      const mark = world.logs.mark();
      const elsewhere = (options: PublicKeyCredentialRequestOptionsJSON) => cast.victim.authenticator.authenticate(options, { rpId: "evil.example" });
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, elsewhere), "verification_failed");
      const refused = await world.logs.waitFor(mark, (line) => line.message === "Passkey assertion refused");
      assert.match(String(refused["check"]), /RP ID/i);
    },
  },
  {
    name: "a signature counter that went backwards (a cloned authenticator) is refused and logged as a warning",
    async run(world, cast) {
      const { authenticator } = cast.victim;
      const stored = await world.table.passkeyCounter(authenticator.credentialId);
      assert.ok(stored !== undefined && stored >= 1, "the victim's passkey has counted at least one use");
      const mark = world.logs.mark();
      const clone = (options: PublicKeyCredentialRequestOptionsJSON) => authenticator.authenticate(options, { counter: stored - 1 });
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, clone), "counter_regression");
      const warning = await world.logs.waitFor(mark, (line) => line.level === "WARN" && /counter did not move forward/.test(line.message));
      assert.equal(warning["credentialId"], authenticator.credentialId);
      assert.equal(warning["receivedCounter"], stored - 1);

      // The real authenticator, counting on, still signs in: the refusal locked nobody out.
      const done = await answerPasskeyRound(world, cast.victim.email, (options) => authenticator.authenticate(options));
      assert.ok(done.AuthenticationResult?.IdToken);
      assert.equal(await world.table.passkeyCounter(authenticator.credentialId), authenticator.counter);
    },
  },
  {
    name: "the attacker's own valid passkey cannot sign in as the victim, even claiming the victim's user handle",
    async run(world, cast) {
      const own = cast.attacker.authenticator;
      await assertRefused(
        world,
        cast,
        () => answerPasskeyRound(world, cast.victim.email, (options) => own.authenticate(options)),
        "credential_of_another_user",
      );
      const forged = (options: PublicKeyCredentialRequestOptionsJSON) =>
        own.authenticate(options, { userHandle: cast.victim.authenticator.userHandle ?? null });
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, forged), "credential_of_another_user");
    },
  },
  {
    name: "a passkey the pool never enrolled is refused",
    async run(world, cast) {
      const stranger = authenticatorFor(world.stack);
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, (options) => stranger.authenticate(options)), "unknown_credential");
    },
  },
  {
    name: "a registration answer sent to the sign-in round is refused and stores nothing",
    async run(world, cast) {
      const newcomer = authenticatorFor(world.stack);
      const registration = (options: PublicKeyCredentialRequestOptionsJSON) =>
        newcomer.register({
          challenge: options.challenge,
          rp: { id: options.rpId ?? "localhost", name: "Passwordless sign-in" },
          user: { id: Buffer.from("attacker-chosen").toString("base64url"), name: cast.victim.email, displayName: cast.victim.email },
          pubKeyCredParams: [{ type: "public-key", alg: -7 }],
        } satisfies PublicKeyCredentialCreationOptionsJSON);
      await assertRefused(world, cast, () => answerPasskeyRound(world, cast.victim.email, registration), "malformed_answer");
      assert.equal(await world.table.passkeyCounter(newcomer.credentialId), undefined, "no credential was stored");
    },
  },
  {
    name: "a sign-in assertion sent to the enrolment round enrols nothing and proves nothing more",
    async run(world, cast) {
      const { driver, stack, table, logs } = world;
      const email = world.newEmail("enroller");
      const userName = await driver.signUp(email);
      const codeRound = await driver.codeRound(email, "EMAIL_OTP");
      const enrolment = await driver.answer(codeRound, email, driver.latestCode(email), { registerPasskey: "true" });
      const { challenge } = JSON.parse(parametersOf(enrolment)["options"] ?? "{}") as PublicKeyCredentialCreationOptionsJSON;
      // A real, enrolled passkey (the attacker's) signing the enrolment challenge as if it were a sign-in.
      const attackerCounter = await table.passkeyCounter(cast.attacker.authenticator.credentialId);
      const assertion = cast.attacker.authenticator.authenticate({ challenge, rpId: "localhost" });
      const mark = logs.mark();
      const again = await driver.answer(enrolment, email, JSON.stringify(assertion));
      assert.equal(again.AuthenticationResult, undefined, "no tokens for it");
      assert.equal(parametersOf(again)["type"], "PASSKEY_REGISTRATION", "the enrolment round is offered again");
      await logs.waitFor(mark, rejection("malformed_answer"));
      assert.deepEqual(await table.passkeysOf(userName), [], "nothing was enrolled");
      assert.equal(await table.passkeyCounter(cast.attacker.authenticator.credentialId), attackerCounter);

      const done = await driver.answer(again, email, "SKIP");
      const claims = await tokenVerifiers(stack.config).id.verify(done.AuthenticationResult?.IdToken ?? "");
      assert.equal(claims["auth_methods"], "email_otp", "the tokens claim the code only, not a passkey");
    },
  },
  {
    name: "a passkey its owner removed, enrolled again inside a sign-in, is refused: the round is offered again, nothing stays behind, nobody is told",
    async run(world) {
      const { driver, stack } = world;
      const email = world.newEmail("re-enrol");
      const userName = await driver.signUp(email);
      const removed = authenticatorFor(stack);
      const enrolled = await enrolPasskey(driver, email, removed);
      const deleted = await fetch(`${stack.passkeyApiUrl}/passkeys/${removed.credentialId}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${enrolled.AuthenticationResult?.AccessToken ?? ""}` },
        signal: AbortSignal.timeout(4000),
      });
      assert.equal(deleted.status, 204, "the owner removes it through the passkey API");
      const messagesBefore = driver.messagesTo(email).length;

      // A code, then the enrolment round answered by the very same credential.
      const codeRound = await driver.codeRound(email, "EMAIL_OTP");
      const registration = await driver.answer(codeRound, email, driver.latestCode(email), { registerPasskey: "true" });
      const options = JSON.parse(parametersOf(registration)["options"] ?? "{}") as PublicKeyCredentialCreationOptionsJSON;
      const mark = world.logs.mark();
      const again = await driver.answer(registration, email, JSON.stringify(removed.register(options)));
      assert.equal(parametersOf(again)["type"], "PASSKEY_REGISTRATION", "a refused registration is offered again, never a lock-out");
      await world.logs.waitFor(mark, rejection("credential_already_registered"));
      const skipped = await driver.answer(again, email, SKIP_REGISTRATION_ANSWER);
      assert.ok(skipped.AuthenticationResult?.IdToken, "SKIP still issues tokens");

      assert.deepEqual(await world.table.passkeysOf(userName), [], "no credential item is left behind");
      const record = await world.table.signInRecord(userName);
      const state = record?.[`passkey#${removed.credentialId}`] as Record<string, unknown> | undefined;
      assert.deepEqual(Object.keys(state ?? {}), ["revokedAt"], "its tombstone stays as it was: no fingerprint written over it");
      assert.equal(driver.messagesTo(email).length, messagesBefore + 1, "the code only: no notice of a passkey that was not added");
      await assert.rejects(
        answerPasskeyRound(world, email, (requestOptions) => removed.authenticate(requestOptions)),
        INCORRECT,
      );
    },
  },
];

describe("attacks on passkey sign-in", () => {
  let world: AttackWorld;
  let cast: Cast;

  before(async () => {
    world = await startAttackWorld();
    const victimEmail = world.newEmail("victim");
    const victimUser = await world.driver.signUp(victimEmail);
    const victimPasskey = authenticatorFor(world.stack);
    await enrolPasskey(world.driver, victimEmail, victimPasskey);
    let usedAssertion: AuthenticationResponseJSON | undefined;
    const signedIn = await answerPasskeyRound(world, victimEmail, (options) => (usedAssertion = victimPasskey.authenticate(options)));
    assert.ok(signedIn.AuthenticationResult?.IdToken && usedAssertion, "the victim signs in with the passkey");

    const attackerEmail = world.newEmail("attacker");
    await world.driver.signUp(attackerEmail);
    const attackerPasskey = authenticatorFor(world.stack);
    await enrolPasskey(world.driver, attackerEmail, attackerPasskey);
    cast = {
      victim: { email: victimEmail, userName: victimUser, authenticator: victimPasskey },
      attacker: { email: attackerEmail, authenticator: attackerPasskey },
      usedAssertion,
    };
  });
  after(() => world?.stop());

  for (const attack of ATTACKS) it(attack.name, () => attack.run(world, cast));
});
