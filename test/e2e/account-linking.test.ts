/**
 * Account linking end to end: a person signs in through the local OIDC identity provider, the
 * local Cognito endpoint runs the real PreSignUp bundle with a PreSignUp_ExternalProvider event
 * (user name prefix lower-cased, as Cognito is reported to send it), and the linking decisions
 * show in which `sub` each sign-in ends on. Native sign-ins use the real SDK and emailed or texted
 * codes from the outbox.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CookieJar, type FederatedSignInResult, federatedSignIn, redeemCode } from "../support/federated-sign-in.ts";
import { type LocalStack, cognitoClient, startTestStack, tokenVerifiers } from "../support/local-stack.ts";

const randomPassword = () => `Aa1!${randomBytes(24).toString("base64url")}`;
const LINKED = /ACCOUNT_LINKED/;

interface Harness {
  stack: LocalStack;
  client: CognitoIdentityProviderClient;
}

async function startHarness(templateParameters: Record<string, string> = {}): Promise<Harness> {
  const stack = await startTestStack({ templateParameters });
  return { stack, client: cognitoClient(stack.config) };
}

/** Where the app receives the code: the local stack lists the web server's root among CallbackURLs. */
const redirectUriOf = (stack: LocalStack) => `${stack.webUrl}/`;

async function signUp({ stack, client }: Harness, attribute: "email" | "phone_number", value: string): Promise<string> {
  const result = await client.send(
    new SignUpCommand({ ClientId: stack.config.clientId, Username: value, Password: randomPassword(), UserAttributes: [{ Name: attribute, Value: value }] }),
  );
  assert.ok(result.UserSub);
  return result.UserSub;
}

/** A complete code sign-in (which also verifies the address): the `sub` of its ID token. */
async function codeSignIn({ stack, client }: Harness, channel: "email" | "sms", address: string): Promise<string> {
  const clientId = stack.config.clientId;
  const method = channel === "email" ? "EMAIL_OTP" : "SMS_OTP";
  const respond = (session: string | undefined, answer: string) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: session,
        ChallengeResponses: { USERNAME: address, ANSWER: answer },
        ClientMetadata: { signInMethod: method },
      }),
    );
  const sentAfter = Date.now() - 1000;
  const started = await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: address } }));
  const codeRound = await respond(started.Session, method);
  const message = await stack.outbox.waitFor((m) => m.channel === channel && m.to === address && Date.parse(m.sentAt) >= sentAfter);
  const code = /\b(\d{6,10})\b/.exec(message.body)?.[1];
  assert.ok(code, "the message holds a code");
  const done = await respond(codeRound.Session, code);
  assert.ok(done.AuthenticationResult?.IdToken, "the code sign-in issues tokens");
  const id = await tokenVerifiers(stack.config).id.verify(done.AuthenticationResult.IdToken);
  assert.ok(id.sub);
  return id.sub;
}

function codeOf(result: FederatedSignInResult): Extract<FederatedSignInResult, { code: string }> {
  assert.ok("code" in result, `expected a code, got ${"error" in result ? `${result.error}: ${result.errorDescription}` : "nothing"}`);
  return result;
}

/** Redeems a federated sign-in's code; returns the verified ID token's claims. */
async function idTokenOf({ stack }: Harness, result: FederatedSignInResult) {
  const { code, codeVerifier } = codeOf(result);
  const answer = await redeemCode(stack, { code, redirectUri: redirectUriOf(stack), codeVerifier });
  assert.ok(answer.ok, `the token endpoint answered ${answer.ok ? "" : answer.error}`);
  assert.ok(answer.tokens.id_token);
  return tokenVerifiers(stack.config).id.verify(answer.tokens.id_token);
}

async function nativeUsersWith({ stack, client }: Harness, filter: string) {
  const listed = await client.send(new ListUsersCommand({ UserPoolId: stack.config.userPoolId, Filter: filter }));
  return (listed.Users ?? []).filter((user) => user.UserStatus !== "EXTERNAL_PROVIDER");
}

describe("account linking through the local stack", () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    harness?.client.destroy();
    await harness?.stack.stop();
  });

  it("links to the native user whose email both sides verified: the retry and every later sign-in share one sub", async () => {
    const email = "ada.linked@example.com";
    const nativeSub = await signUp(harness, "email", email);
    assert.equal(await codeSignIn(harness, "email", email), nativeSub, "the email code verified the address");

    const jar = new CookieJar();
    const identity = { email, emailVerified: true, name: "Ada" };
    const first = await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar });
    assert.ok("error" in first, "the sign-in that made the link ends with an error the app can recognise");
    assert.equal(first.error, "invalid_request");
    assert.match(first.errorDescription ?? "", LINKED);

    const second = await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar });
    assert.equal(second.sawIdpForm, false, "the IdP session carries the retry without a second prompt");
    const claims = await idTokenOf(harness, second);
    assert.equal(claims.sub, nativeSub, "the federated sign-in lands on the native user");
    const identities = claims["identities"] as { providerName: string; userId: string }[];
    assert.equal(identities[0]?.providerName, "LocalIdP", "the link uses the provider name as the pool spells it, not the lower-cased prefix");
    assert.equal("auth_methods" in claims, false, "no factor was verified by the suite itself");

    const third = await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar: new CookieJar() });
    assert.equal((await idTokenOf(harness, third)).sub, nativeSub, "a later federated sign-in, in a new browser, is the same user");
    assert.equal(await codeSignIn(harness, "email", email), nativeSub, "and so is the next email-code sign-in");
    assert.equal((await nativeUsersWith(harness, `email = "${email}"`)).length, 1, "no second native user");
  });

  it("does not link when the IdP has not verified the email", async () => {
    const email = "unverified.idp@example.com";
    const nativeSub = await signUp(harness, "email", email);
    await codeSignIn(harness, "email", email);
    const result = await federatedSignIn(harness.stack, { identity: { email, emailVerified: false }, redirectUri: redirectUriOf(harness.stack) });
    const claims = await idTokenOf(harness, result);
    assert.notEqual(claims.sub, nativeSub, "a separate federated user");
    const native = await harness.client.send(new AdminGetUserCommand({ UserPoolId: harness.stack.config.userPoolId, Username: nativeSub }));
    assert.equal(
      native.UserAttributes?.some((attribute) => attribute.Name === "identities"),
      false,
      "nothing was linked to the native user",
    );
  });

  it("does not link to, or take the address of, a native user who has not verified it", async () => {
    const email = "not.yet.verified@example.com";
    const nativeSub = await signUp(harness, "email", email);
    const result = await federatedSignIn(harness.stack, { identity: { email, emailVerified: true }, redirectUri: redirectUriOf(harness.stack) });
    assert.notEqual((await idTokenOf(harness, result)).sub, nativeSub);
    const natives = await nativeUsersWith(harness, `email = "${email}"`);
    assert.deepEqual(
      natives.map((user) => user.Username),
      [nativeSub],
      "no native user was created beside the unverified one",
    );
    assert.equal(natives[0]?.Attributes?.find((attribute) => attribute.Name === "email_verified")?.Value, "false");
    assert.equal(await codeSignIn(harness, "email", email), nativeSub, "the owner can still prove the address and sign in");
  });

  it("creates and links a native user when nobody has the verified email, so an email code reaches the same sub", async () => {
    const email = "brand.new@example.com";
    const jar = new CookieJar();
    const identity = { email, emailVerified: true };
    const first = await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar });
    assert.ok("error" in first);
    assert.match(first.errorDescription ?? "", LINKED);
    const natives = await nativeUsersWith(harness, `email = "${email}"`);
    assert.equal(natives.length, 1, "one native user was created");
    assert.equal(natives[0]?.Attributes?.find((attribute) => attribute.Name === "email_verified")?.Value, "true", "verified, because the IdP verified it");

    const claims = await idTokenOf(harness, await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar }));
    assert.equal(claims.sub, natives[0]?.Username);
    assert.equal(await codeSignIn(harness, "email", email), claims.sub);
  });

  it("links on a phone number both sides verified", async () => {
    const phone = "+447700900461";
    const nativeSub = await signUp(harness, "phone_number", phone);
    assert.equal(await codeSignIn(harness, "sms", phone), nativeSub);
    const jar = new CookieJar();
    const identity = { phone, phoneVerified: true, subject: "phone-person-1" };
    const first = await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar });
    assert.ok("error" in first);
    assert.match(first.errorDescription ?? "", LINKED);
    const claims = await idTokenOf(harness, await federatedSignIn(harness.stack, { identity, redirectUri: redirectUriOf(harness.stack), jar }));
    assert.equal(claims.sub, nativeSub);
  });

  it("a sixth identity (Cognito allows five) fails the sign-in with a clear error and changes nothing", async () => {
    const email = "many.identities@example.com";
    const nativeSub = await signUp(harness, "email", email);
    await codeSignIn(harness, "email", email);
    for (let n = 1; n <= 5; n += 1) {
      const linked = await federatedSignIn(harness.stack, {
        identity: { email, emailVerified: true, subject: `idp-user-${n}` },
        redirectUri: redirectUriOf(harness.stack),
      });
      assert.ok("error" in linked && LINKED.test(linked.errorDescription ?? ""), `identity ${n} is linked`);
    }
    const sixth = await federatedSignIn(harness.stack, {
      identity: { email, emailVerified: true, subject: "idp-user-6" },
      redirectUri: redirectUriOf(harness.stack),
    });
    assert.ok("error" in sixth);
    assert.equal(sixth.errorDescription?.includes(nativeSub), false, "the error names no account to a person not yet signed in");
    assert.match(sixth.errorDescription ?? "", /^PreSignUp failed with error Cognito refused to link this LocalIdP identity to the existing account\./);
    const native = await harness.client.send(new AdminGetUserCommand({ UserPoolId: harness.stack.config.userPoolId, Username: nativeSub }));
    const identities = JSON.parse(native.UserAttributes?.find((attribute) => attribute.Name === "identities")?.Value ?? "[]") as unknown[];
    assert.equal(identities.length, 5, "the five links stand; nothing half-made");
    const listed = await harness.client.send(new ListUsersCommand({ UserPoolId: harness.stack.config.userPoolId }));
    assert.equal(
      listed.Users?.some((user) => user.Username === "localidp_idp-user-6"),
      false,
      "no federated user was created for the refused identity",
    );
    assert.equal((await nativeUsersWith(harness, `email = "${email}"`)).length, 1);
    assert.equal(await codeSignIn(harness, "email", email), nativeSub, "the account still signs in");
  });
});

describe("account linking with LinkCreatesNativeUser=false", () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ LinkCreatesNativeUser: "false" });
  });
  after(async () => {
    harness?.client.destroy();
    await harness?.stack.stop();
  });

  it("creates no native user: the person is a federated user only, and an email code finds nobody", async () => {
    const email = "federated.only@example.com";
    const result = await federatedSignIn(harness.stack, { identity: { email, emailVerified: true }, redirectUri: redirectUriOf(harness.stack) });
    const claims = await idTokenOf(harness, result);
    assert.ok(claims.sub);
    assert.equal((await nativeUsersWith(harness, `email = "${email}"`)).length, 0);

    // The federated user's email is no sign-in alias: a code sign-in gets the unknown-user rounds.
    const client = harness.client;
    const clientId = harness.stack.config.clientId;
    const started = await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: email } }));
    await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: email, ANSWER: "EMAIL_OTP" },
        ClientMetadata: { signInMethod: "EMAIL_OTP" },
      }),
    );
    assert.equal(
      harness.stack.outbox.list().some((message) => message.to === email),
      false,
      "no code is sent to a federated-only address",
    );
  });
});
