/**
 * The events the bench invokes bundles with outside the local stack (cold starts, warm latency):
 * built with the factories of test/support/events.ts, which give the exact shapes Cognito sends,
 * filled with round metadata made the way the suite's own code makes it (lib/), so every event is
 * one a real sign-in could produce. Each kind comes with a check of the response, so a bench run
 * that measured the wrong path (a decoy round, a refused passkey) fails instead of reporting it.
 */
import { randomInt, randomUUID } from "node:crypto";
import { type CodeRound, type RoundMetadata, type SelectMethodRound, encodeRoundMetadata } from "../lib/flow/challenge-metadata.ts";
import { randomId } from "../lib/flow/random-id.ts";
import { maskDestination } from "../lib/mask.ts";
import { deriveCodeSalt, hashCode } from "../lib/otp/code-hash.ts";
import { PUBLIC_KEY_ATTRIBUTE } from "../lib/passkey/public-key-cache.ts";
import { hashForKey } from "../lib/store/keys.ts";
import {
  createEvent,
  defineEvent,
  preSignUpEvent,
  preTokenEventV2,
  sessionEntry,
  verifyEvent,
} from "../test/support/events.ts";
import type { SoftAuthenticator } from "../test/support/soft-authenticator.ts";

/** One event to invoke a bundle with, named for the path it takes. */
export interface LabelledEvent {
  readonly label: string;
  readonly event: unknown;
}

/** A passkey-holding user as the triggers see them: enrolled through the real flow beforehand. */
export interface PasskeyHolder {
  readonly userName: string;
  readonly email: string;
  readonly authenticator: SoftAuthenticator;
  /** The relying party id the passkey was made for ("localhost" in the local stack). */
  readonly rpId: string;
  /** The user's custom:passkeys attribute after enrolment, as Cognito passes it to Verify. */
  readonly cachedPublicKeys: string | undefined;
}

/** A returning user: confirmed, address verified (so a correct code does not update Cognito again). */
function returningUser(email: string, userName: string = randomUUID()) {
  return {
    userName,
    userAttributes: { sub: userName, email, email_verified: "true", "cognito:user_status": "CONFIRMED" },
  };
}

function freshEmail(): string {
  return `bench-${randomUUID().slice(0, 12)}@example.com`;
}

function selectRound(passkeyChallenge?: string): SelectMethodRound {
  return passkeyChallenge === undefined ? { round: "SELECT_METHOD", nonce: randomId() } : { round: "SELECT_METHOD", nonce: randomId(), passkeyChallenge };
}

/** An email code round as Create issues it after `previous`: the code hashed with a salt from that round's nonce. */
function emailCodeRound(previous: RoundMetadata, email: string, code: string): CodeRound {
  const salt = deriveCodeSalt(previous.nonce);
  return {
    round: "EMAIL_OTP",
    nonce: randomId(),
    codeId: randomId(),
    codeHash: hashCode(code, salt),
    salt,
    expiresAt: Date.now() + 5 * 60_000,
    destination: maskDestination("email", email),
    codeLength: 6,
    sentTo: hashForKey(email),
    purpose: "sign-in",
  };
}

function sixDigits(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

function privateParameters(metadata: RoundMetadata): Record<string, string> {
  return { type: metadata.round, round: encodeRoundMetadata(metadata) };
}

/** The session states DefineAuthChallenge decides on in an email-code and a passkey sign-in. */
export function defineSessionStates(): LabelledEvent[] {
  const { userName, userAttributes } = returningUser(freshEmail());
  const select = selectRound(randomId());
  const code = emailCodeRound(select, userAttributes.email, sixDigits());
  const options = { userName, userAttributes };
  return [
    { label: "new sign-in", event: defineEvent([], options) },
    { label: "method chosen", event: defineEvent([sessionEntry(select)], { ...options, clientMetadata: { signInMethod: "EMAIL_OTP" } }) },
    { label: "code refused", event: defineEvent([sessionEntry(select), sessionEntry(code)], options) },
    { label: "code accepted", event: defineEvent([sessionEntry(select), sessionEntry(code, true)], options) },
    { label: "passkey accepted", event: defineEvent([sessionEntry(select, true)], { ...options, clientMetadata: { signInMethod: "PASSKEY" } }) },
  ];
}

/** CreateAuthChallenge for the first round of every sign-in: SELECT_METHOD with passkey options. */
export function createSelectMethod(): LabelledEvent {
  const { userName, userAttributes } = returningUser(freshEmail());
  return { label: "select method", event: createEvent([], { userName, userAttributes }) };
}

/** CreateAuthChallenge for an email code round: a fresh user and address each time, so no rate limit is ever reached. */
export function createEmailCodeRound(): LabelledEvent {
  const { userName, userAttributes } = returningUser(freshEmail());
  return {
    label: "email code round",
    event: createEvent([sessionEntry(selectRound(randomId()))], { userName, userAttributes, clientMetadata: { signInMethod: "EMAIL_OTP" } }),
  };
}

/** VerifyAuthChallengeResponse judging a code: the right one (which records the sign-in) or a wrong one. */
export function verifyCodeAnswer(correct: boolean): LabelledEvent {
  const email = freshEmail();
  const { userName, userAttributes } = returningUser(email);
  const code = sixDigits();
  const round = emailCodeRound(selectRound(), email, code);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  return {
    label: correct ? "correct code" : "wrong code",
    event: verifyEvent(privateParameters(round), correct ? code : wrong, { userName, userAttributes }),
  };
}

/** VerifyAuthChallengeResponse for the choice of a code method in SELECT_METHOD: not a factor. */
export function verifyMethodChoice(): LabelledEvent {
  const { userName, userAttributes } = returningUser(freshEmail());
  return {
    label: "method choice",
    event: verifyEvent(privateParameters(selectRound(randomId())), "EMAIL_OTP", { userName, userAttributes, clientMetadata: { signInMethod: "EMAIL_OTP" } }),
  };
}

/** VerifyAuthChallengeResponse for a passkey answer: a fresh assertion over a fresh challenge by an enrolled passkey. */
export function verifyPasskeyAnswer(holder: PasskeyHolder): LabelledEvent {
  const select = selectRound(randomId());
  const assertion = holder.authenticator.authenticate({
    challenge: select.passkeyChallenge!,
    rpId: holder.rpId,
    allowCredentials: [],
    userVerification: "required",
  });
  const { userAttributes } = returningUser(holder.email, holder.userName);
  if (holder.cachedPublicKeys !== undefined) Object.assign(userAttributes, { [PUBLIC_KEY_ATTRIBUTE]: holder.cachedPublicKeys });
  return {
    label: "passkey assertion",
    event: verifyEvent(privateParameters(select), JSON.stringify(assertion), {
      userName: holder.userName,
      userAttributes,
      clientMetadata: { signInMethod: "PASSKEY" },
    }),
  };
}

export function preSignUp(): LabelledEvent {
  return { label: "sign-up", event: preSignUpEvent("PreSignUp_SignUp", { userName: randomUUID(), userAttributes: { email: freshEmail() } }) };
}

/** PreTokenGeneration (V2, the template's default plan) for a user whose sign-in record Verify left. */
export function preTokenForSignIn(userName: string): LabelledEvent {
  const { userAttributes } = returningUser(freshEmail(), userName);
  return { label: "sign-in with record", event: preTokenEventV2("TokenGeneration_Authentication", { userName, userAttributes }) };
}

/** A value inside a response, or undefined when any step of the path is missing. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** What each label's response must look like; a message says what went wrong. */
export function checkResponse(label: string, response: unknown): string | undefined {
  const expect = (ok: boolean, what: string) => (ok ? undefined : `${label}: expected ${what}, got ${JSON.stringify(response)}`);
  switch (label) {
    case "new sign-in":
    case "method chosen":
    case "code refused":
      return expect(at(response, "challengeName") === "CUSTOM_CHALLENGE" && at(response, "issueTokens") !== true, "the next challenge");
    case "code accepted":
    case "passkey accepted":
      return expect(at(response, "issueTokens") === true, "tokens to be issued");
    case "select method":
      return expect(at(response, "publicChallengeParameters", "type") === "SELECT_METHOD", "a SELECT_METHOD round");
    case "email code round": {
      const metadata = JSON.parse(String(at(response, "challengeMetadata") ?? "{}")) as { codeHash?: string };
      // An empty hash is a decoy round: nothing was sent, so the measurement would miss the sending.
      return expect(at(response, "publicChallengeParameters", "type") === "EMAIL_OTP" && Boolean(metadata.codeHash), "an EMAIL_OTP round whose code was sent");
    }
    case "correct code":
    case "passkey assertion":
      return expect(at(response, "answerCorrect") === true, "the answer to be accepted");
    case "wrong code":
    case "method choice":
      return expect(at(response, "answerCorrect") === false, "the answer to be refused");
    case "sign-up":
      return expect(at(response, "autoConfirmUser") === true, "the user to be confirmed");
    case "sign-in with record":
      return expect(
        typeof at(response, "claimsAndScopeOverrideDetails", "idTokenGeneration", "claimsToAddOrOverride", "auth_methods") === "string",
        "auth_methods among the claims",
      );
    default:
      return `${label}: no check is defined for this kind of event`;
  }
}
