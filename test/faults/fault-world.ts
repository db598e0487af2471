/**
 * The local stack with a fault proxy in front of each service the functions call: DynamoDB
 * (dynalite), SES and SNS (the outbox's receivers). The proxies start first, so their addresses
 * can go into the functions' AWS_ENDPOINT_URL_* variables; they learn where to forward once the
 * stack has its ports. The test itself reads the table directly, never through a proxy.
 */
import { type AwsCallConfig, readAwsCallConfig } from "../../lib/config.ts";
import { timed } from "../support/attack-sign-in.ts";
import { type SignInWorld, startSignInWorld } from "../support/attack-stack.ts";
import { type Fault, type FaultProxy, type InjectOptions, type ProxiedRequest, startFaultProxy } from "../support/fault-proxy.ts";
import type { LogLine } from "../support/log-capture.ts";

export interface FaultWorld extends SignInWorld {
  readonly proxies: { readonly dynamodb: FaultProxy; readonly ses: FaultProxy; readonly sns: FaultProxy };
  /** Per-attempt timeout and attempts of every AWS call, as the functions read them. */
  readonly awsCalls: AwsCallConfig;
  /** The window the send counters are kept in, and codes one user may be sent to one address in it. */
  readonly windowSeconds: number;
  readonly perUser: number;
}

/** What happened while one step of a sign-in ran under a fault. */
export interface FaultOutcome<T> {
  readonly ms: number;
  readonly result?: T;
  readonly error?: unknown;
  /** Requests that reached the faulty proxy during the step. */
  readonly requests: readonly ProxiedRequest[];
  /** The functions' log lines written during the step. */
  readonly lines: readonly LogLine[];
  /** Anything else written to stdout and stderr during the step. */
  readonly text: string;
}

export async function startFaultWorld(): Promise<FaultWorld> {
  const proxies = {
    dynamodb: await startFaultProxy("dynamodb"),
    ses: await startFaultProxy("query"),
    sns: await startFaultProxy("query"),
  };
  const functionEnv = {
    AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url,
    AWS_ENDPOINT_URL_SES: `${proxies.ses.url}/aws/ses`,
    AWS_ENDPOINT_URL_SNS: `${proxies.sns.url}/aws/sns`,
    // The documented defaults, stated rather than inherited, because the tests judge by them:
    // the send counters of this window, and the per-call timeout and attempts.
    RATE_LIMIT_WINDOW_SECONDS: "3600",
    RATE_LIMIT_PER_USER: "5",
    AWS_CALL_TIMEOUT_MS: "1000",
    AWS_CALL_MAX_ATTEMPTS: "2",
  };
  const world = await startSignInWorld(functionEnv, async () => {
    await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
  });
  proxies.dynamodb.forwardTo(world.stack.dynamoEndpoint);
  proxies.ses.forwardTo(world.stack.webUrl);
  proxies.sns.forwardTo(world.stack.webUrl);
  return {
    ...world,
    proxies,
    awsCalls: readAwsCallConfig(functionEnv),
    windowSeconds: Number(functionEnv.RATE_LIMIT_WINDOW_SECONDS),
    perUser: Number(functionEnv.RATE_LIMIT_PER_USER),
  };
}

/**
 * Runs one step with `fault` on `proxy` (narrowed by `options`), then lets the service pass
 * again and waits until the held requests have reached it and every log line is in.
 */
export async function underFault<T>(
  world: FaultWorld,
  proxy: FaultProxy,
  fault: Fault,
  step: () => Promise<T>,
  options?: InjectOptions,
): Promise<FaultOutcome<T>> {
  const requestMark = proxy.requests.length;
  const logMark = world.logs.mark();
  proxy.inject(fault, options);
  let outcome: Awaited<ReturnType<typeof timed<T>>>;
  try {
    outcome = await timed(step);
  } finally {
    proxy.pass();
  }
  await proxy.settled();
  await world.logs.settle();
  return { ...outcome, requests: proxy.requests.slice(requestMark), lines: world.logs.since(logMark), text: world.logs.textSince(logMark) };
}
