/**
 * Complete sign-ins as an app makes them, through @cognito-passwordless/client on the real AWS SDK
 * client against the local stack (README "How an app signs in"): a one-time code by email or SMS
 * read from the outbox, passkey enrolment after a code (and the notice of the new passkey), and a
 * passkey sign-in in one round trip, with a username or without one (the passkey API's challenge
 * first, the passkey's user handle as USERNAME), the client's WebAuthn ceremonies answered by the software
 * authenticator of packages/test-kit/src/soft-authenticator.ts. Sign-up and marking an address verified
 * are plain SDK calls: the client covers sign-in only.
 */
import { randomBytes } from "node:crypto";
import { AdminUpdateUserAttributesCommand, type CognitoIdentityProviderClient, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  type CodeMethod,
  type PasswordlessClient,
  type SignInOutcome,
  type Tokens,
  type WebAuthnCeremonies,
  createPasswordlessClient,
} from "@cognito-passwordless/client";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Outbox, OutboxMessage } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { PASSKEY_NOTICE_SUBJECT } from "./sign-in-usage.ts";

export interface SignInContext {
  readonly client: CognitoIdentityProviderClient;
  readonly clientId: string;
  readonly userPoolId: string;
  readonly outbox: Outbox;
  /** The passkey API's base URL, where a sign-in without a username gets its challenge. */
  readonly passkeyApiUrl: string;
  /** The app's fetch (counted by the bench's meter when the context is a measured client's). */
  readonly fetch: (input: string, init?: RequestInit) => Promise<Response>;
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

/** The device's authenticator as the client's WebAuthn ceremonies, as a browser with a passkey would run them. */
function softWebAuthn(authenticator: SoftAuthenticator): WebAuthnCeremonies {
  return {
    startAuthentication: async ({ optionsJSON }) => authenticator.authenticate(optionsJSON as PublicKeyCredentialRequestOptionsJSON),
    startRegistration: async ({ optionsJSON }) => authenticator.register(optionsJSON as PublicKeyCredentialCreationOptionsJSON),
  };
}

/**
 * The app's side of one sign-in: the client on this context's SDK client (making it sends nothing),
 * with the device's authenticator as its WebAuthn when it has one. Outside a browser the client
 * sends no ClientMetadata.userAgent with a registration, as the bench never did.
 */
function passwordlessOn(context: SignInContext, device?: SoftAuthenticator): PasswordlessClient {
  return createPasswordlessClient({
    cognito: context.client,
    clientId: context.clientId,
    passkeyApiUrl: context.passkeyApiUrl,
    fetch: context.fetch,
    ...(device === undefined ? {} : { webauthn: softWebAuthn(device) }),
  });
}

function expectSignedIn(outcome: SignInOutcome, user: BenchUser): Tokens {
  if (outcome.kind !== "signed-in") throw new Error(`Sign-in of ${user.login}: expected tokens, got the ${outcome.kind} round (attempt ${outcome.attempt}).`);
  return outcome.tokens;
}

/**
 * SELECT_METHOD → the code round → the code from the outbox → tokens. With `enrol`, the code
 * answer asks for the PASSKEY_REGISTRATION round and the authenticator registers a passkey.
 */
export async function codeSignIn(context: SignInContext, user: BenchUser, method: CodeMethod, enrol?: SoftAuthenticator): Promise<Tokens> {
  const select = await passwordlessOn(context, enrol).signIn(user.login);
  const round = await select.chooseCode(method);
  const code = await readCode(context, user, method, round.codeLength);
  if (enrol === undefined) return expectSignedIn(await round.answer(code), user);
  const registration = await round.answer(code, { registerPasskey: true });
  if (registration.kind !== "passkey-registration") throw new Error(`Sign-in of ${user.login}: asked to enrol a passkey, but the pool issued tokens.`);
  const tokens = expectSignedIn(await registration.register(), user);
  user.authenticator = enrol;
  return tokens;
}

/**
 * A code sign-in that enrols a passkey (codeSignIn with `enrol`), then the notice of the new
 * passkey in the user's mailbox: Verify sends it before it answers, so it is there with the tokens.
 */
export async function codeSignInWithEnrolment(context: SignInContext, user: BenchUser, enrol: SoftAuthenticator): Promise<void> {
  if (user.email === undefined) throw new Error(`${user.login} has no email for the code and the passkey notice.`);
  await codeSignIn(context, user, "EMAIL_OTP", enrol);
  const isNotice = (message: OutboxMessage) =>
    message.channel === "email" &&
    message.to === user.email &&
    PASSKEY_NOTICE_SUBJECT.test(message.subject ?? "") &&
    !user.readMessages.has(messageKey(message));
  const notice = await context.outbox.waitFor(isNotice, 1000).catch(() => undefined);
  if (notice === undefined) throw new Error(`No "passkey added" notice reached ${user.email} after its enrolment.`);
  user.readMessages.add(messageKey(notice));
}

/** The SELECT_METHOD round answered with the authenticator's assertion over its passkeyOptions: tokens in one round trip. */
export async function passkeySignIn(context: SignInContext, user: BenchUser): Promise<void> {
  const authenticator = user.authenticator;
  if (authenticator === undefined) throw new Error(`${user.login} has no passkey enrolled.`);
  const select = await passwordlessOn(context, authenticator).signIn(user.login);
  expectSignedIn(await select.signInWithPasskey(), user);
}

/**
 * Nothing typed: the passkey API's challenge, the authenticator's assertion over it (its user
 * handle names the user), InitiateAuth with that handle as USERNAME and one answer: tokens after
 * three requests from the app.
 */
export async function passkeySignInWithoutUsername(context: SignInContext, user: BenchUser): Promise<void> {
  const authenticator = user.authenticator;
  if (authenticator === undefined) throw new Error(`${user.login} has no passkey enrolled.`);
  expectSignedIn(await passwordlessOn(context, authenticator).signInWithPasskey(), user);
}
