/**
 * A local pool whose triggers are tiny fake functions written for one test, so each Cognito
 * behaviour the endpoint reproduces can be pinned on its own, without the suite's real triggers.
 * Every fake records the events it receives (events.jsonl), so tests assert what Cognito sent.
 * A fake can call the pool back with the real SDK, as a deployed trigger would:
 * `const { CognitoIdentityProviderClient, … } = await cognitoSdk();` gives the SDK's module, and
 * `new CognitoIdentityProviderClient({})` reaches this pool (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
 * AWS_REGION and placeholder credentials are in every fake's environment).
 * Clients are the real SDK's, pointed at the endpoint.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { FederationConfig } from "@cognito-passwordless/local/cognito/federation-config.ts";
import { DEFAULT_POOL, type PoolConfig, type TriggerName } from "@cognito-passwordless/local/cognito/pool-config.ts";
import type { PoolMessage } from "@cognito-passwordless/local/cognito/pool-services.ts";
import { type CognitoServer, startCognitoServer } from "@cognito-passwordless/local/cognito/server.ts";
import { type FunctionSpec, TriggerInvoker } from "@cognito-passwordless/local/cognito/trigger-invoker.ts";

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
  // biome-ignore lint/suspicious/noExplicitAny: trigger events are Cognito's JSON, read by each test as it needs.
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
  /** Identity providers and the client's OAuth settings (hosted-UI federation, AdminLinkProviderForUser). */
  federation?: FederationConfig;
}): Promise<FakePool> {
  const dir = mkdtempSync(join(tmpdir(), "fake-pool-"));
  const log = join(dir, "events.jsonl");
  writeFileSync(log, "");
  // The fakes live outside the project, so they import the SDK by its resolved location.
  const sdkUrl = pathToFileURL(createRequire(import.meta.url).resolve("@aws-sdk/client-cognito-identity-provider")).href;
  const files: [TriggerName, string][] = [];
  for (const [trigger, body] of Object.entries(options.triggers) as [TriggerName, string][]) {
    const file = join(dir, `${trigger}.mjs`);
    writeFileSync(
      file,
      `import { appendFileSync } from "node:fs";
       const cognitoSdk = () => import(${JSON.stringify(sdkUrl)});
       export const handler = async (event) => {
         appendFileSync(${JSON.stringify(log)}, JSON.stringify({ trigger: ${JSON.stringify(trigger)}, event }) + "\\n");
         ${body}
       };`,
    );
    files.push([trigger, file]);
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
    federation: options.federation,
  });
  const environment = {
    AWS_REGION: pool.region,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: server.url,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  };
  const specs: Partial<Record<TriggerName, FunctionSpec>> = {};
  for (const [trigger, file] of files) specs[trigger] = { name: trigger, file, exportName: "handler", environment };
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
        // biome-ignore lint/suspicious/noExplicitAny: as events() above.
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
