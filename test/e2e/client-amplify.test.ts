/**
 * @cognito-passwordless/client/amplify on Amplify v6 in Node against the local stack: Amplify
 * reaches the local pool through `Auth.Cognito.userPoolEndpoint`, the client runs the suite's
 * rounds through signIn (CUSTOM_WITHOUT_SRP) and confirmSignIn, and the tokens are Amplify's own
 * session. The soft authenticator stands in for the browser's WebAuthn.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import { Amplify } from "aws-amplify";
import { fetchAuthSession, getCurrentUser, signOut, signUp } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import type { KeyValueStorageInterface } from "aws-amplify/utils";
import {
  type AmplifyPasswordlessClient,
  type CodeRound,
  type PasskeyRegistrationRound,
  SessionExpiredError,
  SignInFailedError,
  type SignInOutcome,
  type SignedIn,
  type WebAuthnCeremonies,
  WrongCodeError,
  createAmplifyPasswordlessClient,
} from "@cognito-passwordless/client/amplify";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { authenticatorFor } from "../support/attack-passkeys.ts";
import { type LocalStack, startTestStack, tokenVerifiers } from "../support/local-stack.ts";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";

const CODE_SUBJECT = "Your sign-in code";

/** Node has no localStorage: Amplify keeps its tokens here instead. */
class MemoryStorage implements KeyValueStorageInterface {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  async getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string) {
    this.items.delete(key);
  }
  async clear() {
    this.items.clear();
  }
}

function softWebAuthn(authenticator: SoftAuthenticator): WebAuthnCeremonies {
  return {
    startAuthentication: async ({ optionsJSON }) => authenticator.authenticate(optionsJSON as PublicKeyCredentialRequestOptionsJSON),
    startRegistration: async ({ optionsJSON }) => authenticator.register(optionsJSON as PublicKeyCredentialCreationOptionsJSON),
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

describe("the client package on Amplify v6 against the local stack", () => {
  let stack: LocalStack;
  let clockOffset = 0;
  let counter = 0;
  const storage = new MemoryStorage();

  before(async () => {
    stack = await startTestStack({ now: () => Date.now() + clockOffset });
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: stack.config.userPoolId,
          userPoolClientId: stack.config.clientId,
          userPoolEndpoint: stack.config.cognitoEndpoint,
        },
      },
    });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  });
  // Amplify holds one signed-in user: each test starts signed out.
  afterEach(() => signOut().catch(() => {}));
  after(async () => {
    await stack?.stop();
  });

  const client = (webauthn?: WebAuthnCeremonies): AmplifyPasswordlessClient => createAmplifyPasswordlessClient(webauthn === undefined ? {} : { webauthn });
  const newEmail = (label: string) => `amplify.${label}.${++counter}.${process.pid}@example.com`;
  const newUkPhone = () => `+4477008${String(++counter).padStart(5, "0")}`;
  const signUpUser = async (email: string, phoneNumber?: string) => {
    const result = await signUp({
      username: email,
      password: `Aa1!${randomBytes(24).toString("base64url")}`,
      options: { userAttributes: { email, ...(phoneNumber === undefined ? {} : { phone_number: phoneNumber }) } },
    });
    assert.equal(result.isSignUpComplete, true);
    assert.ok(result.userId);
    return result.userId;
  };
  const codeSentTo = async (address: string, since: number) => {
    const message = await stack.outbox.waitFor((m) => m.to === address && Date.parse(m.sentAt) >= since && (m.channel === "sms" || m.subject === CODE_SUBJECT));
    const code = /\b(\d{6,10})\b/.exec(message.body)?.[1];
    assert.ok(code, `the message to ${address} holds a code`);
    return code;
  };
  const codeRoundFor = async (login: string, method: "EMAIL_OTP" | "SMS_OTP", webauthn?: WebAuthnCeremonies) => {
    const since = Date.now() - 1000;
    const round = await (await client(webauthn).signIn(login)).chooseCode(method);
    return { round, code: await codeSentTo(login, since) };
  };
  const claimsOf = (done: SignedIn) => tokenVerifiers(stack.config).id.verify(done.tokens.idToken);

  it("signs in with an emailed code; the tokens are Amplify's session", async () => {
    const email = newEmail("ada");
    const userId = await signUpUser(email);
    const select = await client().signIn(email);
    assert.deepEqual(select.methods, ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]);
    const since = Date.now() - 1000;
    const round = await select.chooseCode("EMAIL_OTP");
    assert.match(round.destination, /^a\*+@e\*+\.com$/, "login went along with the choice");
    const done = signedIn(await round.answer(await codeSentTo(email, since)));

    assert.equal("refreshToken" in done.tokens, false, "Amplify keeps the refresh token to itself");
    assert.ok(done.tokens.expiresIn > 0);
    const session = await fetchAuthSession();
    assert.equal(session.tokens?.idToken?.toString(), done.tokens.idToken, "the very tokens Amplify stored");
    assert.equal((await getCurrentUser()).userId, userId);
    const claims = await claimsOf(done);
    assert.equal(claims["auth_methods"], "email_otp");
    assert.ok(
      [...storage.items.keys()].some((key) => key.endsWith(".refreshToken")),
      "Amplify stored the refresh token",
    );
  });

  it("throws a wrong SMS code as WrongCodeError; the retry round takes the right one", async () => {
    const email = newEmail("grace");
    const phone = newUkPhone();
    await signUpUser(email, phone);
    const { round, code } = await codeRoundFor(phone, "SMS_OTP");
    assert.match(round.destination, /^\+\*+\d{4}$/);
    const wrong = await round.answer(code === "000000" ? "000001" : "000000").catch((error: unknown) => error);
    assert.ok(wrong instanceof WrongCodeError);
    assert.equal(wrong.attemptsLeft, 2);
    const claims = await claimsOf(signedIn(await wrong.retry.answer(code)));
    assert.equal(claims["auth_methods"], "sms");
  });

  it("names the third wrong code SignInFailedError", async () => {
    const email = newEmail("barbara");
    await signUpUser(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    const wrongCodes = ["000000", "000001", "000002", "000003"].filter((candidate) => candidate !== code);
    let current: CodeRound = round;
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await current.answer(wrongCodes.shift()!).catch((thrown: unknown) => thrown);
      assert.ok(error instanceof WrongCodeError);
      current = error.retry;
    }
    await assert.rejects(current.answer(wrongCodes.shift()!), SignInFailedError);
  });

  it("names a session older than AuthSessionValidity SessionExpiredError", async () => {
    const email = newEmail("katherine");
    await signUpUser(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    clockOffset = 16 * 60_000; // template.yaml: AuthSessionValidityMinutes 15
    try {
      await assert.rejects(round.answer(code), SessionExpiredError);
    } finally {
      clockOffset = 0;
    }
  });

  it("enrols a passkey after a code, then signs in with it", async () => {
    const email = newEmail("margaret");
    const userId = await signUpUser(email);
    const webauthn = softWebAuthn(authenticatorFor(stack));
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP", webauthn);
    const enrolment = registrationRound(await round.answer(code, { registerPasskey: true }));
    signedIn(await enrolment.register({ userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15" }));
    await signOut();

    const done = signedIn(await (await client(webauthn).signIn(email)).signInWithPasskey());
    const claims = await claimsOf(done);
    assert.equal(claims.sub, userId);
    assert.equal(claims["auth_methods"], "hwk");
    assert.equal(claims["auth_level"], "urn:cognito:loa:3");
  });

  it("declines enrolment with SKIP", async () => {
    const email = newEmail("frances");
    await signUpUser(email);
    const { round, code } = await codeRoundFor(email, "EMAIL_OTP");
    const enrolment = registrationRound(await round.answer(code, { registerPasskey: true }));
    assert.equal((await claimsOf(await enrolment.skip()))["auth_methods"], "email_otp");
  });
});
