/**
 * The users the sign-in load runs with, made through the local stack as an app would make them:
 * - email-code users, verified, enough that none receives more than the template's
 *   RATE_LIMIT_PER_USER (5) codes in the run, so their code-send records keep their production size;
 * - one passkey user per client, enrolled through the real flow (an emailed code, then
 *   PASSKEY_REGISTRATION with the software authenticator at the stack's allowed origin);
 * - SMS-code users, verified, one per SMS sign-in;
 * - enrolling users, verified and with no passkey, one per "email code, then passkey enrolment"
 *   sign-in, each with the software authenticator that will make its passkey.
 */
import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import { type SoftAuthenticator, createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { type BenchUser, type SignInContext, codeSignIn, markVerified, signUpUser } from "./sign-in-flows.ts";
import type { AppRequests } from "./sign-in-usage.ts";

/** The template's default RATE_LIMIT_PER_USER: codes one user may be sent per window. */
const CODES_PER_USER = 5;
/** How many users are made at once: enough to be quick, few enough not to look like the load itself. */
const SETUP_CONCURRENCY = 8;

export interface SignInClient {
  readonly context: SignInContext;
  close(): void;
}

/** A real SDK client of its own, as each app (browser, phone) has. */
/** An app's SDK client against the stack; with `app`, its requests (and its passkey API requests) are counted. */
export function newSignInClient(stack: LocalStack, app?: AppRequests): SignInClient {
  const client = new CognitoIdentityProviderClient({
    region: stack.config.region,
    endpoint: stack.cognitoEndpoint,
    // Admin calls are SigV4-signed; the local endpoint accepts any signature.
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  app?.watch(client);
  return {
    context: {
      client,
      clientId: stack.config.clientId,
      userPoolId: stack.config.userPoolId,
      outbox: stack.outbox,
      passkeyApiUrl: stack.passkeyApiUrl,
      fetch: app?.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    },
    close: () => client.destroy(),
  };
}

/** Runs `work` for 0 … count-1 with at most `concurrency` at a time, results in order. */
export async function inParallel<R>(count: number, concurrency: number, work: (index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await work(index);
      }
    }),
  );
  return results;
}

export interface EnrollingUser {
  readonly user: BenchUser;
  /** Made beforehand: a key pair is the device's, not part of the sign-in. */
  readonly authenticator: SoftAuthenticator;
}

export interface LoadUsers {
  readonly emailUsers: BenchUser[];
  readonly passkeyUsers: BenchUser[];
  readonly smsUsers: BenchUser[];
  readonly enrollingUsers: EnrollingUser[];
}

export async function prepareLoadUsers(
  stack: LocalStack,
  admin: SignInContext,
  needs: { readonly emailSignIns: number; readonly clients: number; readonly smsSignIns: number; readonly enrolments: number },
  log: (line: string) => void,
): Promise<LoadUsers> {
  const run = randomUUID().slice(0, 8);
  const emailUserCount = Math.ceil(needs.emailSignIns / CODES_PER_USER) + needs.clients;
  log(
    `  signing up ${emailUserCount} email users, ${needs.clients} passkey users, ${needs.smsSignIns} SMS users, ` +
      `${needs.enrolments} users to enrol a passkey`,
  );

  const emailUsers = await inParallel(emailUserCount, SETUP_CONCURRENCY, async (index) => {
    const user = await signUpUser(admin, { email: `load-${run}-${index}@example.com` });
    await markVerified(admin, user);
    return user;
  });
  const origin = stack.templateParameters["PasskeyAllowedOrigins"] ?? stack.demoUrl;
  const passkeyUsers = await inParallel(needs.clients, SETUP_CONCURRENCY, async (index) => {
    const user = await signUpUser(admin, { email: `passkey-${run}-${index}@example.com` });
    await codeSignIn(admin, user, "EMAIL_OTP", createSoftAuthenticator({ origin }));
    return user;
  });
  // +44 7700 900xxx is the range Ofcom keeps for drama: never a real person. 44 is in SmsAllowedCountryCodes.
  const smsUsers = await inParallel(needs.smsSignIns, SETUP_CONCURRENCY, async (index) => {
    const user = await signUpUser(admin, { phone: `+447700900${String(index).padStart(3, "0")}` });
    await markVerified(admin, user);
    return user;
  });
  // A fresh user per enrolment: a second passkey would meet the first in excludeCredentials, and
  // PASSKEY_MAX_PER_USER. Verified like the email users: a returning user adding a passkey.
  const enrollingUsers = await inParallel(needs.enrolments, SETUP_CONCURRENCY, async (index) => {
    const user = await signUpUser(admin, { email: `enrol-${run}-${index}@example.com` });
    await markVerified(admin, user);
    return { user, authenticator: createSoftAuthenticator({ origin }) };
  });
  return { emailUsers, passkeyUsers, smsUsers, enrollingUsers };
}
