/**
 * The local stack as the attack suite uses it: small send limits so a limit is reached in a few
 * calls, INFO logs from the functions (the reasons an attacker never sees, but a reviewer must),
 * an SDK driver, and a reader of the table. Each test file starts its own stack on free ports.
 */
import { readCodeConfig, readFlowConfig } from "../../lib/config.ts";
import { type TriggerLogs, triggerLogs } from "./attack-logs.ts";
import { type SignInDriver, signInDriver } from "./attack-sign-in.ts";
import { type TableReader, tableReader } from "./attack-table.ts";
import { type LocalStack, startTestStack } from "./local-stack.ts";

/**
 * Lower than the template's defaults (5 per user, 10 per address) only to keep the suite fast:
 * the rules are the same. The per-address limit stays above the per-user one so each can be
 * reached on its own. Attempts per code stay at the default, 3.
 */
export const ATTACK_LIMITS: Readonly<Record<string, string>> = {
  RATE_LIMIT_PER_USER: "2",
  RATE_LIMIT_PER_DESTINATION: "3",
  CODE_MAX_ATTEMPTS: "3",
  RATE_LIMIT_WINDOW_SECONDS: "3600",
};

export interface AttackLimits {
  readonly attemptsPerCode: number;
  readonly perUser: number;
  readonly perDestination: number;
  readonly windowSeconds: number;
}

/** The limits the functions run with, read by the suite's own configuration readers. */
function readLimits(env: Readonly<Record<string, string>>): AttackLimits {
  // The readers check the whole section: the method and sender settings only have to be valid.
  const complete = { SIGN_IN_METHODS: "EMAIL_OTP", EMAIL_FROM: "sender@example.com", ...env };
  const flow = readFlowConfig(complete);
  const code = readCodeConfig(complete, flow);
  return {
    attemptsPerCode: flow.codeMaxAttempts,
    perUser: code.rateLimitPerUser,
    perDestination: code.rateLimitPerDestination,
    windowSeconds: code.rateLimitWindowSeconds,
  };
}

/** A running local stack with what a suite drives it with. */
export interface SignInWorld {
  readonly stack: LocalStack;
  readonly driver: SignInDriver;
  readonly table: TableReader;
  readonly logs: TriggerLogs;
  /** A fresh email address for one test, so no two tests share a send counter. */
  newEmail(label: string): string;
  /** A fresh UK mobile number (an allowed SMS country locally). */
  newUkPhone(): string;
  stop(): Promise<void>;
}

export interface AttackWorld extends SignInWorld {
  readonly limits: AttackLimits;
}

/**
 * Starts the stack with `functionEnv` and the functions' logs captured from the start (their
 * first lines come with the stack's first calls). `release` frees what the caller set up before
 * (proxies): on a failed start, and after the stack when the world stops.
 */
export async function startSignInWorld(functionEnv: Readonly<Record<string, string>>, release: () => Promise<void> = async () => {}): Promise<SignInWorld> {
  const logs = triggerLogs();
  let stack: LocalStack;
  try {
    stack = await startTestStack({ functionEnv: { ...functionEnv } });
  } catch (error) {
    await release();
    logs.stop();
    throw error;
  }
  const driver = signInDriver(stack);
  const table = tableReader(stack);
  let counter = 0;
  return {
    stack,
    driver,
    table,
    logs,
    newEmail: (label) => `${label}.${++counter}.${process.pid}@example.com`,
    newUkPhone: () => `+4477009${String(++counter).padStart(5, "0")}`,
    async stop() {
      driver.destroy();
      table.destroy();
      await stack.stop();
      await release();
      logs.stop();
    },
  };
}

export async function startAttackWorld(): Promise<AttackWorld> {
  // At least INFO, where the reasons are; DEBUG when the run asks for it (npm test audits every line).
  const logLevel = process.env["LOG_LEVEL"] === "DEBUG" ? "DEBUG" : "INFO";
  const functionEnv = { ...ATTACK_LIMITS, LOG_LEVEL: logLevel };
  return { ...(await startSignInWorld(functionEnv)), limits: readLimits(functionEnv) };
}
