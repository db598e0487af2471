/**
 * The events the bench invokes bundles with outside the local stack (cold starts, warm latency):
 * built with the factories of packages/test-kit/src/events.ts, which give the exact shapes Cognito sends,
 * filled with round metadata made the way the suite's own code makes it (lib/), so every event is
 * one a real sign-in could produce. Each kind comes with a check of the response, so a bench run
 * that measured the wrong path (a decoy round, a refused passkey) fails instead of reporting it.
 */
import { randomInt, randomUUID } from "node:crypto";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { type CodeRound, type RegistrationRound, type RoundMetadata, type SelectMethodRound, encodeRoundMetadata } from "../lib/flow/challenge-metadata.ts";
import { randomId } from "../lib/flow/random-id.ts";
import { verifiedFactorOf } from "../lib/flow/verified-factor.ts";
import { maskDestination } from "../lib/mask.ts";
import { deriveCodeSalt, hashCode } from "../lib/otp/code-hash.ts";
import { newPasskeyChallenge } from "../lib/passkey/passkey-rounds.ts";
import { PUBLIC_KEY_ATTRIBUTE } from "../lib/passkey/public-key-cache.ts";
import { SUPPORTED_ALGORITHM_IDS } from "../lib/passkey/supported-algorithms.ts";
import { passkeyUserHandle } from "../lib/passkey/user-handle.ts";
import { CLIENT_METADATA, PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import { hashForKey } from "../lib/store/keys.ts";
import { createEvent, defineEvent, preSignUpEvent, preTokenEventV2, sessionEntry, verifyEvent } from "@cognito-passwordless/test-kit/events.ts";
import { type SoftAuthenticator, createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";

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

/**
 * Users who enrol a passkey after their code, one per event: each exists in the local pool with its
 * email verified and no passkey yet (as the load's enrolling users), so Verify's registration
 * answer takes the path a real first enrolment takes, the write of the key to the user's
 * `custom:passkeys` attribute included, and never meets the per-user passkey limit.
 */
export interface EnrolmentInputs {
  readonly users: readonly { readonly userName: string; readonly email: string }[];
  /** The origin the software authenticator reports: one the functions allow (PasskeyAllowedOrigins). */
  readonly origin: string;
  /** The relying party id ("localhost" in the local stack). */
  readonly rpId: string;
  /** The local pool the users are in: Verify writes the new key to the user's attribute there. */
  readonly userPoolId: string;
}

/** A returning user: confirmed, address verified (so a correct code does not update Cognito again). */
export function returningUser(email: string = freshEmail(), userName: string = randomUUID()): BenchUser {
  return {
    userName,
    userAttributes: { sub: userName, email, email_verified: "true", "cognito:user_status": "CONFIRMED" },
  };
}

/** A user as the trigger events carry them. */
export interface BenchUser {
  readonly userName: string;
  readonly userAttributes: { sub: string; email: string; email_verified: string; "cognito:user_status": string };
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
export function defineSessionStates({ userName, userAttributes }: BenchUser = returningUser()): LabelledEvent[] {
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
export function createSelectMethod({ userName, userAttributes }: BenchUser = returningUser()): LabelledEvent {
  return { label: "select method", event: createEvent([], { userName, userAttributes }) };
}

/** CreateAuthChallenge for an email code round: a fresh user and address each time, so no rate limit is ever reached. */
export function createEmailCodeRound({ userName, userAttributes }: BenchUser = returningUser()): LabelledEvent {
  return {
    label: "email code round",
    event: createEvent([sessionEntry(selectRound(randomId()))], { userName, userAttributes, clientMetadata: { signInMethod: "EMAIL_OTP" } }),
  };
}

/** VerifyAuthChallengeResponse judging a code: the right one (which records the sign-in) or a wrong one. */
export function verifyCodeAnswer(correct: boolean, { userName, userAttributes }: BenchUser = returningUser()): LabelledEvent {
  const email = userAttributes.email;
  const code = sixDigits();
  const round = emailCodeRound(selectRound(), email, code);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  return {
    label: correct ? "correct code" : "wrong code",
    event: verifyEvent(privateParameters(round), correct ? code : wrong, { userName, userAttributes }),
  };
}

/** VerifyAuthChallengeResponse for the choice of a code method in SELECT_METHOD: not a factor. */
export function verifyMethodChoice({ userName, userAttributes }: BenchUser = returningUser()): LabelledEvent {
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

/** Asks for PASSKEY_REGISTRATION with the answer that completes the code, as an enrolling app does. */
const ENROL = { [CLIENT_METADATA.registerPasskey]: "true" } as const;

/**
 * A PASSKEY_REGISTRATION round as Create issues it after a correct email code: its own challenge,
 * the factor the session verified (read from the rounds the way Create reads it), not the last attempt.
 */
function registrationRound(select: SelectMethodRound, code: CodeRound): RegistrationRound {
  const factor = verifiedFactorOf([
    { metadata: select, challengeResult: false },
    { metadata: code, challengeResult: true },
  ]);
  if (factor === undefined) throw new Error("A correct code round should be the session's verified factor.");
  return { round: "PASSKEY_REGISTRATION", nonce: randomId(), challenge: newPasskeyChallenge(), factor, final: false };
}

/** The session states DefineAuthChallenge decides on only when a passkey enrolment follows a code. */
export function defineEnrolmentStates(): LabelledEvent[] {
  const email = freshEmail();
  const { userName, userAttributes } = returningUser(email);
  const select = selectRound(randomId());
  const code = emailCodeRound(select, email, sixDigits());
  const options = { userName, userAttributes };
  return [
    {
      label: "code accepted, enrolment asked",
      event: defineEvent([sessionEntry(select), sessionEntry(code, true)], { ...options, clientMetadata: { ...ENROL } }),
    },
    {
      label: "enrolment accepted",
      event: defineEvent([sessionEntry(select), sessionEntry(code, true), sessionEntry(registrationRound(select, code), true)], options),
    },
  ];
}

/** CreateAuthChallenge for PASSKEY_REGISTRATION after a correct email code: the user's passkeys read, creation options built. */
export function createRegistrationRound(): LabelledEvent {
  const email = freshEmail();
  const { userName, userAttributes } = returningUser(email);
  const select = selectRound(randomId());
  const code = emailCodeRound(select, email, sixDigits());
  return {
    label: "passkey registration round",
    event: createEvent([sessionEntry(select), sessionEntry(code, true)], { userName, userAttributes, clientMetadata: { ...ENROL } }),
  };
}

/** VerifyAuthChallengeResponse for a correct code whose answer asks for enrolment: the proof is saved, the sign-in not yet recorded. */
export function verifyCodeAnswerBeforeEnrolment(): LabelledEvent {
  const email = freshEmail();
  const { userName, userAttributes } = returningUser(email);
  const code = sixDigits();
  const round = emailCodeRound(selectRound(), email, code);
  return {
    label: "correct code, enrolment follows",
    event: verifyEvent(privateParameters(round), code, { userName, userAttributes, clientMetadata: { ...ENROL } }),
  };
}

/**
 * VerifyAuthChallengeResponse for the PASSKEY_REGISTRATION answer: a registration by a fresh
 * software authenticator over the round's challenge, for a user of the pool with no passkey yet.
 * Verify stores the passkey, tells the account's verified address (the notice email), leaves the
 * key's fingerprint on the user's item, caches the key in the user's attribute and records the sign-in.
 */
export function verifyRegistrationAnswer(enrolment: EnrolmentInputs, user: EnrolmentInputs["users"][number]): LabelledEvent {
  const { userName, userAttributes } = returningUser(user.email, user.userName);
  const select = selectRound(randomId());
  const round = registrationRound(select, emailCodeRound(select, user.email, sixDigits()));
  // What Create's options give the browser, as far as an authenticator reads them (lib/passkey/registration-options.ts).
  const options: PublicKeyCredentialCreationOptionsJSON = {
    challenge: round.challenge,
    rp: { id: enrolment.rpId, name: enrolment.rpId },
    user: { id: passkeyUserHandle(userAttributes, userName), name: user.email, displayName: user.email },
    pubKeyCredParams: SUPPORTED_ALGORITHM_IDS.map((alg) => ({ type: "public-key", alg })),
    excludeCredentials: [],
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    attestation: "none",
  };
  const registration = createSoftAuthenticator({ origin: enrolment.origin }).register(options);
  const event = verifyEvent(privateParameters(round), JSON.stringify(registration), { userName, userAttributes });
  // The factories name an example pool; this answer's attribute write must reach the user's own.
  return { label: "passkey registration", event: { ...event, userPoolId: enrolment.userPoolId } };
}

export function preSignUp(): LabelledEvent {
  return { label: "sign-up", event: preSignUpEvent("PreSignUp_SignUp", { userName: randomUUID(), userAttributes: { email: freshEmail() } }) };
}

/** PreTokenGeneration (V2, the template's default plan) for a user whose sign-in record Verify left. */
export function preTokenForSignIn(userName: string): LabelledEvent {
  const { userAttributes } = returningUser(freshEmail(), userName);
  return { label: "sign-in with record", event: preTokenEventV2("TokenGeneration_Authentication", { userName, userAttributes }) };
}

/**
 * `POST /passkeys/challenge` as API Gateway passes it to the passkey API's function (HTTP API,
 * payload format 2.0): a public route, so no authorizer in the request context and no token.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function passkeySignInChallenge(): LabelledEvent {
  const { method, path } = PASSKEY_API_ROUTES.signInChallenge;
  const timeEpoch = Date.now();
  const userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
  return {
    label: "sign-in challenge",
    event: {
      version: "2.0",
      routeKey: `${method} ${path}`,
      rawPath: path,
      rawQueryString: "",
      headers: { accept: "*/*", host: "bench.execute-api.us-east-1.amazonaws.com", origin: "https://example.com", "user-agent": userAgent },
      requestContext: {
        accountId: "000000000000",
        apiId: "bench",
        domainName: "bench.execute-api.us-east-1.amazonaws.com",
        domainPrefix: "bench",
        http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.10", userAgent },
        requestId: randomUUID(),
        routeKey: `${method} ${path}`,
        stage: "$default",
        time: new Date(timeEpoch).toUTCString(),
        timeEpoch,
      },
      isBase64Encoded: false,
    },
  };
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
    case "code accepted, enrolment asked":
      return expect(
        at(response, "challengeName") === "CUSTOM_CHALLENGE" && at(response, "issueTokens") !== true && at(response, "failAuthentication") !== true,
        "the PASSKEY_REGISTRATION challenge",
      );
    case "code accepted":
    case "passkey accepted":
    case "enrolment accepted":
      return expect(at(response, "issueTokens") === true, "tokens to be issued");
    case "select method":
      return expect(at(response, "publicChallengeParameters", "type") === "SELECT_METHOD", "a SELECT_METHOD round");
    case "email code round": {
      const metadata = JSON.parse(String(at(response, "challengeMetadata") ?? "{}")) as { codeHash?: string };
      // An empty hash is a decoy round: nothing was sent, so the measurement would miss the sending.
      return expect(at(response, "publicChallengeParameters", "type") === "EMAIL_OTP" && Boolean(metadata.codeHash), "an EMAIL_OTP round whose code was sent");
    }
    case "passkey registration round":
      return expect(
        at(response, "publicChallengeParameters", "type") === "PASSKEY_REGISTRATION" &&
          typeof at(response, "publicChallengeParameters", "options") === "string",
        "a PASSKEY_REGISTRATION round with creation options",
      );
    case "correct code":
    case "correct code, enrolment follows":
    case "passkey assertion":
    case "passkey registration":
      return expect(at(response, "answerCorrect") === true, "the answer to be accepted");
    case "wrong code":
    case "method choice":
      return expect(at(response, "answerCorrect") === false, "the answer to be refused");
    case "sign-in challenge": {
      const body = JSON.parse(String(at(response, "body") ?? "{}")) as { challengeId?: unknown; options?: { allowCredentials?: unknown } };
      return expect(
        at(response, "statusCode") === 200 && typeof body.challengeId === "string" && Array.isArray(body.options?.allowCredentials),
        "200 with a challengeId and request options",
      );
    }
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
