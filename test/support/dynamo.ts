/**
 * An in-memory DynamoDB (dynalite) on 127.0.0.1, with the table of template.yaml, for tests.
 * Clients reach it the way the functions do in the local stack: through AWS_ENDPOINT_URL_DYNAMODB,
 * which the SDK reads itself.
 */
import { createRequire } from "node:module";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AwsCallConfig } from "../../lib/config.ts";
import { createDocumentClient } from "../../lib/store/dynamo-document-client.ts";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { createTablesFromTemplate } from "@cognito-passwordless/test-kit/create-tables.ts";

// dynalite is CommonJS without type declarations; this is the part of its API the tests use.
const dynalite = createRequire(import.meta.url)("dynalite") as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/** Generous enough for a loaded CI machine, short enough that a hang fails fast. */
export const TEST_AWS_CALLS: AwsCallConfig = { timeoutMs: 2000, maxAttempts: 2 };

export interface LocalDynamo {
  readonly endpoint: string;
  /** The name given to the template's `Table`. */
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/** Sets what the SDK needs to sign a request, unless the environment already has it. */
export function useDummyAwsEnvironment(): void {
  process.env["AWS_REGION"] ??= "us-east-1";
  process.env["AWS_ACCESS_KEY_ID"] ??= "test";
  process.env["AWS_SECRET_ACCESS_KEY"] ??= "test";
}

export async function startDynamo(): Promise<LocalDynamo> {
  useDummyAwsEnvironment();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  process.env["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint;

  const admin = new DynamoDBClient({});
  const tables = await createTablesFromTemplate(admin, readTemplate(), (logicalId) => `test-${logicalId}`);
  admin.destroy();
  const tableName = tables["Table"];
  if (tableName === undefined) throw new Error("template.yaml has no resource named Table.");

  const documentClient = createDocumentClient(TEST_AWS_CALLS);
  // The SDK reads AWS_ENDPOINT_URL_DYNAMODB at a client's first request and keeps it: make that
  // request now, so a second startDynamo in the same process cannot redirect this client.
  await documentClient.send(new DescribeTableCommand({ TableName: tableName }));

  return {
    endpoint,
    tableName,
    documentClient,
    async stop() {
      documentClient.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
