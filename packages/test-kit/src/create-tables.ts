/**
 * Creates the template's DynamoDB tables on a DynamoDB-compatible server (dynalite in tests and
 * in the local stack), so local tables have exactly the keys and indexes CloudFormation would
 * create. Properties that only matter to a managed table (point-in-time recovery, encryption,
 * streams, tags, …) are left out: local servers either reject them or ignore them.
 */
import {
  type AttributeDefinition,
  type BillingMode,
  type CreateTableCommandInput,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type ProvisionedThroughput,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import type { CfnResource, Template } from "./read-template.ts";

const TABLE_TYPE = "AWS::DynamoDB::Table";
const ACTIVE_TIMEOUT_MS = 10_000;
const ACTIVE_POLL_MS = 25;

/** The table's literal TableName if the template sets one, else its logical id. */
export function defaultTableName(logicalId: string, resource: CfnResource): string {
  const name = resource.Properties?.["TableName"];
  return typeof name === "string" ? name : logicalId;
}

function list<T>(logicalId: string, properties: Record<string, unknown>, name: string): T[] | undefined {
  const value = properties[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new Error(`${logicalId}.${name} should be a list in template.yaml.`);
  return value as T[];
}

/** Only the index fields CreateTable takes (CloudFormation also allows e.g. ContributorInsightsSpecification). */
function indexInput<T extends GlobalSecondaryIndex | LocalSecondaryIndex>(index: T): T {
  const { IndexName, KeySchema, Projection } = index;
  const throughput = (index as GlobalSecondaryIndex).ProvisionedThroughput;
  return { IndexName, KeySchema, Projection, ...(throughput === undefined ? {} : { ProvisionedThroughput: throughput }) } as T;
}

/** The CreateTable request for one table resource of the template. */
export function createTableInput(logicalId: string, resource: CfnResource, tableName: string): CreateTableCommandInput {
  const properties = resource.Properties ?? {};
  const attributeDefinitions = list<AttributeDefinition>(logicalId, properties, "AttributeDefinitions");
  const keySchema = list<KeySchemaElement>(logicalId, properties, "KeySchema");
  if (attributeDefinitions === undefined || keySchema === undefined) {
    throw new Error(`${logicalId} needs AttributeDefinitions and KeySchema in template.yaml.`);
  }
  const globalIndexes = list<GlobalSecondaryIndex>(logicalId, properties, "GlobalSecondaryIndexes");
  const localIndexes = list<LocalSecondaryIndex>(logicalId, properties, "LocalSecondaryIndexes");
  // CloudFormation's default is PROVISIONED, which then requires ProvisionedThroughput.
  const billingMode = (properties["BillingMode"] ?? "PROVISIONED") as BillingMode;
  const throughput = properties["ProvisionedThroughput"] as ProvisionedThroughput | undefined;
  return {
    TableName: tableName,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchema,
    BillingMode: billingMode,
    ...(throughput === undefined ? {} : { ProvisionedThroughput: throughput }),
    ...(globalIndexes === undefined ? {} : { GlobalSecondaryIndexes: globalIndexes.map(indexInput) }),
    ...(localIndexes === undefined ? {} : { LocalSecondaryIndexes: localIndexes.map(indexInput) }),
  };
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (table?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`Table ${tableName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS} ms.`);
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
}

/** Turns TTL on where the server can; dynalite has no UpdateTimeToLive and never expires items. */
async function enableTimeToLive(client: DynamoDBClient, tableName: string, resource: CfnResource): Promise<void> {
  const specification = resource.Properties?.["TimeToLiveSpecification"] as { AttributeName?: unknown; Enabled?: unknown } | undefined;
  if (specification?.Enabled !== true || typeof specification.AttributeName !== "string") return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: specification.AttributeName, Enabled: true },
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === "UnknownOperationException") return;
    throw error;
  }
}

/**
 * Creates every AWS::DynamoDB::Table of the template (an existing table of the same name is
 * kept as it is, so a persisted local database survives a restart) and waits until each is ACTIVE.
 * Returns the table name of each logical id.
 */
export async function createTablesFromTemplate(
  client: DynamoDBClient,
  template: Template,
  nameFor: (logicalId: string) => string = (logicalId) => defaultTableName(logicalId, template.Resources[logicalId] ?? { Type: TABLE_TYPE }),
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== TABLE_TYPE) continue;
    const tableName = nameFor(logicalId);
    try {
      await client.send(new CreateTableCommand(createTableInput(logicalId, resource, tableName)));
    } catch (error) {
      if (!(error instanceof Error && error.name === "ResourceInUseException")) throw error;
    }
    await waitUntilActive(client, tableName);
    await enableTimeToLive(client, tableName, resource);
    names[logicalId] = tableName;
  }
  return names;
}
