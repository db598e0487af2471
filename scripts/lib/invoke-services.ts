/**
 * Where `npm run invoke` sends a function's AWS calls, so every sample event runs on a laptop with
 * no AWS account and no credentials:
 * - the local stack, when `npm start` is running (its DynamoDB, its SES and SNS receivers and its
 *   Cognito endpoint, at the ports of COGNITO_PORT, DYNAMODB_PORT and WEB_PORT, as packages/local/src/start.ts
 *   reads them); the messages then land in its outbox, as a sign-in's would;
 * - otherwise services of the invoking process, started for the one call and stopped after it: a
 *   dynalite with the template's table, and the local SES and SNS receivers and a stand-in for
 *   the pool's admin API (offline-receivers.ts).
 * Either way the function is pointed at them by the standard AWS_ENDPOINT_URL_* variables and
 * dummy credentials: lib/ has no local code path.
 */
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startDynamoServer } from "@cognito-passwordless/local/cognito/dynalite-server.ts";
import type { OutboxMessage } from "@cognito-passwordless/local/outbox/outbox.ts";
import { createTablesFromTemplate, defaultTableName } from "@cognito-passwordless/test-kit/create-tables.ts";
import { type CognitoCall, startOfflineReceivers } from "./offline-receivers.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

export interface InvokeServices {
  /** One line for the person invoking: what the function talks to. */
  readonly description: string;
  /** The AWS_ENDPOINT_URL_* variables and credentials the function runs with. */
  readonly environment: Readonly<Record<string, string>>;
  /** The messages SES and SNS were asked to send since the services were set up, oldest first. */
  messagesSent(): Promise<OutboxMessage[]>;
  /** The admin calls the function made to Cognito, where the services can tell (offline only). */
  cognitoCalls(): readonly CognitoCall[] | undefined;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const PROBE_TIMEOUT_MS = 500;

/** Requests are signed, so the SDK needs credentials; the local servers accept any. */
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };

function endpoints(urls: { dynamodb: string; web: string; cognito: string }): Record<string, string> {
  return {
    ...DUMMY_CREDENTIALS,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SES: `${urls.web}/aws/ses`,
    AWS_ENDPOINT_URL_SNS: `${urls.web}/aws/sns`,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: urls.cognito,
  };
}

/** A port variable as packages/local/src/start.ts reads it, or its default. */
function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name]?.trim();
  return value !== undefined && /^\d{1,5}$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
}

/** The port of the local stack's web server: the demo page's origin, which passkeys are allowed from. */
export function localWebPort(env: NodeJS.ProcessEnv): number {
  return port(env, "WEB_PORT", 3000);
}

/** The logical id of the suite's table in template.yaml. */
const TABLE_LOGICAL_ID = "Table";

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/** The table names a DynamoDB endpoint holds, or undefined when nothing answers there. */
async function listTables(endpoint: string, region: string): Promise<string[] | undefined> {
  const client = new DynamoDBClient({
    region,
    endpoint,
    credentials: { accessKeyId: DUMMY_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: PROBE_TIMEOUT_MS, requestTimeout: PROBE_TIMEOUT_MS, throwOnRequestTimeout: true }),
  });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/**
 * The running local stack, if there is one: its web server answers /config.json with a pool's
 * configuration and its DynamoDB holds `tableName`. Anything less is not the stack.
 */
export async function findLocalStack(env: NodeJS.ProcessEnv, tableName: string, region: string): Promise<InvokeServices | undefined> {
  const web = `http://${HOST}:${port(env, "WEB_PORT", 3000)}`;
  const dynamodb = `http://${HOST}:${port(env, "DYNAMODB_PORT", 8000)}`;
  let config: unknown;
  try {
    config = await fetchJson(`${web}/config.json`);
  } catch {
    return undefined;
  }
  const { cognitoEndpoint, userPoolId } = (config ?? {}) as Record<string, unknown>;
  if (typeof cognitoEndpoint !== "string" || typeof userPoolId !== "string") return undefined;
  const tables = await listTables(dynamodb, region);
  if (tables === undefined || !tables.includes(tableName)) return undefined;

  const outbox = async () => (await fetchJson(`${web}/outbox`)) as OutboxMessage[];
  // The outbox only grows (oldest first): what this call sent is what comes after what was there.
  const before = (await outbox()).length;
  return {
    description: `the local stack: DynamoDB ${dynamodb} (table ${tableName}), SES and SNS into ${web}/outbox, Cognito ${cognitoEndpoint} (pool ${userPoolId})`,
    environment: endpoints({ dynamodb, web, cognito: cognitoEndpoint }),
    messagesSent: async () => (await outbox()).slice(before),
    cognitoCalls: () => undefined,
    stop: async () => {},
  };
}

/** dynalite with the template's tables, and the receivers of offline-receivers.ts, in this process. */
export async function startOfflineServices(template: Template, tableName: string, region: string): Promise<InvokeServices> {
  const dynamo = await startDynamoServer({ host: HOST, port: 0 });
  try {
    const client = new DynamoDBClient({
      region,
      endpoint: dynamo.endpoint,
      credentials: { accessKeyId: DUMMY_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    });
    try {
      // Every table of the template; the one the functions use under the name they are given.
      await createTablesFromTemplate(client, template, (logicalId) => (logicalId === TABLE_LOGICAL_ID ? tableName : logicalId));
    } finally {
      client.destroy();
    }
  } catch (error) {
    await dynamo.close();
    throw error;
  }
  const receivers = await startOfflineReceivers({ host: HOST });
  return {
    description: `in-process services, stopped after the call: dynalite ${dynamo.endpoint} (table ${tableName}), SES and SNS receivers and a user pool with nobody in it at ${receivers.url}`,
    environment: endpoints({ dynamodb: dynamo.endpoint, web: receivers.url, cognito: receivers.url }),
    messagesSent: async () => receivers.outbox.list(),
    cognitoCalls: () => receivers.cognitoCalls,
    stop: async () => {
      await Promise.allSettled([receivers.close(), dynamo.close()]);
    },
  };
}

/**
 * The local stack if it is running (unless `offline`), else the in-process services; with the
 * table name the function is to be given: the stack's own (named as create-tables.ts names it),
 * or `offlineTableName`, unless `tableName` says.
 */
export async function chooseLocalServices(options: {
  template: Template;
  env: NodeJS.ProcessEnv;
  region: string;
  offline: boolean;
  tableName: string | undefined;
  offlineTableName: string;
}): Promise<{ services: InvokeServices; tableName: string }> {
  const { template, env, region } = options;
  if (!options.offline) {
    const resource = template.Resources[TABLE_LOGICAL_ID];
    const tableName = options.tableName ?? (resource === undefined ? TABLE_LOGICAL_ID : defaultTableName(TABLE_LOGICAL_ID, resource));
    const stack = await findLocalStack(env, tableName, region);
    if (stack !== undefined) return { services: stack, tableName };
  }
  const tableName = options.tableName ?? options.offlineTableName;
  return { services: await startOfflineServices(template, tableName, region), tableName };
}

function describeMessage(message: OutboxMessage): string {
  const heading = `${message.channel} to ${message.to}${message.subject === undefined ? "" : `, "${message.subject}"`}:`;
  return [
    heading,
    ...message.body
      .trimEnd()
      .split("\n")
      .map((line) => (line === "" ? "" : `    ${line}`)),
  ].join("\n");
}

/** What a function had sent, and asked Cognito, in words for the person invoking it. */
export function describeSideEffects(messages: readonly OutboxMessage[], cognitoCalls: readonly CognitoCall[] | undefined): string {
  const lines = [messages.length === 0 ? "Messages sent: none." : `Messages sent (${messages.length}):`];
  for (const message of messages) lines.push(`  ${describeMessage(message)}`);
  if (cognitoCalls !== undefined) {
    lines.push(cognitoCalls.length === 0 ? "Cognito admin calls: none." : `Cognito admin calls (${cognitoCalls.length}):`);
    for (const call of cognitoCalls) lines.push(`  ${call.operation} ${JSON.stringify(call.input)}`);
  }
  return `${lines.join("\n")}\n`;
}
