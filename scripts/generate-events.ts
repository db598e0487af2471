/**
 * Writes events/*.json: a realistic sample of every trigger event the suite handles, for
 * `sam local invoke <Function> -e events/<file>.json` and `npm run invoke`. Built from the same
 * factories the tests use, so the samples keep Cognito's exact shape. Code rounds use the code
 * 123456 and expire in 2099, so the "correct" samples really are correct. Passkey samples assume
 * SIGN_IN_METHODS includes PASSKEY. The passkey API's samples are API Gateway's payload 2.0 events
 * (test/support/passkey-api-events.ts) for the routes that answer the same whenever they run: a
 * sample token's sign-in is long past, so adding a passkey answers 403 (sign in again).
 *
 *   npx tsx scripts/generate-events.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { CodeRound, RoundMetadata } from "../lib/flow/challenge-metadata.ts";
import { challengeParameters } from "../lib/flow/challenge-parameters.ts";
import { readFlowConfig } from "../lib/config.ts";
import { deriveCodeSalt, hashCode } from "../lib/otp/code-hash.ts";
import { hashForKey } from "../lib/store/keys.ts";
import {
  USER_ATTRIBUTES,
  createEvent,
  defineEvent,
  preSignUpEvent,
  preTokenEventV1,
  preTokenEventV2,
  sessionEntry,
  verifyEvent,
} from "@cognito-passwordless/test-kit/events.ts";
import { accessTokenClaims, idTokenClaims, passkeyApiEvent } from "../test/support/passkey-api-events.ts";

const flow = readFlowConfig({});
const select: RoundMetadata = { round: "SELECT_METHOD", nonce: "Q2hvb3NlIGEgbWV0aG9kIQ" };
const salt = deriveCodeSalt(select.nonce);
const EXPIRES = Date.parse("2099-01-01T00:00:00Z");
const emailRound: CodeRound = {
  round: "EMAIL_OTP",
  nonce: "RW1haWwgcm91bmQgbm9uY2U",
  codeId: "Y29kZS1pZC1leGFtcGxlMQ",
  codeHash: hashCode("123456", salt),
  salt,
  expiresAt: EXPIRES,
  destination: "j***@e***.com",
  codeLength: 6,
  sentTo: hashForKey(USER_ATTRIBUTES.email as string),
  // The sample user has proven nothing yet: its first code makes the account its own.
  purpose: "first-proof",
};
const smsRound: CodeRound = {
  ...emailRound,
  round: "SMS_OTP",
  destination: "+********0123",
  sentTo: hashForKey(USER_ATTRIBUTES.phone_number as string),
};
const selectWithPasskey: RoundMetadata = { ...select, passkeyChallenge: "c2lnbi1pbi1jaGFsbGVuZ2UtZXhhbXBsZS0zMi1ieXRlcw" };
const registrationRound: RoundMetadata = {
  round: "PASSKEY_REGISTRATION",
  nonce: "UmVnaXN0cmF0aW9uIG5vbmNl",
  challenge: "ZW5yb2xtZW50LWNoYWxsZW5nZS1leGFtcGxlLTMyLWJ5dGVz",
  factor: { method: "EMAIL_OTP", sentTo: hashForKey(USER_ATTRIBUTES.email as string) },
  final: false,
};
const decoyRound: CodeRound = { ...emailRound, codeHash: "", salt: "", destination: "n***@e***.org", sentTo: "" };
// The app sends what the person typed as ClientMetadata.login: the round's destination is its mask.
const chooseEmail = { clientMetadata: { signInMethod: "EMAIL_OTP", login: USER_ATTRIBUTES.email as string } };
const chooseSms = { clientMetadata: { signInMethod: "SMS_OTP", login: USER_ATTRIBUTES.phone_number as string } };
const choosePasskey = { clientMetadata: { signInMethod: "PASSKEY" } };
const codeThenEnrol = { clientMetadata: { registerPasskey: "true" } };
const unknown = { userName: "nobody@example.org", userNotFound: true };
const privateOf = (round: RoundMetadata) => challengeParameters(round, flow).privateChallengeParameters;

const events: Record<string, unknown> = {
  "define-first-call": defineEvent([]),
  "define-after-choosing-email": defineEvent([sessionEntry(select)], chooseEmail),
  "define-after-choosing-sms": defineEvent([sessionEntry(select)], chooseSms),
  "define-after-wrong-code": defineEvent([sessionEntry(select), sessionEntry(emailRound)], chooseEmail),
  "define-after-third-wrong-code": defineEvent(
    [sessionEntry(select), sessionEntry(emailRound), sessionEntry(emailRound), sessionEntry(emailRound)],
    chooseEmail,
  ),
  "define-after-correct-code": defineEvent([sessionEntry(select), sessionEntry(emailRound, true)], chooseEmail),
  "define-after-passkey": defineEvent([sessionEntry(selectWithPasskey, true)], choosePasskey),
  "define-after-code-asking-for-passkey": defineEvent([sessionEntry(select), sessionEntry(emailRound, true)], codeThenEnrol),
  "define-after-passkey-enrolment": defineEvent([sessionEntry(select), sessionEntry(emailRound, true), sessionEntry(registrationRound, true)]),
  "define-user-not-found": defineEvent([sessionEntry(select)], { ...unknown, ...chooseEmail }),
  "create-select-method": createEvent([]),
  "create-email-code": createEvent([sessionEntry(select)], chooseEmail),
  "create-sms-code": createEvent([sessionEntry(select)], chooseSms),
  "create-email-code-retry": createEvent([sessionEntry(select), sessionEntry(emailRound)], chooseEmail),
  "create-passkey-registration": createEvent([sessionEntry(select), sessionEntry(emailRound, true)], codeThenEnrol),
  "create-user-not-found": createEvent([sessionEntry(select)], { ...unknown, clientMetadata: { signInMethod: "EMAIL_OTP", login: "nobody@example.org" } }),
  "verify-method-choice": verifyEvent(privateOf(select), "EMAIL_OTP", chooseEmail),
  "verify-email-code-correct": verifyEvent(privateOf(emailRound), "123456", chooseEmail),
  "verify-email-code-wrong": verifyEvent(privateOf(emailRound), "654321", chooseEmail),
  "verify-sms-code-correct": verifyEvent(privateOf(smsRound), "123456", chooseSms),
  "verify-passkey-registration-skip": verifyEvent(privateOf(registrationRound), "SKIP"),
  "verify-user-not-found": verifyEvent(privateOf(decoyRound), "123456", { ...unknown, ...chooseEmail }),
  "pre-sign-up-sign-up": preSignUpEvent("PreSignUp_SignUp", {
    userName: "8f2e4c1a-5b6d-4e7f-9a0b-1c2d3e4f5a6b",
    userAttributes: { email: "jane.doe@example.com" },
    validationData: {},
  }),
  "pre-sign-up-admin-create-user": preSignUpEvent("PreSignUp_AdminCreateUser", { userAttributes: { email: "jane.doe@example.com" } }),
  // Federated first sign-ins (account linking). Cognito names the user <provider>_<subject>; the
  // prefix may come lower-cased. What each one does depends on the pool's users: the events test
  // gives Jane a verified native account with her email and phone.
  "pre-sign-up-external-provider-verified-email": preSignUpEvent("PreSignUp_ExternalProvider", {
    userName: "Google_107316791239512345678",
    userAttributes: { email: "jane.doe@example.com", email_verified: "true", name: "Jane Doe", "cognito:email_alias": "" },
  }),
  "pre-sign-up-external-provider-lowercase-prefix": preSignUpEvent("PreSignUp_ExternalProvider", {
    userName: "google_107316791239512345678",
    userAttributes: { email: "jane.doe@example.com", email_verified: "true", name: "Jane Doe" },
  }),
  "pre-sign-up-external-provider-unverified-email": preSignUpEvent("PreSignUp_ExternalProvider", {
    userName: "Google_107316791239512345678",
    userAttributes: { email: "jane.doe@example.com", email_verified: "false" },
  }),
  "pre-sign-up-external-provider-verified-phone": preSignUpEvent("PreSignUp_ExternalProvider", {
    userName: "descope_U2ZmYjM0Mzk2NzRhNDg",
    userAttributes: { phone_number: "+447700900123", phone_number_verified: "true" },
  }),
  "pre-sign-up-external-provider-new-person": preSignUpEvent("PreSignUp_ExternalProvider", {
    userName: "descope_U2NjYTk5ZDc4ZjQ0OTE",
    userAttributes: { email: "new.person@example.com", email_verified: "true", name: "New Person" },
  }),
  "pre-sign-up-external-provider-untrusted-provider": preSignUpEvent("PreSignUp_ExternalProvider", {
    userName: "facebook_10155611263153532",
    userAttributes: { email: "jane.doe@example.com", email_verified: "true" },
  }),
  "pre-token-v1-authentication": preTokenEventV1("TokenGeneration_Authentication", chooseEmail),
  "pre-token-v2-authentication": preTokenEventV2("TokenGeneration_Authentication", chooseEmail),
  "pre-token-v2-refresh": preTokenEventV2("TokenGeneration_RefreshTokens"),
  "passkeys-api-list": passkeyApiEvent("list"),
  "passkeys-api-list-with-id-token": passkeyApiEvent("list", { claims: idTokenClaims() }),
  "passkeys-api-rename-unknown-passkey": passkeyApiEvent("rename", { id: "bm8tc3VjaC1wYXNza2V5", body: { name: "Work laptop" } }),
  "passkeys-api-registration-options-after-old-sign-in": passkeyApiEvent("registrationOptions", { claims: accessTokenClaims() }),
};

const folder = new URL("../events/", import.meta.url);
mkdirSync(folder, { recursive: true });
for (const [name, event] of Object.entries(events)) {
  writeFileSync(new URL(`${name}.json`, folder), `${JSON.stringify(event, null, 2)}\n`);
}
console.log(`Wrote ${Object.keys(events).length} events to events/.`);
