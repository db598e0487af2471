/**
 * End to end through the local stack: N concurrent clients (N = 1, 8, 32), each with its own SDK
 * client, doing complete email-code and passkey sign-ins and email-code sign-ins that enrol a
 * passkey through @cognito-passwordless/client (sign-in-flows.ts), and what each sign-in costs.
 *
 * - Every sign-in is a returning user's: addresses are verified and passkeys enrolled beforehand,
 *   through the real flow.
 * - Email-code users are taken from a queue and put back after their sign-in, so no two clients
 *   ever sign in the same user at once and no address receives more than about five codes in the
 *   run: the code-send records stay the size they have in production (they grow with each code in
 *   the rate-limit window). Passkey users are one per client, since an authenticator's counter
 *   must only move forward; the same users sign in with a username and without one.
 * - At N = 1 sign-ins run one after another, so each one's usage is exactly the difference between
 *   two counter snapshots: those per-sign-in figures feed the budgets, and every sign-in of a method
 *   must cost the same requests, invocations and messages. At N = 8 and 32 usage is averaged.
 * - SMS-code sign-ins run only one at a time, for their cost.
 * - "Email code, then passkey enrolment" is an email-code sign-in whose code answer asks for
 *   PASSKEY_REGISTRATION and whose registration is made by the software authenticator; Verify
 *   then emails the account a notice of the new passkey. Each one enrols a fresh user (signed up
 *   and verified beforehand, not measured): users are taken once and never put back.
 */
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import { newSignInClient, prepareLoadUsers } from "./load-users.ts";
import { type BenchUser, codeSignIn, codeSignInWithEnrolment, passkeySignIn, passkeySignInWithoutUsername } from "./sign-in-flows.ts";
import { type Usage, type UsageMeter, countsSignature, usageBetween } from "./sign-in-usage.ts";
import { type LatencySummary, summarise } from "./stats.ts";

export type SignInMethodId = "emailCode" | "passkey" | "passkeyWithoutUsername" | "smsCode" | "emailCodeThenEnrolment";

export interface LoadSettings {
  readonly clientCounts: readonly number[];
  /** Sign-ins per level, by client count. */
  readonly signInsPerLevel: Readonly<Record<number, number>>;
  /** Sign-ins per method before measuring, so every function's worker is warm. */
  readonly warmupSignIns: number;
  readonly smsSignIns: number;
}

export interface LevelResult {
  readonly clients: number;
  readonly signIns: number;
  readonly seconds: number;
  readonly signInsPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** Average usage per sign-in at this level. */
  readonly usagePerSignIn: Usage;
}

export interface MethodResult {
  readonly method: SignInMethodId;
  /** Usage of one sign-in, from the one-at-a-time level: the highest of each count if they differed. */
  readonly perSignIn: Usage;
  /** Whether every one-at-a-time sign-in cost the same requests, invocations and messages. */
  readonly deterministic: boolean;
  /** The distinct count vectors seen, when not deterministic. */
  readonly variants: readonly string[];
  readonly levels: readonly LevelResult[];
}

export interface SignInLoadResult {
  readonly methods: readonly MethodResult[];
  readonly users: { readonly emailCode: number; readonly passkey: number; readonly smsCode: number; readonly emailCodeThenEnrolment: number };
}

function maxUsage(usages: readonly Usage[]): Usage {
  const highest = (pick: (usage: Usage) => number) => Math.max(...usages.map(pick));
  const triggers = new Set(usages.flatMap((usage) => Object.keys(usage.invocations)));
  return {
    appRequests: highest((usage) => usage.appRequests),
    dynamoReads: highest((usage) => usage.dynamoReads),
    dynamoWrites: highest((usage) => usage.dynamoWrites),
    // Units vary with item sizes; their average is what a bill adds up.
    readUnits: usages.reduce((sum, usage) => sum + usage.readUnits, 0) / usages.length,
    writeUnits: usages.reduce((sum, usage) => sum + usage.writeUnits, 0) / usages.length,
    invocations: Object.fromEntries([...triggers].sort().map((trigger) => [trigger, highest((usage) => usage.invocations[trigger] ?? 0)])),
    lambdaInvocations: highest((usage) => usage.lambdaInvocations),
    emails: highest((usage) => usage.emails),
    passkeyNotices: highest((usage) => usage.passkeyNotices),
    sms: highest((usage) => usage.sms),
    smsParts: highest((usage) => usage.smsParts),
  };
}

export async function measureSignInLoad(stack: LocalStack, meter: UsageMeter, settings: LoadSettings, log: (line: string) => void): Promise<SignInLoadResult> {
  const admin = newSignInClient(stack);
  const clients = Array.from({ length: Math.max(...settings.clientCounts) }, () => newSignInClient(stack, meter.app));
  try {
    const emailSignIns = settings.warmupSignIns + settings.clientCounts.reduce((sum, n) => sum + (settings.signInsPerLevel[n] ?? 0), 0);
    // As many enrolments as email-code sign-ins: the same warmup and levels, one fresh user each.
    const needs = { emailSignIns, clients: clients.length, smsSignIns: settings.smsSignIns, enrolments: emailSignIns };
    const { emailUsers, passkeyUsers, smsUsers, enrollingUsers } = await prepareLoadUsers(stack, admin.context, needs, log);
    const enrolmentQueue = [...enrollingUsers];
    const emailQueue: BenchUser[] = [...emailUsers];
    const signInWith: Record<SignInMethodId, (client: number) => Promise<void>> = {
      emailCode: async (client) => {
        const user = emailQueue.shift();
        if (user === undefined) throw new Error("No email user is free: there should be more users than clients.");
        try {
          await codeSignIn(clients[client]!.context, user, "EMAIL_OTP");
        } finally {
          emailQueue.push(user);
        }
      },
      passkey: (client) => passkeySignIn(clients[client]!.context, passkeyUsers[client]!),
      passkeyWithoutUsername: (client) => passkeySignInWithoutUsername(clients[client]!.context, passkeyUsers[client]!),
      smsCode: async () => {
        const user = smsUsers.shift();
        if (user === undefined) throw new Error("No SMS user is left.");
        await codeSignIn(clients[0]!.context, user, "SMS_OTP");
      },
      emailCodeThenEnrolment: async (client) => {
        const enrolling = enrolmentQueue.shift();
        if (enrolling === undefined) throw new Error("No user is left to enrol a passkey.");
        await codeSignInWithEnrolment(clients[client]!.context, enrolling.user, enrolling.authenticator);
      },
    };

    async function level(method: SignInMethodId, clientCount: number, total: number, perSignIn?: Usage[]): Promise<LevelResult> {
      const latencies: number[] = [];
      let started = 0;
      const before = meter.snapshot();
      const levelStart = performance.now();
      await Promise.all(
        Array.from({ length: clientCount }, async (_, client) => {
          while (started < total) {
            started += 1;
            const own = perSignIn === undefined ? undefined : meter.snapshot();
            const signInStart = performance.now();
            await signInWith[method](client);
            latencies.push(performance.now() - signInStart);
            if (own !== undefined) perSignIn!.push(usageBetween(own, meter.snapshot()));
          }
        }),
      );
      const seconds = (performance.now() - levelStart) / 1000;
      return {
        clients: clientCount,
        signIns: latencies.length,
        seconds,
        signInsPerSecond: latencies.length / seconds,
        latencyMs: summarise(latencies),
        usagePerSignIn: usageBetween(before, meter.snapshot(), latencies.length),
      };
    }

    async function measureMethod(method: SignInMethodId, clientCounts: readonly number[], total: (clients: number) => number): Promise<MethodResult> {
      if (method !== "smsCode") await level(method, 1, settings.warmupSignIns);
      const oneAtATime: Usage[] = [];
      const levels: LevelResult[] = [];
      for (const clientCount of clientCounts) {
        const result = await level(method, clientCount, total(clientCount), clientCount === 1 ? oneAtATime : undefined);
        levels.push(result);
        log(
          `  ${method} × ${clientCount}: ${result.signInsPerSecond.toFixed(1)} sign-ins/s, ` +
            `p50 ${result.latencyMs.p50.toFixed(1)} ms, p99 ${result.latencyMs.p99.toFixed(1)} ms`,
        );
      }
      const variants = [...new Set(oneAtATime.map(countsSignature))];
      return { method, perSignIn: maxUsage(oneAtATime), deterministic: variants.length === 1, variants, levels };
    }

    const perLevel = (clients: number) => settings.signInsPerLevel[clients] ?? clients;
    const methods = [
      await measureMethod("emailCode", settings.clientCounts, perLevel),
      await measureMethod("passkey", settings.clientCounts, perLevel),
      await measureMethod("passkeyWithoutUsername", settings.clientCounts, perLevel),
      await measureMethod("smsCode", [1], () => settings.smsSignIns),
      await measureMethod("emailCodeThenEnrolment", settings.clientCounts, perLevel),
    ];
    return {
      methods,
      users: { emailCode: emailUsers.length, passkey: passkeyUsers.length, smsCode: settings.smsSignIns, emailCodeThenEnrolment: enrollingUsers.length },
    };
  } finally {
    admin.close();
    for (const client of clients) client.close();
  }
}
