/**
 * Email one-time code sign-in end to end, with the real AWS SDK client against the local stack:
 * the real built triggers (dist/), a DynamoDB-compatible table, SES into the outbox. The rounds
 * follow the protocol (README "Protocol"): SELECT_METHOD, then EMAIL_OTP, then tokens.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type LocalStack, cognitoClient, startTestStack, tokenVerifiers } from "../support/local-stack.ts";

/** A password the pool's policy accepts; the passwordless app never uses it again. */
const randomPassword = () => `Aa1!${randomBytes(24).toString("base64url")}`;

describe("email code sign-in with the AWS SDK", () => {
  let stack: LocalStack;
  let client: CognitoIdentityProviderClient;
  let clientId: string;
  let clockOffset = 0;

  before(async () => {
    stack = await startTestStack({ now: () => Date.now() + clockOffset });
    client = cognitoClient(stack.config);
    clientId = stack.config.clientId;
  });
  after(async () => {
    client?.destroy();
    await stack?.stop();
  });

  const signUp = (email: string) =>
    client.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: randomPassword(), UserAttributes: [{ Name: "email", Value: email }] }));
  const start = (email: string) => client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: email } }));
  const respond = (session: string | undefined, email: string, answer: string, clientMetadata: Record<string, string> = { signInMethod: "EMAIL_OTP" }) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: session,
        ChallengeResponses: { USERNAME: email, ANSWER: answer },
        ClientMetadata: clientMetadata,
      }),
    );
  const codeSentTo = async (email: string, after: number) => {
    const message = await stack.outbox.waitFor((m) => m.channel === "email" && m.to === email && Date.parse(m.sentAt) >= after);
    const code = /\b(\d{6,10})\b/.exec(message.body)?.[1];
    assert.ok(code, `the email to ${email} holds a code`);
    return code;
  };
  /** SELECT_METHOD answered with EMAIL_OTP: the session of the code round and its parameters. */
  const reachCodeRound = async (email: string) => {
    const started = await start(email);
    const codeRound = await respond(started.Session, email, "EMAIL_OTP");
    return { started, codeRound };
  };

  it("signs up, chooses EMAIL_OTP, enters the emailed code and gets tokens that verify against the local JWKS", async () => {
    const email = "ada@example.com";
    const signedUp = await signUp(email);
    assert.equal(signedUp.UserConfirmed, true, "PreSignUp confirms passwordless sign-ups");

    const started = await start(email);
    assert.equal(started.ChallengeName, "CUSTOM_CHALLENGE");
    const select = started.ChallengeParameters ?? {};
    assert.equal(select["type"], "SELECT_METHOD");
    assert.deepEqual(select["methods"]?.split(","), ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]);
    const passkeyOptions = JSON.parse(select["passkeyOptions"] ?? "{}") as Record<string, unknown>;
    assert.equal(passkeyOptions["rpId"], "localhost");
    assert.deepEqual(passkeyOptions["allowCredentials"], [], "nothing about the user's passkeys leaks");
    assert.match(String(passkeyOptions["challenge"]), /^[A-Za-z0-9_-]{43}$/, "a 32-byte challenge");
    assert.equal(select["USERNAME"], signedUp.UserSub, "USERNAME is the internal username");

    const sentAfter = Date.now() - 1000;
    // As README asks of apps: what the person typed goes along as ClientMetadata.login.
    const codeRound = await respond(started.Session, email, "EMAIL_OTP", { signInMethod: "EMAIL_OTP", login: email });
    const parameters = codeRound.ChallengeParameters ?? {};
    assert.equal(parameters["type"], "EMAIL_OTP");
    assert.match(parameters["destination"] ?? "", /^a\*+@e\*+\.com$/, "what was typed, masked");
    assert.equal(parameters["codeLength"], "6");
    assert.ok(Date.parse(parameters["expiresAt"] ?? "") > Date.now());
    assert.equal(JSON.stringify(parameters).includes(email), false, "the address is only shown masked");

    const code = await codeSentTo(email, sentAfter);
    assert.equal(JSON.stringify(parameters).includes(code), false, "the code never travels in the challenge");
    const done = await respond(codeRound.Session, email, code);
    const result = done.AuthenticationResult;
    assert.ok(result?.IdToken && result.AccessToken && result.RefreshToken);

    const verifiers = tokenVerifiers(stack.config);
    const id = await verifiers.id.verify(result.IdToken);
    const access = await verifiers.access.verify(result.AccessToken);
    assert.equal(id.sub, signedUp.UserSub);
    assert.equal(id["email"], email);
    assert.equal(id["email_verified"], true, "entering the code verified the address");
    assert.equal(id["auth_methods"], "email_otp");
    assert.equal(id["auth_level"], "urn:cognito:loa:2");
    assert.equal("amr" in id, false, "amr is Cognito's own claim and cannot be set");
    assert.equal(access["auth_methods"], "email_otp", "the V2 event reaches the access token");
    assert.equal(access["scope"], "aws.cognito.signin.user.admin");

    const me = await client.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    assert.equal(me.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    const admin = await client.send(new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: email }));
    assert.equal(admin.UserStatus, "CONFIRMED");
  });

  it("fails the session after three wrong codes, with no new message sent for the retries", async () => {
    const email = "grace@example.com";
    await signUp(email);
    const { codeRound } = await reachCodeRound(email);
    const sentBefore = stack.outbox.list().filter((m) => m.to === email).length;
    const second = await respond(codeRound.Session, email, "000000");
    assert.equal(second.ChallengeParameters?.["type"], "EMAIL_OTP", "a wrong code may be retried on the same session");
    const third = await respond(second.Session, email, "000001");
    await assert.rejects(respond(third.Session, email, "000002"), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    assert.equal(stack.outbox.list().filter((m) => m.to === email).length, sentBefore);
  });

  it("refuses a session that was already used", async () => {
    const email = "alan@example.com";
    await signUp(email);
    const started = await start(email);
    await respond(started.Session, email, "EMAIL_OTP");
    await assert.rejects(respond(started.Session, email, "EMAIL_OTP"), { name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("refuses a session older than the app client's AuthSessionValidity", async () => {
    const email = "barbara@example.com";
    await signUp(email);
    const { codeRound } = await reachCodeRound(email);
    const code = await codeSentTo(email, 0);
    clockOffset += 16 * 60_000; // template.yaml: AuthSessionValidity 15 minutes
    try {
      await assert.rejects(respond(codeRound.Session, email, code), {
        name: "NotAuthorizedException",
        message: "Invalid session for the user, session is expired.",
      });
    } finally {
      clockOffset = 0;
    }
  });

  it("gives an unknown email the same rounds and parameter shapes, and sends nothing", async () => {
    await signUp("known@example.com");
    const known = await reachCodeRound("known@example.com");
    const outboxBefore = stack.outbox.list().length;
    const unknown = await reachCodeRound("nobody@example.com");
    assert.deepEqual(Object.keys(unknown.started.ChallengeParameters ?? {}).sort(), Object.keys(known.started.ChallengeParameters ?? {}).sort());
    assert.deepEqual(Object.keys(unknown.codeRound.ChallengeParameters ?? {}).sort(), Object.keys(known.codeRound.ChallengeParameters ?? {}).sort());
    assert.equal(unknown.codeRound.ChallengeParameters?.["type"], "EMAIL_OTP");
    // Without ClientMetadata.login both show the channel's wording: a function of what was typed, never of the account.
    assert.equal(unknown.codeRound.ChallengeParameters?.["destination"], known.codeRound.ChallengeParameters?.["destination"]);
    assert.equal(unknown.codeRound.ChallengeParameters?.["destination"], "your email address");
    const second = await respond(unknown.codeRound.Session, "nobody@example.com", "123456");
    assert.equal(second.ChallengeParameters?.["type"], "EMAIL_OTP", "a wrong code is retried as for a real user");
    const third = await respond(second.Session, "nobody@example.com", "123457");
    await assert.rejects(respond(third.Session, "nobody@example.com", "123458"), {
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    assert.equal(stack.outbox.list().length, outboxBefore, "nothing lands in the outbox for an unknown user");
  });

  it("refreshes with REFRESH_TOKEN_AUTH and with GetTokensFromRefreshToken", async () => {
    const email = "katherine@example.com";
    const { UserSub } = await signUp(email);
    const { codeRound } = await reachCodeRound(email);
    const done = await respond(codeRound.Session, email, await codeSentTo(email, 0));
    const refreshToken = done.AuthenticationResult!.RefreshToken!;
    const verifiers = tokenVerifiers(stack.config);

    const viaInitiate = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: refreshToken } }),
    );
    assert.equal(viaInitiate.AuthenticationResult?.RefreshToken, undefined, "no new refresh token without rotation");
    assert.equal((await verifiers.id.verify(viaInitiate.AuthenticationResult!.IdToken!)).sub, UserSub);

    const viaGetTokens = await client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }));
    const access = await verifiers.access.verify(viaGetTokens.AuthenticationResult!.AccessToken!);
    assert.equal(access.sub, UserSub);
    assert.equal(access["origin_jti"], (await verifiers.access.verify(done.AuthenticationResult!.AccessToken!))["origin_jti"]);
  });
});
