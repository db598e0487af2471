/**
 * A signed-in user proving an email address or phone number with their access token. API reference
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/):
 * GetUserAttributeVerificationCode (a code to the attribute's value; CodeDeliveryDetails with the
 * destination masked, the medium and the attribute) and VerifyUserAttribute (the code back:
 * `<attribute>_verified` becomes "true"; CodeMismatchException, ExpiredCodeException). The token is
 * checked as GetUser checks it: an ID token, an expired or a revoked access token is
 * NotAuthorizedException.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  GetUserAttributeVerificationCodeCommand,
  RevokeTokenCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { OutboxMessage } from "@cognito-passwordless/local/outbox/outbox.ts";
import { signInDriver } from "../support/attack-sign-in.ts";
import { type LocalStack, startTestStack } from "../support/local-stack.ts";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, signUp, startSignIn } from "./sign-in-helpers.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The six-digit code in a message's body. */
function codeIn(message: { body: string } | undefined): string {
  const code = /\b(\d{6})\b/.exec(message?.body ?? "")?.[1];
  assert.ok(code, "the message holds a six-digit code");
  return code;
}

/** A six-digit code that is certainly not this one. */
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("attribute verification", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({ triggers: SIMPLE_FLOW });
  });
  after(() => fake.stop());
  const poolId = () => fake.pool.userPoolId;

  async function signIn(email: string) {
    const started = await startSignIn(fake.client, fake.pool.clientId, email);
    return (await answer(fake.client, fake.pool.clientId, started.Session, email, "42")).AuthenticationResult!;
  }
  async function attributesOf(username: string): Promise<Record<string, string>> {
    const user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: username }));
    return Object.fromEntries((user.UserAttributes ?? []).map((attribute) => [attribute.Name!, attribute.Value!]));
  }
  const requestCode = (accessToken: string, attributeName: string) =>
    fake.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attributeName }));
  const verify = (accessToken: string, attributeName: string, code: string) =>
    fake.client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attributeName, Code: code }));
  /** Asks for a code and reads it from the message the pool sent. */
  async function sentCode(accessToken: string, attributeName: string) {
    const sent = fake.delivered.length;
    const result = await requestCode(accessToken, attributeName);
    assert.equal(fake.delivered.length, sent + 1, "one message per request");
    return { result, message: fake.delivered.at(-1)!, code: codeIn(fake.delivered.at(-1)) };
  }

  it("emails a code to an unverified address, and VerifyUserAttribute with it marks the email verified", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "jane@example.com");
    const tokens = await signIn("jane@example.com");
    assert.equal((await attributesOf(sub))["email_verified"], "false");
    const { result, message, code } = await sentCode(tokens.AccessToken!, "email");
    assert.deepEqual(result.CodeDeliveryDetails, { Destination: "j***@e***.com", DeliveryMedium: "EMAIL", AttributeName: "email" });
    assert.equal(message.channel, "email");
    assert.equal(message.to, "jane@example.com");
    assert.ok(message.subject, "an email has a subject");
    const verified = await verify(tokens.AccessToken!, "email", code);
    assert.deepEqual(
      Object.keys(verified).filter((key) => key !== "$metadata"),
      [],
    );
    assert.equal((await attributesOf(sub))["email_verified"], "true");
  });

  it("texts a phone number's code, masking all but the last four digits, and verifies the phone number", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "phone-owner@example.com");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributes: [{ Name: "phone_number", Value: "+14155550123" }] }),
    );
    const tokens = await signIn("phone-owner@example.com");
    const { result, message, code } = await sentCode(tokens.AccessToken!, "phone_number");
    assert.deepEqual(result.CodeDeliveryDetails, { Destination: "+*******0123", DeliveryMedium: "SMS", AttributeName: "phone_number" });
    assert.deepEqual({ channel: message.channel, to: message.to }, { channel: "sms", to: "+14155550123" });
    await verify(tokens.AccessToken!, "phone_number", code);
    const attributes = await attributesOf(sub);
    assert.equal(attributes["phone_number_verified"], "true");
    assert.equal(attributes["email_verified"], "false", "only the attribute the code was for");
  });

  it("refuses a wrong code with CodeMismatchException, and the right one still works after it", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "wrong-code@example.com");
    const tokens = await signIn("wrong-code@example.com");
    const { code } = await sentCode(tokens.AccessToken!, "email");
    await assert.rejects(verify(tokens.AccessToken!, "email", otherThan(code)), {
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    assert.equal((await attributesOf(sub))["email_verified"], "false");
    await verify(tokens.AccessToken!, "email", code);
    assert.equal((await attributesOf(sub))["email_verified"], "true");
  });

  it("answers CodeMismatchException when no code was requested, and for a code already used", async () => {
    await signUp(fake.client, fake.pool.clientId, "no-code@example.com");
    const tokens = await signIn("no-code@example.com");
    await assert.rejects(verify(tokens.AccessToken!, "email", "123456"), { name: "CodeMismatchException" });
    const { code } = await sentCode(tokens.AccessToken!, "email");
    await verify(tokens.AccessToken!, "email", code);
    await assert.rejects(verify(tokens.AccessToken!, "email", code), { name: "CodeMismatchException" }, "a code works once");
  });

  it("replaces the previous code when a new one is requested", async () => {
    await signUp(fake.client, fake.pool.clientId, "twice-asked@example.com");
    const tokens = await signIn("twice-asked@example.com");
    const first = await sentCode(tokens.AccessToken!, "email");
    let second = await sentCode(tokens.AccessToken!, "email");
    // One draw in a million repeats the code; ask again so the first code is surely another.
    while (second.code === first.code) second = await sentCode(tokens.AccessToken!, "email");
    await assert.rejects(verify(tokens.AccessToken!, "email", first.code), { name: "CodeMismatchException" });
    await verify(tokens.AccessToken!, "email", second.code);
  });

  it("does not verify an address with a code sent to the one it replaced", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "before@example.com");
    const tokens = await signIn("before@example.com");
    const { code } = await sentCode(tokens.AccessToken!, "email");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributes: [{ Name: "email", Value: "after@example.com" }] }),
    );
    await assert.rejects(verify(tokens.AccessToken!, "email", code), { name: "CodeMismatchException" });
    assert.equal((await attributesOf(sub))["email_verified"], "false");
  });

  it("refuses an attribute the user lacks, and one that is neither email nor phone_number, with InvalidParameterException", async () => {
    await signUp(fake.client, fake.pool.clientId, "no-phone@example.com");
    const tokens = await signIn("no-phone@example.com");
    const sent = fake.delivered.length;
    await assert.rejects(requestCode(tokens.AccessToken!, "phone_number"), { name: "InvalidParameterException" });
    await assert.rejects(requestCode(tokens.AccessToken!, "name"), { name: "InvalidParameterException" });
    await assert.rejects(verify(tokens.AccessToken!, "name", "123456"), { name: "InvalidParameterException" });
    assert.equal(fake.delivered.length, sent, "nothing is sent");
  });

  it("refuses an ID token and a revoked access token with NotAuthorizedException, as GetUser does", async () => {
    await signUp(fake.client, fake.pool.clientId, "tokens@example.com");
    const tokens = await signIn("tokens@example.com");
    await assert.rejects(requestCode(tokens.IdToken!, "email"), { name: "NotAuthorizedException", message: "Invalid Access Token" });
    const { code } = await sentCode(tokens.AccessToken!, "email");
    await assert.rejects(verify(tokens.IdToken!, "email", code), { name: "NotAuthorizedException", message: "Invalid Access Token" });
    await fake.client.send(new RevokeTokenCommand({ ClientId: fake.pool.clientId, Token: tokens.RefreshToken! }));
    await assert.rejects(requestCode(tokens.AccessToken!, "email"), { name: "NotAuthorizedException", message: "Access Token has been revoked" });
    await assert.rejects(verify(tokens.AccessToken!, "email", code), { name: "NotAuthorizedException", message: "Access Token has been revoked" });
  });

  // The clock moves forward from here on: these come last.
  it("keeps a code for 24 hours, then answers ExpiredCodeException for it", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "slow@example.com");
    const first = await sentCode((await signIn("slow@example.com")).AccessToken!, "email");
    fake.advance(DAY_MS - 60_000);
    // The access token lasts an hour; a new sign-in carries the code's owner across the day.
    await verify((await signIn("slow@example.com")).AccessToken!, "email", first.code);
    assert.equal((await attributesOf(sub))["email_verified"], "true", "a minute before the day is out the code still works");

    await fake.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributes: [{ Name: "email_verified", Value: "false" }] }),
    );
    const second = await sentCode((await signIn("slow@example.com")).AccessToken!, "email");
    fake.advance(DAY_MS);
    const late = (await signIn("slow@example.com")).AccessToken!;
    await assert.rejects(verify(late, "email", second.code), {
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
    await assert.rejects(verify(late, "email", otherThan(second.code)), { name: "CodeMismatchException" }, "a wrong code learns nothing of the code's age");
    assert.equal((await attributesOf(sub))["email_verified"], "false");
  });

  it('refuses an expired access token with NotAuthorizedException: "Access Token has expired"', async () => {
    await signUp(fake.client, fake.pool.clientId, "expired-token@example.com");
    const tokens = await signIn("expired-token@example.com");
    const { code } = await sentCode(tokens.AccessToken!, "email");
    fake.advance(3601_000);
    await assert.rejects(requestCode(tokens.AccessToken!, "email"), { name: "NotAuthorizedException", message: "Access Token has expired" });
    await assert.rejects(verify(tokens.AccessToken!, "email", code), { name: "NotAuthorizedException", message: "Access Token has expired" });
  });
});

/** The same round trip through the whole local stack: its triggers sign the user in, the code lands in GET /outbox. */
describe("attribute verification through the local stack's outbox", () => {
  let stack: LocalStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack?.stop());

  it("sends the code to GET /outbox, and VerifyUserAttribute with it shows in AdminGetUser", async () => {
    const driver = signInDriver(stack);
    try {
      const email = "outbox-reader@example.com";
      const phone = "+14155550188";
      const username = await driver.signUp(email);
      const round = await driver.codeRound(email, "EMAIL_OTP");
      const tokens = (await driver.answer(round, email, driver.latestCode(email))).AuthenticationResult!;
      await driver.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: stack.config.userPoolId,
          Username: username,
          UserAttributes: [{ Name: "phone_number", Value: phone }],
        }),
      );
      assert.equal((await driver.attributesOf(username))["phone_number_verified"], "false");

      const result = await driver.client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: tokens.AccessToken!, AttributeName: "phone_number" }));
      assert.equal(result.CodeDeliveryDetails?.DeliveryMedium, "SMS");
      const outbox = (await (await fetch(`${stack.webUrl}/outbox`)).json()) as OutboxMessage[];
      const message = outbox.findLast((entry) => entry.channel === "sms" && entry.to === phone);
      assert.ok(message, "GET /outbox lists the SMS");
      assert.ok(!Number.isNaN(Date.parse(message.sentAt)), "stamped like every outbox message");

      await driver.client.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken!, AttributeName: "phone_number", Code: codeIn(message) }));
      assert.equal((await driver.attributesOf(username))["phone_number_verified"], "true");
    } finally {
      driver.destroy();
    }
  });
});
