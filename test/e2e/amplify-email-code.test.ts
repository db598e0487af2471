/**
 * Email one-time code sign-in end to end with Amplify v6 in Node, against the local stack:
 * Amplify reaches the local pool through `Auth.Cognito.userPoolEndpoint`, runs CUSTOM_WITHOUT_SRP,
 * and ends signed in with tokens that refresh through GetTokensFromRefreshToken.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Amplify } from "aws-amplify";
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import type { KeyValueStorageInterface } from "aws-amplify/utils";
import { type LocalStack, startTestStack, tokenVerifiers } from "../support/local-stack.ts";

/** Node has no localStorage: Amplify keeps its tokens here instead, and the test can look inside. */
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

describe("email code sign-in with Amplify v6", () => {
  let stack: LocalStack;
  const storage = new MemoryStorage();

  before(async () => {
    stack = await startTestStack();
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
  after(async () => {
    await signOut().catch(() => {});
    await stack?.stop();
  });

  it("signs up, signs in with CUSTOM_WITHOUT_SRP, answers SELECT_METHOD and the emailed code, and is signed in", async () => {
    const email = "amplify@example.com";
    const signedUp = await signUp({ username: email, password: `Aa1!${randomBytes(24).toString("base64url")}`, options: { userAttributes: { email } } });
    assert.equal(signedUp.isSignUpComplete, true);

    const started = await signIn({ username: email, options: { authFlowType: "CUSTOM_WITHOUT_SRP" } });
    assert.equal(started.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE");
    const select = started.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE" ? started.nextStep.additionalInfo : undefined;
    assert.equal(select?.["type"], "SELECT_METHOD");

    const sentAfter = Date.now() - 1000;
    const codeRound = await confirmSignIn({ challengeResponse: "EMAIL_OTP", options: { clientMetadata: { signInMethod: "EMAIL_OTP" } } });
    assert.equal(codeRound.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE");
    const parameters = codeRound.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE" ? codeRound.nextStep.additionalInfo : undefined;
    assert.equal(parameters?.["type"], "EMAIL_OTP");

    const message = await stack.outbox.waitFor((m) => m.channel === "email" && m.to === email && Date.parse(m.sentAt) >= sentAfter);
    const code = /\b(\d{6,10})\b/.exec(message.body)?.[1];
    assert.ok(code);
    const done = await confirmSignIn({ challengeResponse: code, options: { clientMetadata: { signInMethod: "EMAIL_OTP" } } });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, "DONE");

    const user = await getCurrentUser();
    assert.equal(user.userId, signedUp.userId);
    const session = await fetchAuthSession();
    const idToken = session.tokens?.idToken?.toString();
    assert.ok(idToken);
    const verified = await tokenVerifiers(stack.config).id.verify(idToken);
    assert.equal(verified["email"], email);
    assert.equal(verified["email_verified"], true);
    assert.equal(verified["auth_methods"], "email_otp");
    assert.ok(
      [...storage.items.keys()].some((key) => key.endsWith(".refreshToken")),
      "Amplify stored the refresh token",
    );
  });

  it("refreshes the session through GetTokensFromRefreshToken", async () => {
    const before = (await fetchAuthSession()).tokens?.accessToken;
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    const after = refreshed.tokens?.accessToken;
    assert.ok(before && after);
    assert.notEqual(after.payload.jti, before.payload.jti, "new tokens were issued");
    assert.equal(after.payload.origin_jti, before.payload.origin_jti, "from the same sign-in");
    await tokenVerifiers(stack.config).access.verify(after.toString());
  });
});
