/**
 * A local pool whose triggers are tiny fake functions written for one test, so each Cognito
 * behaviour the endpoint reproduces can be pinned on its own, without the suite's real triggers.
 * Every fake records the events it receives (events.jsonl), so tests assert what Cognito sent.
 * Clients are the real SDK's, pointed at the endpoint.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DEFAULT_POOL, type PoolConfig, type TriggerName } from "../../local/cognito/pool-config.ts";
import type { PoolMessage } from "../../local/cognito/pool-services.ts";
import { type CognitoServer, startCognitoServer } from "../../local/cognito/server.ts";
import { type FunctionSpec, TriggerInvoker } from "../../local/cognito/trigger-invoker.ts";

/** A minimal passwordless flow: one challenge whose answer is "42"; three wrong answers fail. */
export const SIMPLE_FLOW: Partial<Record<TriggerName, string>> = {
  DefineAuthChallenge: `
    const s = event.request.session;
    if (s.length > 0 && s.at(-1).challengeResult) event.response.issueTokens = true;
    else if (s.length >= 3) event.response.failAuthentication = true;
    else event.response.challengeName = "CUSTOM_CHALLENGE";
    event.response.issueTokens ??= false; event.response.failAuthentication ??= false;
    return event;`,
  CreateAuthChallenge: `
    event.response.publicChallengeParameters = { round: String(event.request.session.length + 1) };
    event.response.privateChallengeParameters = { answer: "42" };
    if (event.request.session.length > 0) event.response.challengeMetadata = "retry";
    return event;`,
  VerifyAuthChallengeResponse: `
    event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
    return event;`,
  PreSignUp: `
    event.response.autoConfirmUser = true;
    return event;`,
};

export interface FakePool {
  readonly server: CognitoServer;
  readonly client: CognitoIdentityProviderClient;
  readonly pool: PoolConfig;
  /** Messages the pool itself sent (AdminCreateUser invitations). */
  readonly delivered: PoolMessage[];
  /** Events each trigger received, oldest first. */
  events(trigger: TriggerName): Record<string, any>[];
  /** Moves the endpoint's clock forward. */
  advance(ms: number): void;
  stop(): Promise<void>;
}

export async function startFakePool(options: {
  triggers: Partial<Record<TriggerName, string>>;
  pool?: Partial<PoolConfig>;
  timeoutMs?: number;
  /** Keeps the pool's users, key and tokens here (the endpoint's `--data` persistence). */
  dataDir?: string;
}): Promise<FakePool> {
  const dir = mkdtempSync(join(tmpdir(), "fake-pool-"));
  const log = join(dir, "events.jsonl");
  writeFileSync(log, "");
  const specs: Partial<Record<TriggerName, FunctionSpec>> = {};
  for (const [trigger, body] of Object.entries(options.triggers) as [TriggerName, string][]) {
    const file = join(dir, `${trigger}.mjs`);
    writeFileSync(
      file,
      `import { appendFileSync } from "node:fs";
       export const handler = async (event) => {
         appendFileSync(${JSON.stringify(log)}, JSON.stringify({ trigger: ${JSON.stringify(trigger)}, event }) + "\\n");
         ${body}
       };`,
    );
    specs[trigger] = { name: trigger, file, exportName: "handler", environment: { AWS_REGION: "us-east-1" } };
  }
  let offset = 0;
  const pool: PoolConfig = {
    ...DEFAULT_POOL,
    explicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    preventUserExistenceErrors: true,
    ...options.pool,
  };
  const delivered: PoolMessage[] = [];
  const server = await startCognitoServer({
    host: "127.0.0.1",
    port: 0,
    pool,
    now: () => Date.now() + offset,
    dataDir: options.dataDir,
    deliver: (message) => delivered.push(message),
  });
  server.useTriggers(new TriggerInvoker(specs, options.timeoutMs));
  const client = new CognitoIdentityProviderClient({
    region: pool.region,
    endpoint: server.url,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  return {
    server,
    client,
    pool,
    delivered,
    events: (trigger) =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { trigger: string; event: Record<string, any> })
        .filter((entry) => entry.trigger === trigger)
        .map((entry) => entry.event),
    advance: (ms) => {
      offset += ms;
    },
    stop: async () => {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

