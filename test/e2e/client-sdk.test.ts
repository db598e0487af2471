/**
 * @cognito-passwordless/client on the real AWS SDK against the local stack (the built triggers,
 * the table, the outbox): every flow an app runs through the package, with the soft
 * authenticator standing in for the browser's WebAuthn (Node has no navigator.credentials).
 * The package is imported by name, as an app would, from its built dist/.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type CognitoIdentityProviderClient, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  CodeExpiredError,
  type CodeRound,
  PasskeyCancelledError,
  type PasskeyRegistrationRound,
  type PasswordlessClient,
  SessionExpiredError,
  SessionInvalidError,
  type SignInOutcome,
  SignInFailedError,
  type SignedIn,
  type WebAuthnCeremonies,
  WrongCodeError,
  createPasswordlessClient,
} from "@cognito-passwordless/client";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { authenticatorFor } from "../support/attack-passkeys.ts";
import { type LocalStack, cognitoClient, startTestStack, tokenVerifiers } from "../support/local-stack.ts";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";

const randomPassword = () => `Aa1!${randomBytes(24).toString("base64url")}`;
const CODE_SUBJECT = "Your sign-in code";

/** The client's WebAuthn ceremonies answered by a soft authenticator, as a browser with a passkey would. */
function softWebAuthn(authenticator: SoftAuthenticator): WebAuthnCeremonies & { readonly ceremonies: string[] } {
  const ceremonies: string[] = [];
  return {
    ceremonies,
    async startAuthentication({ optionsJSON }) {
      ceremonies.push("authentication");
      return authenticator.authenticate(optionsJSON as PublicKeyCredentialRequestOptionsJSON);
    },
    async startRegistration({ optionsJSON }) {
      ceremonies.push("registration");
      return authenticator.register(optionsJSON as PublicKeyCredentialCreationOptionsJSON);
    },
  };
}

function signedIn(outcome: SignInOutcome): SignedIn {
  assert.equal(outcome.kind, "signed-in");
  return outcome as SignedIn;
}

function registrationRound(outcome: SignInOutcome): PasskeyRegistrationRound {
  assert.equal(outcome.kind, "passkey-registration");
  return outcome as PasskeyRegistrationRound;
}

describe("the client package with the AWS SDK against the local stack", () => {
  let stack: LocalStack;
  let sdk: CognitoIdentityProviderClient;
  let clockOffset = 0;
  let counter = 0;

  before(async () => {
    stack = await startTestStack({ now: () => Date.now() + clockOffset });
    sdk = cognitoClient(stack.config);
  });
  after(async () => {
    sdk?.destroy();
    await stack?.stop();
  });

  const client = (options: { webauthn?: WebAuthnCeremonies; clock?: () => number } = {}): PasswordlessClient =>
    createPasswordlessClient({ cognito: sdk, clientId: stack.config.clientId, ...options });
  const newEmail = (label: string) => `${label}.${++counter}.${process.pid}@example.com`;
  const newUkPhone = () => `+4477009${String(++counter).padStart(5, "0")}`;
  const signUp = async (email: string, phoneNumber?: string) => {
    const result = await sdk.send(
      new SignUpCommand({
        ClientId: stack.config.clientId,
        Username: email,
        Password: randomPassword(),
        UserAttributes: [{ Name: "email", Value: email }, ...(phoneNumber === undefined ? [] : [{ Name: "phone_number", Value: phoneNumber }])],
      }),
    );
    assert.ok(result.UserSub);
    return result.UserSub;
  };
  /** The code in the newest sign-in message to `address` sent since `since` (epoch ms). */
  const codeSentTo = async (address: string, since: number) => {
    const message = await stack.outbox.waitFor((m) => m.to === address && Date.parse(m.sentAt) >= since && (m.channel === "sms" || m.subject === CODE_SUBJECT));
    const code = /\b(\d{6,10})\b/.exec(message.body)?.[1];
    assert.ok(code, `the message to ${address} holds a code`);
    return code;
  };
  /** A sign-in of `login` up to its code round, and the code the outbox received for `address`. */
  const codeRoundFor = async (login: string, method: "EMAIL_OTP" | "SMS_OTP", address = login, options: Parameters<typeof client>[0] = {}) => {
    const since = Date.now() - 1000;
    const round = await (await client(options).signIn(login)).chooseCode(method);
    return { round, code: await codeSentTo(address, since) };
  };
  const claimsOf = (done: SignedIn) => tokenVerifiers(stack.config).id.verify(done.tokens.idToken);

  it("signs in with an emailed code: SELECT_METHOD, the masked destination, then tokens that verify", async () => {
    const email = newEmail("ada");
    const sub = await signUp(email);
    const select = await client().signIn(email);
    assert.deepEqual(select.methods, ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]);
    assert.equal(select.passkeyOffered, true);

    const since = Date.now() - 1000;
    const round = await select.chooseCode("EMAIL_OTP");
    assert.equal(round.method, "EMAIL_OTP");
    assert.match(round.destination, /^a\*+@e\*+\.com$/, "what was typed (sent as login), masked");
    assert.equal(round.codeLength, 6);
    assert.ok(round.expiresAt.getTime() > Date.now());
    assert.equal(round.attemptsLeft, 3);

    const done = signedIn(await round.answer(await codeSentTo(email, since)));
    assert.ok(done.tokens.refreshToken, "Cognito issued a refresh token");
    assert.ok(done.tokens.expiresIn > 0);
    const claims = await claimsOf(done);
    assert.equal(claims.sub, sub);
    assert.equal(claims["email_verified"], true, "the code verified the address");
    assert.equal(claims["auth_methods"], "email_otp");
    assert.equal(claims["auth_level"], "urn:cognito:loa:2");
    await tokenVerifiers(stack.config).access.verify(done.tokens.accessToken);
  });

  it("signs in with an SMS code to the phone number typed", async () => {
    const email = newEmail("grace");
    const phone = newUkPhone();
    const sub = await signUp(email, phone);
    const { round, code } = await codeRoundFor(phone, "SMS_OTP");
    assert.equal(round.method, "SMS_OTP");
    assert.match(round.destination, /^\+\*+\d{4}$/, "the phone number as typed, masked to its last digits");
    const claims = await claimsOf(signedIn(await round.answer(code)));
    assert.equal(claims.sub, sub);
    assert.equal(claims["auth_methods"], "sms");
    assert.equal(claims["phone_number_verified"], true);
  });

  it("throws a wrong code as WrongCodeError; its retry round takes the right code, with no new message sent", async () => {
    const email = newEmail("alan");
    await signUp(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    const sent = stack.outbox.list().filter((m) => m.to === email).length;
    const wrong = await round.answer(code === "000000" ? "000001" : "000000").catch((error: unknown) => error);
    assert.ok(wrong instanceof WrongCodeError, "a wrong code is a WrongCodeError");
    assert.equal(wrong.code, "WRONG_CODE");
    assert.equal(wrong.attemptsLeft, 2);
    assert.equal(wrong.retry.destination, round.destination);
    assert.deepEqual(wrong.retry.expiresAt, round.expiresAt, "the same code, still valid until the same time");
    const claims = await claimsOf(signedIn(await wrong.retry.answer(code)));
    assert.equal(claims["auth_methods"], "email_otp");
    assert.equal(stack.outbox.list().filter((m) => m.to === email).length, sent, "a retry sends nothing");
  });

  it("names the third wrong code SignInFailedError", async () => {
    const email = newEmail("barbara");
    await signUp(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    const wrongCodes = ["000000", "000001", "000002", "000003"].filter((candidate) => candidate !== code);
    let current: CodeRound = round;
    for (const attemptsLeft of [2, 1]) {
      const error = await current.answer(wrongCodes.shift()!).catch((thrown: unknown) => thrown);
      assert.ok(error instanceof WrongCodeError);
      assert.equal(error.attemptsLeft, attemptsLeft);
      current = error.retry;
    }
    await assert.rejects(current.answer(wrongCodes.shift()!), (error: unknown) => error instanceof SignInFailedError && error.code === "SIGN_IN_FAILED");
  });

  it("gives an unknown user the same rounds, and every code is wrong", async () => {
    const select = await client().signIn(newEmail("nobody"));
    assert.deepEqual(select.methods, ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]);
    const round = await select.chooseCode("EMAIL_OTP");
    assert.match(round.destination, /^n\*+@e\*+\.com$/);
    await assert.rejects(round.answer("123456"), WrongCodeError);
  });

  it("names a session older than AuthSessionValidity SessionExpiredError", async () => {
    const email = newEmail("katherine");
    await signUp(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    clockOffset = 16 * 60_000; // template.yaml: AuthSessionValidityMinutes 15
    try {
      // The client's own clock is not moved: the code looks valid, and Cognito refuses the session.
      await assert.rejects(round.answer(code), (error: unknown) => error instanceof SessionExpiredError && error.code === "SESSION_EXPIRED");
    } finally {
      clockOffset = 0;
    }
  });

  it("refuses an expired code before sending it (CodeExpiredError), on a clock that agrees with the pool's", async () => {
    const email = newEmail("hedy");
    await signUp(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP", email, { clock: () => Date.now() + clockOffset });
    clockOffset = 6 * 60_000; // template.yaml: CodeTtlSeconds 300, inside the session's 15 minutes
    try {
      await assert.rejects(
        round.answer(code),
        (error: unknown) => error instanceof CodeExpiredError && error.expiresAt.getTime() === round.expiresAt.getTime(),
      );
    } finally {
      clockOffset = 0;
    }
  });

  it("names a round answered twice SessionInvalidError", async () => {
    const email = newEmail("radia");
    await signUp(email);
    const select = await client().signIn(email);
    await select.chooseCode("EMAIL_OTP");
    await assert.rejects(select.chooseCode("EMAIL_OTP"), (error: unknown) => error instanceof SessionInvalidError && error.code === "SESSION_INVALID");
  });

  it("enrols a passkey after an emailed code, then signs in with it in one round trip", async () => {
    const email = newEmail("margaret");
    const sub = await signUp(email);
    const authenticator = authenticatorFor(stack);
    const webauthn = softWebAuthn(authenticator);

    const { round, code } = await codeRoundFor(email, "EMAIL_OTP", email, { webauthn });
    const enrolment = registrationRound(await round.answer(code, { registerPasskey: true }));
    assert.equal(enrolment.attempt, 1);
    assert.equal(enrolment.options.rp.id, "localhost");
    const enrolled = signedIn(await enrolment.register({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" }));
    assert.equal((await claimsOf(enrolled))["auth_methods"], "email_otp", "the tokens claim the code, the factor this sign-in proved");
    await stack.outbox.waitFor((m) => m.to === email && /passkey was added/i.test(m.subject ?? ""));

    const select = await client({ webauthn }).signIn(email);
    const done = signedIn(await select.signInWithPasskey());
    const claims = await claimsOf(done);
    assert.equal(claims.sub, sub);
    assert.equal(claims["auth_methods"], "hwk", "a device-bound passkey");
    assert.equal(claims["auth_level"], "urn:cognito:loa:3");
    assert.deepEqual(webauthn.ceremonies, ["registration", "authentication"]);
  });

  it("declines enrolment with SKIP and is signed in with the code's claims", async () => {
    const email = newEmail("frances");
    await signUp(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    const enrolment = registrationRound(await round.answer(code, { registerPasskey: true }));
    const claims = await claimsOf(await enrolment.skip());
    assert.equal(claims["auth_methods"], "email_otp");
  });

  it("offers enrolment again after a registration the pool refused", async () => {
    const email = newEmail("mary");
    await signUp(email);
    // An authenticator on another site: the pool refuses its registration (origin mismatch).
    const stranger = softWebAuthn(authenticatorFor(stack, { origin: "https://evil.example" }));
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP", email, { webauthn: stranger });
    const enrolment = registrationRound(await round.answer(code, { registerPasskey: true }));
    const again = registrationRound(await enrolment.register());
    assert.equal(again.attempt, 2);
    assert.equal((await again.skip()).kind, "signed-in");
  });

  it("keeps the SELECT_METHOD round answerable when the passkey prompt is dismissed", async () => {
    const email = newEmail("ida");
    await signUp(email);
    const dismissed: WebAuthnCeremonies = {
      startAuthentication: async () => {
        throw Object.assign(new Error("The operation either timed out or was not allowed."), { name: "NotAllowedError" });
      },
      startRegistration: async () => {
        throw new Error("not used");
      },
    };
    const since = Date.now() - 1000;
    const select = await client({ webauthn: dismissed }).signIn(email);
    await assert.rejects(select.signInWithPasskey(), PasskeyCancelledError);
    const round = await select.chooseCode("EMAIL_OTP");
    assert.equal(signedIn(await round.answer(await codeSentTo(email, since))).kind, "signed-in");
  });

  it("names a passkey the pool does not know SignInFailedError", async () => {
    const email = newEmail("evelyn");
    await signUp(email);
    const select = await client({ webauthn: softWebAuthn(authenticatorFor(stack)) }).signIn(email);
    await assert.rejects(select.signInWithPasskey(), SignInFailedError);
  });
});
