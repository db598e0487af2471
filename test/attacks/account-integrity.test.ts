/**
 * Account integrity, end to end: the three findings of the security review, each replayed as the
 * attacker did it, with the real AWS SDK against the local stack (the built triggers, the table,
 * the outbox). README, "Security": one account, one owner; claims from this sign-in only; every
 * new passkey announced.
 *
 * Before the fixes, each of these ended with the attacker keeping or gaining access: the victim's
 * email code signed the victim into the attacker's account (and the attacker's phone and passkey
 * kept working there); a SKIP answered after someone else's passkey sign-in carried that sign-in's
 * claims; a passkey enrolled after one email code was announced to nobody.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { GetUserAttributeVerificationCodeCommand, GetUserCommand, SignUpCommand, VerifyUserAttributeCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { type AttackWorld, startAttackWorld } from "../support/attack-stack.ts";
import { authenticatorFor, enrolPasskey, requestOptionsOf } from "../support/attack-passkeys.ts";
import { type Round, parametersOf } from "../support/attack-sign-in.ts";
import type { LogLine } from "../support/attack-logs.ts";
import { tokenVerifiers } from "../support/local-stack.ts";

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const VERIFY = "verify-auth-challenge-response";
const CLAIM_SUBJECT = "Your code to claim this address";
const NOTICE_SUBJECT = /^A passkey was added to your (.+ )?account$/;

function rejection(reason: string) {
  return (line: LogLine) => line["service"] === VERIFY && line.message === "Answer rejected" && line["reason"] === reason;
}

describe("account integrity: one account, one owner", () => {
  let world: AttackWorld;
  before(async () => {
    world = await startAttackWorld();
  });
  after(() => world?.stop());

  /** The `sub` of the tokens a sign-in ended with. */
  async function subOf(done: Round): Promise<string> {
    const idToken = done.AuthenticationResult?.IdToken;
    assert.ok(idToken, "the sign-in issued tokens");
    return String((await tokenVerifiers(world.stack.config).id.verify(idToken)).sub);
  }

  /** Signs in with a code sent to `address` (the login), as its holder would. */
  async function codeSignIn(login: string, method: "EMAIL_OTP" | "SMS_OTP", address = login) {
    const round = await world.driver.codeRound(login, method);
    return world.driver.answer(round, login, world.driver.latestCode(address));
  }

  it("pre-registration: the victim never signs in to the attacker's account, gets the address back, and then has an account of their own", async () => {
    const { driver } = world;
    const victimEmail = world.newEmail("victim");
    const attackerPhone = world.newUkPhone();
    // The attacker signs up with the victim's email and their own phone, and proves the phone.
    const squatted = await driver.signUp(victimEmail, attackerPhone);
    const attackerPasskey = authenticatorFor(world.stack);
    // …and enrols a passkey with that first SMS code, the recovery path every account has.
    const smsRound = await driver.codeRound(attackerPhone, "SMS_OTP");
    const enrolment = await driver.answer(smsRound, attackerPhone, driver.latestCode(attackerPhone), { registerPasskey: "true" });
    const creation = JSON.parse(parametersOf(enrolment)["options"] ?? "{}") as PublicKeyCredentialCreationOptionsJSON;
    assert.equal(await subOf(await driver.answer(enrolment, attackerPhone, JSON.stringify(attackerPasskey.register(creation)))), squatted);

    // The victim signs in with their email: a code round like any other…
    const round = await driver.codeRound(victimEmail, "EMAIL_OTP");
    assert.deepEqual(Object.keys(parametersOf(round)).sort(), ["codeLength", "destination", "expiresAt", "type"]);
    // …whose message says it claims the address and does not sign in.
    const message = driver.messagesTo(victimEmail).at(-1);
    assert.equal(message?.subject, CLAIM_SUBJECT);
    assert.match(message?.body ?? "", /does not sign you in/);
    const mark = world.logs.mark();
    await assert.rejects(driver.answer(round, victimEmail, driver.latestCode(victimEmail)), INCORRECT, "the right claim code issues no tokens");
    await world.logs.waitFor(mark, (line) => line["service"] === VERIFY && line.message === "Claim code accepted: the address was released");

    // The address left the attacker's account; their phone and passkey reach only that account.
    const left = await driver.attributesOf(squatted);
    assert.equal(left["email"], undefined, "the email is no longer on the attacker's account");
    assert.equal(left["email_verified"], undefined);
    assert.equal(await subOf(await codeSignIn(attackerPhone, "SMS_OTP")), squatted);

    // The victim signs up with the freed address and signs in to an account of their own.
    const own = await driver.signUp(victimEmail);
    assert.notEqual(own, squatted);
    assert.equal(await subOf(await codeSignIn(victimEmail, "EMAIL_OTP")), own);
    assert.equal((await driver.attributesOf(own))["email_verified"], "true");

    // The attacker's passkey cannot sign in to it, and neither can the attacker's phone.
    const started = await driver.start(victimEmail);
    const mark2 = world.logs.mark();
    await assert.rejects(
      driver.answer(started, victimEmail, JSON.stringify(attackerPasskey.authenticate(requestOptionsOf(started))), { signInMethod: "PASSKEY" }),
      INCORRECT,
    );
    await world.logs.waitFor(mark2, rejection("credential_of_another_user"));
    const own2 = await driver.start(attackerPhone);
    const attackerAgain = await driver.answer(own2, attackerPhone, JSON.stringify(attackerPasskey.authenticate(requestOptionsOf(own2))), {
      signInMethod: "PASSKEY",
    });
    assert.equal(await subOf(attackerAgain), squatted, "the attacker's passkey signs in to the attacker's own account only");
  });

  it("a fresh account belongs to whoever proves an address first: the victim's code, answered second, signs nobody in", async () => {
    const { driver } = world;
    const victimEmail = world.newEmail("raced");
    const attackerPhone = world.newUkPhone();
    const squatted = await driver.signUp(victimEmail, attackerPhone);
    // Both rounds are issued while the account is still fresh: both carry a first-proof code.
    const victimRound = await driver.codeRound(victimEmail, "EMAIL_OTP");
    const victimCode = driver.latestCode(victimEmail);
    const attackerRound = await driver.codeRound(attackerPhone, "SMS_OTP");
    assert.equal(await subOf(await driver.answer(attackerRound, attackerPhone, driver.latestCode(attackerPhone))), squatted);

    const mark = world.logs.mark();
    const after = await driver.answer(victimRound, victimEmail, victimCode);
    assert.equal(after.AuthenticationResult, undefined, "no tokens for the second prover");
    await world.logs.waitFor(mark, rejection("account_owned_meanwhile"));
    const attributes = await driver.attributesOf(squatted);
    assert.equal(attributes["email_verified"], "false", "the email was not marked verified on the attacker's account");
    assert.equal(attributes["phone_number_verified"], "true");
  });

  it("the victim who proves first owns the account; the attacker's phone code then claims the phone off it and signs nobody in", async () => {
    const { driver } = world;
    const victimEmail = world.newEmail("first");
    const attackerPhone = world.newUkPhone();
    const account = await driver.signUp(victimEmail, attackerPhone);
    assert.equal(await subOf(await codeSignIn(victimEmail, "EMAIL_OTP")), account, "a fresh account's first code signs in");

    const round = await driver.codeRound(attackerPhone, "SMS_OTP");
    assert.match(driver.messagesTo(attackerPhone).at(-1)?.body ?? "", /does not sign you in/);
    await assert.rejects(driver.answer(round, attackerPhone, driver.latestCode(attackerPhone)), INCORRECT);
    const attributes = await driver.attributesOf(account);
    assert.equal(attributes["phone_number"], undefined, "the phone the victim never proved is gone from the victim's account");
    assert.equal(attributes["email_verified"], "true");
    assert.equal(await subOf(await codeSignIn(victimEmail, "EMAIL_OTP")), account);
  });

  it("a claim code for an address its owner confirmed in the meantime takes nothing away", async () => {
    const { driver } = world;
    const email = world.newEmail("two-addresses");
    const phone = world.newUkPhone();
    const account = await driver.signUp(email, phone);
    const signedIn = await codeSignIn(phone, "SMS_OTP");
    const round = await driver.codeRound(email, "EMAIL_OTP");
    const claimCode = driver.latestCode(email);
    // The owner confirms the email from inside the app before the claim code is entered.
    const accessToken = signedIn.AuthenticationResult?.AccessToken;
    await driver.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: "email" }));
    await driver.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: "email", Code: driver.latestCode(email) }));

    const mark = world.logs.mark();
    const answered = await driver.answer(round, email, claimCode);
    assert.equal(answered.AuthenticationResult, undefined);
    await world.logs.waitFor(mark, rejection("address_verified_meanwhile"));
    assert.equal((await driver.attributesOf(account))["email"], email, "the confirmed email stays");
  });
});

describe("account integrity: a second address is made usable from inside the app", () => {
  let world: AttackWorld;
  before(async () => {
    world = await startAttackWorld();
  });
  after(() => world?.stop());

  it("a user who proved their phone confirms the email they also gave (Cognito's own calls), then signs in with it to the same account", async () => {
    const { driver } = world;
    const email = world.newEmail("second-address");
    const phone = world.newUkPhone();
    const account = await driver.signUp(email, phone);
    const phoneRound = await driver.codeRound(phone, "SMS_OTP");
    const signedIn = await driver.answer(phoneRound, phone, driver.latestCode(phone));
    const accessToken = signedIn.AuthenticationResult?.AccessToken;
    assert.ok(accessToken);

    // README, "Security": GetUserAttributeVerificationCode, then VerifyUserAttribute with the code.
    const delivery = await driver.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: "email" }));
    assert.equal(delivery.CodeDeliveryDetails?.DeliveryMedium, "EMAIL");
    await driver.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: "email", Code: driver.latestCode(email) }));
    const user = await driver.client.send(new GetUserCommand({ AccessToken: accessToken }));
    assert.equal(user.UserAttributes?.find((attribute) => attribute.Name === "email_verified")?.Value, "true");

    const round = await driver.codeRound(email, "EMAIL_OTP");
    assert.equal(driver.messagesTo(email).at(-1)?.subject, "Your sign-in code", "an ordinary sign-in code now");
    const done = await driver.answer(round, email, driver.latestCode(email));
    const claims = await tokenVerifiers(world.stack.config).id.verify(done.AuthenticationResult?.IdToken ?? "");
    assert.equal(claims.sub, account);
    assert.equal(claims["auth_methods"], "email_otp");
  });

  it("signing up again with a held address is refused by Cognito itself (the app goes on to sign in, README)", async () => {
    const { driver } = world;
    const email = world.newEmail("held");
    await driver.signUp(email);
    await assert.rejects(
      driver.client.send(
        new SignUpCommand({
          ClientId: world.stack.config.clientId,
          Username: email,
          Password: "Aa1!aaaaaaaaaaaaaaaaaaaaaa",
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      ),
      { name: "UsernameExistsException" },
    );
  });
});

describe("claims from this sign-in only", () => {
  let world: AttackWorld;
  // Each test's own user (its passkey enrolled with one email code), so no test meets another's send limit.
  let email: string;
  let passkey: ReturnType<typeof authenticatorFor>;
  before(async () => {
    world = await startAttackWorld();
  });
  beforeEach(async () => {
    email = world.newEmail("claims");
    await world.driver.signUp(email);
    // A synced platform passkey: its signed backup-eligibility flag earns swk.
    passkey = authenticatorFor(world.stack, { synced: true });
    await enrolPasskey(world.driver, email, passkey);
  });
  after(() => world?.stop());

  async function claimsOf(done: Round) {
    const verifiers = tokenVerifiers(world.stack.config);
    return {
      id: await verifiers.id.verify(done.AuthenticationResult?.IdToken ?? ""),
      access: await verifiers.access.verify(done.AuthenticationResult?.AccessToken ?? ""),
    };
  }

  async function passkeySignIn(clientMetadata: Record<string, string> = {}) {
    const started = await world.driver.start(email);
    return world.driver.answer(started, email, JSON.stringify(passkey.authenticate(requestOptionsOf(started))), {
      signInMethod: "PASSKEY",
      ...clientMetadata,
    });
  }

  it("a mailbox holder's SKIP, answered after the owner's passkey sign-in, carries only the email code's claims", async () => {
    const { driver } = world;
    // The mailbox holder enters the code and leaves the enrolment round open.
    const round = await driver.codeRound(email, "EMAIL_OTP");
    const open = await driver.answer(round, email, driver.latestCode(email), { registerPasskey: "true" });
    assert.equal(parametersOf(open)["type"], "PASSKEY_REGISTRATION");
    // The owner signs in with the passkey meanwhile.
    const owner = await claimsOf(await passkeySignIn());
    assert.equal(owner.id["auth_methods"], "swk");
    assert.equal(owner.id["auth_level"], "urn:cognito:loa:3");

    const skipped = await claimsOf(await driver.answer(open, email, "SKIP"));
    for (const token of [skipped.id, skipped.access]) {
      assert.equal(token["auth_methods"], "email_otp");
      assert.equal(token["auth_level"], "urn:cognito:loa:2");
    }
  });

  it("the owner's SKIP after a passkey sign-in, answered after someone's email code sign-in, keeps the passkey's claims", async () => {
    const { driver } = world;
    const open = await passkeySignIn({ registerPasskey: "true" });
    assert.equal(parametersOf(open)["type"], "PASSKEY_REGISTRATION");
    const other = await claimsOf(await codeSignInOf(email));
    assert.equal(other.id["auth_level"], "urn:cognito:loa:2");

    const skipped = await claimsOf(await driver.answer(open, email, "SKIP"));
    for (const token of [skipped.id, skipped.access]) {
      assert.equal(token["auth_methods"], "swk");
      assert.equal(token["auth_level"], "urn:cognito:loa:3");
    }
  });

  it("garbage answered to every enrolment attempt still ends with the session's own claims, not the latest sign-in's", async () => {
    const { driver } = world;
    const round = await driver.codeRound(email, "EMAIL_OTP");
    let open: Round = await driver.answer(round, email, driver.latestCode(email), { registerPasskey: "true" });
    await passkeySignIn();
    // Define issues tokens after the last failed attempt: that attempt records the session's code.
    for (;;) {
      open = await driver.answer(open, email, "{}");
      if (open.AuthenticationResult !== undefined) break;
      assert.equal(parametersOf(open)["type"], "PASSKEY_REGISTRATION");
    }
    const claims = await claimsOf(open);
    assert.equal(claims.id["auth_methods"], "email_otp");
    assert.equal(claims.id["auth_level"], "urn:cognito:loa:2");
  });

  async function codeSignInOf(login: string) {
    const round = await world.driver.codeRound(login, "EMAIL_OTP");
    return world.driver.answer(round, login, world.driver.latestCode(login));
  }
});

describe("every new passkey announced", () => {
  let world: AttackWorld;
  before(async () => {
    world = await startAttackWorld();
  });
  after(() => world?.stop());

  it("one email code, then the attacker's own passkey: exactly one notice reaches the account's verified email, naming the passkey, time and app", async () => {
    const { driver } = world;
    const email = world.newEmail("announced");
    await driver.signUp(email);
    await codeSignInFirst(email);
    const before = driver.messagesTo(email).length;
    const enrolledAt = Date.now();
    await enrolPasskey(driver, email, authenticatorFor(world.stack));

    const notices = driver
      .messagesTo(email)
      .slice(before)
      .filter((message) => NOTICE_SUBJECT.test(message.subject ?? ""));
    assert.equal(notices.length, 1, "exactly one notice");
    const body = notices[0]?.body ?? "";
    assert.match(body, /Passkey: .+/);
    assert.match(body, /When: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    const when = /When: (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC/.exec(body);
    const shown = Date.parse(`${when?.[1]}T${when?.[2]}:00Z`);
    assert.ok(Math.abs(shown - enrolledAt) < 2 * 60_000, "the notice gives the time of the enrolment, to the minute");
    assert.match(body, /If this was not you/);
    assert.doesNotMatch(body, /\b\d{6}\b/, "no code in a notice");
  });

  async function codeSignInFirst(email: string) {
    const round = await world.driver.codeRound(email, "EMAIL_OTP");
    const done = await world.driver.answer(round, email, world.driver.latestCode(email));
    assert.ok(done.AuthenticationResult?.IdToken);
  }
});
