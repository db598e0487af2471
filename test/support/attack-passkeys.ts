/**
 * Passkey ceremonies against the local stack, with the soft authenticator in place of a browser:
 * enrolment right after an emailed code (README, "Optional round: PASSKEY_REGISTRATION") and a
 * passkey sign-in over the SELECT_METHOD round's passkeyOptions. The authenticator reports the
 * demo page's origin, the one the local stack allows, unless a test tampers with it.
 */
import assert from "node:assert/strict";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { InitiateAuthCommandOutput } from "@aws-sdk/client-cognito-identity-provider";
import type { LocalStack } from "./local-stack.ts";
import { type SignInDriver, parametersOf } from "./attack-sign-in.ts";
import { SoftAuthenticator, type SoftAuthenticatorOptions } from "@cognito-passwordless/test-kit/soft-authenticator.ts";

/** An authenticator as a browser on the stack's demo page would use it. */
export function authenticatorFor(stack: LocalStack, options: SoftAuthenticatorOptions = {}): SoftAuthenticator {
  return new SoftAuthenticator({ origin: stack.demoUrl, ...options });
}

export function requestOptionsOf(started: InitiateAuthCommandOutput): PublicKeyCredentialRequestOptionsJSON {
  const json = parametersOf(started)["passkeyOptions"];
  assert.ok(json, "SELECT_METHOD carries passkeyOptions");
  return JSON.parse(json) as PublicKeyCredentialRequestOptionsJSON;
}

/** Signs in with an emailed code, enrols the authenticator's passkey, and returns the tokens' round. */
export async function enrolPasskey(driver: SignInDriver, email: string, authenticator: SoftAuthenticator) {
  const codeRound = await driver.codeRound(email, "EMAIL_OTP");
  const registration = await driver.answer(codeRound, email, driver.latestCode(email), { registerPasskey: "true" });
  const parameters = parametersOf(registration);
  assert.equal(parameters["type"], "PASSKEY_REGISTRATION");
  const options = JSON.parse(parameters["options"] ?? "{}") as PublicKeyCredentialCreationOptionsJSON;
  const done = await driver.answer(registration, email, JSON.stringify(authenticator.register(options)));
  assert.ok(done.AuthenticationResult?.IdToken, "a valid enrolment issues tokens");
  return done;
}
