/**
 * Complete sign-ins as an app makes them, with the real AWS SDK client against the local stack
 * (README "How an app signs in"): sign-up, a one-time code by email or SMS read from the outbox,
 * passkey enrolment after a code (and the notice of the new passkey), and a passkey sign-in in one
 * round trip with the software authenticator of test/support/soft-authenticator.ts.
 */
import { randomBytes } from "node:crypto";
import {
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
  InitiateAuthCommand,
  type RespondToAuthChallengeCommandOutput,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Outbox, OutboxMessage } from "../local/outbox/outbox.ts";
import type { SoftAuthenticator } from "../test/support/soft-authenticator.ts";
import { PASSKEY_NOTICE_SUBJECT } from "./sign-in-usage.ts";

export type CodeMethod = "EMAIL_OTP" | "SMS_OTP";

export interface SignInContext {
  readonly client: CognitoIdentityProviderClient;
  readonly clientId: string;
  readonly userPoolId: string;
  readonly outbox: Outbox;
}

export interface BenchUser {
  /** What the person types: the email address or phone number. */
  readonly login: string;
  /** Cognito's internal username (the sub), which the triggers see. */
  readonly userName: string;
  readonly email?: string;
  readonly phone?: string;
  /** Messages to this user already read, so the next code read is always a new one. */
  readonly readMessages: Set<string>;
  authenticator?: SoftAuthenticator;
}

/** A password the pool's policy accepts; passwordless sign-in never uses it again. */
const randomPassword = () => `Aa1!${randomBytes(24).toString("base64url")}`;

const messageKey = (message: OutboxMessage) => `${message.sentAt}|${message.channel}|${message.body}`;

export async function signUpUser(context: SignInContext, identity: { email: string } | { phone: string }): Promise<BenchUser> {
  const login = "email" in identity ? identity.email : identity.phone;
  const attribute = "email" in identity ? { Name: "email", Value: identity.email } : { Name: "phone_number", Value: identity.phone };
  const signedUp = await context.client.send(
    new SignUpCommand({ ClientId: context.clientId, Username: login, Password: randomPassword(), UserAttributes: [attribute] }),
  );
  if (signedUp.UserSub === undefined) throw new Error(`SignUp of ${login} returned no UserSub.`);
  return { login, userName: signedUp.UserSub, ...identity, readMessages: new Set() };
}

/**
 * Marks the user's address verified, as entering a first code would: the bench measures returning
 * users, whose later sign-ins no longer make Verify update the attribute.
 */
export async function markVerified(context: SignInContext, user: BenchUser): Promise<void> {
  const flag = user.email !== undefined ? "email_verified" : "phone_number_verified";
  await context.client.send(
    new AdminUpdateUserAttributesCommand({ UserPoolId: context.userPoolId, Username: user.login, UserAttributes: [{ Name: flag, Value: "true" }] }),
  );
}

function start(context: SignInContext, user: BenchUser): Promise<InitiateAuthCommandOutput> {
  return context.client.send(new InitiateAuthCommand({ ClientId: context.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: user.login } }));
}

function answer(
  context: SignInContext,
  user: BenchUser,
  session: string | undefined,
  value: string,
  clientMetadata?: Record<string, string>,
): Promise<RespondToAuthChallengeCommandOutput> {
  return context.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: context.clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: user.login, ANSWER: value },
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

function roundType(output: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput): string | undefined {
  return output.ChallengeParameters?.["type"];
}

function expectRound(output: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput, type: string, user: BenchUser): Record<string, string> {
  if (roundType(output) !== type) {
    throw new Error(`Sign-in of ${user.login}: expected the ${type} round, got ${JSON.stringify(output.ChallengeParameters ?? output.AuthenticationResult)}.`);
  }
  return output.ChallengeParameters ?? {};
}

function expectTokens(output: RespondToAuthChallengeCommandOutput, user: BenchUser): void {
  if (output.AuthenticationResult?.IdToken === undefined) {
    throw new Error(`Sign-in of ${user.login}: expected tokens, got ${JSON.stringify(output.ChallengeParameters)}.`);
  }
}

/** The code in the newest message to the user that has not been read yet. */
async function readCode(context: SignInContext, user: BenchUser, method: CodeMethod, codeLength: number): Promise<string> {
  const channel = method === "EMAIL_OTP" ? "email" : "sms";
  const address = method === "EMAIL_OTP" ? user.email : user.phone;
  const message = await context.outbox.waitFor((m) => m.channel === channel && m.to === address && !user.readMessages.has(messageKey(m)));
  user.readMessages.add(messageKey(message));
  const code = new RegExp(`\\b(\\d{${codeLength}})\\b`).exec(message.body)?.[1];
  if (code === undefined) throw new Error(`The ${channel} to ${address} holds no ${codeLength}-digit code.`);
  return code;
}

/**
 * SELECT_METHOD → the code round → the code from the outbox → tokens. With `enrol`, the code
 * answer asks for the PASSKEY_REGISTRATION round and the authenticator registers a passkey.
 */
export async function codeSignIn(context: SignInContext, user: BenchUser, method: CodeMethod, enrol?: SoftAuthenticator): Promise<void> {
  const started = await start(context, user);
  expectRound(started, "SELECT_METHOD", user);
  const codeRound = await answer(context, user, started.Session, method, { signInMethod: method });
  const parameters = expectRound(codeRound, method, user);
  const code = await readCode(context, user, method, Number(parameters["codeLength"] ?? 6));
  if (enrol === undefined) {
    expectTokens(await answer(context, user, codeRound.Session, code), user);
    return;
  }
  const registration = await answer(context, user, codeRound.Session, code, { registerPasskey: "true" });
  const options = JSON.parse(expectRound(registration, "PASSKEY_REGISTRATION", user)["options"] ?? "{}") as PublicKeyCredentialCreationOptionsJSON;
  expectTokens(await answer(context, user, registration.Session, JSON.stringify(enrol.register(options))), user);
  user.authenticator = enrol;
}

/**
 * A code sign-in that enrols a passkey (codeSignIn with `enrol`), then the notice of the new
 * passkey in the user's mailbox: Verify sends it before it answers, so it is there with the tokens.
 */
export async function codeSignInWithEnrolment(context: SignInContext, user: BenchUser, enrol: SoftAuthenticator): Promise<void> {
  if (user.email === undefined) throw new Error(`${user.login} has no email for the code and the passkey notice.`);
  await codeSignIn(context, user, "EMAIL_OTP", enrol);
  const isNotice = (message: OutboxMessage) =>
    message.channel === "email" && message.to === user.email && PASSKEY_NOTICE_SUBJECT.test(message.subject ?? "") && !user.readMessages.has(messageKey(message));
  const notice = await context.outbox.waitFor(isNotice, 1000).catch(() => undefined);
  if (notice === undefined) throw new Error(`No "passkey added" notice reached ${user.email} after its enrolment.`);
  user.readMessages.add(messageKey(notice));
}

/** InitiateAuth, then the assertion over SELECT_METHOD's passkeyOptions: tokens in one round trip. */
export async function passkeySignIn(context: SignInContext, user: BenchUser): Promise<void> {
  const authenticator = user.authenticator;
  if (authenticator === undefined) throw new Error(`${user.login} has no passkey enrolled.`);
  const started = await start(context, user);
  const options = JSON.parse(expectRound(started, "SELECT_METHOD", user)["passkeyOptions"] ?? "{}") as PublicKeyCredentialRequestOptionsJSON;
  const assertion = authenticator.authenticate(options);
  expectTokens(await answer(context, user, started.Session, JSON.stringify(assertion), { signInMethod: "PASSKEY" }), user);
}
