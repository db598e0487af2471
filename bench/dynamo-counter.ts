/**
 * A counting HTTP proxy between the functions and the local DynamoDB-compatible server: every
 * request passes through unchanged in meaning, and is counted by its X-Amz-Target as a read or a
 * write, with the request units DynamoDB on-demand would bill for it.
 *
 * Units come from the server itself: the proxy asks for ReturnConsumedCapacity when the function did
 * not, and removes the answer again before the function sees it (re-computing the x-amz-crc32
 * checksum dynalite sends). dynalite sizes items as DynamoDB does (reads per 4 KB, halved when
 * eventually consistent; writes per 1 KB of the larger of the old and new item), but it leaves out
 * two things DynamoDB bills, which are added here:
 * - a write refused by its condition still costs a write unit
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate);
 * - a write to an item that is in a global secondary index also writes the index
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes).
 *   In this table only passkey items carry the gsi1 key (lib/store/keys.ts, lib/store/passkey-credentials.ts),
 *   and gsi1 projects ALL attributes, so every write of a PASSKEY# item costs one index unit more.
 */
import { Agent, type IncomingHttpHeaders, type IncomingMessage, type Server, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32 } from "node:zlib";

export const READ_OPERATIONS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);
export const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);
/** The operations dynalite can report consumed capacity for. */
const CAPACITY_OPERATIONS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);
const INDEXED_PARTITION_PREFIX = "PASSKEY#";

export interface DynamoCounts {
  readonly reads: number;
  readonly writes: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Requests by operation name, reads, writes and anything else (DescribeTable…). */
  readonly operations: Readonly<Record<string, number>>;
}

export interface DynamoCounter {
  /** Where the functions should send their DynamoDB requests. */
  readonly endpoint: string;
  /** Sets the server requests are passed on to: known only once the local stack has started. */
  forwardTo(endpoint: string): void;
  counts(): DynamoCounts;
  close(): Promise<void>;
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Capacity units in a response's ConsumedCapacity: one object, or a list of them (batch operations). */
function consumedUnits(consumed: unknown): number {
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum: number, entry) => {
    const units = (entry as { CapacityUnits?: unknown } | null)?.CapacityUnits;
    return sum + (typeof units === "number" ? units : 0);
  }, 0);
}

/** Whether a write request touches an item that also lives in gsi1 (see the note at the top). */
function writesIndexedItem(requestBody: Record<string, unknown>): boolean {
  const item = requestBody["Item"] as Record<string, unknown> | undefined;
  if (item !== undefined && "gsi1pk" in item) return true;
  const partition = (requestBody["Key"] as { pk?: { S?: unknown } } | undefined)?.pk?.S;
  return typeof partition === "string" && partition.startsWith(INDEXED_PARTITION_PREFIX);
}

function forwardedHeaders(headers: IncomingHttpHeaders, bodyLength: number): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name !== "content-length" && name !== "transfer-encoding" && name !== "host") copy[name] = value;
  }
  copy["content-length"] = String(bodyLength);
  return copy;
}

export async function startDynamoCounter(host = "127.0.0.1"): Promise<DynamoCounter> {
  let target: URL | undefined;
  let reads = 0;
  let writes = 0;
  let readUnits = 0;
  let writeUnits = 0;
  const operations: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true });

  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      if (target === undefined) throw new Error("The DynamoDB counter has nowhere to forward to yet.");
      const operation = String(incoming.headers["x-amz-target"] ?? "").split(".")[1] ?? "unknown";
      let requestBody = await readBody(incoming);
      const parsedRequest = parseJson(requestBody) ?? {};
      const askedForCapacity = parsedRequest["ReturnConsumedCapacity"] !== undefined && parsedRequest["ReturnConsumedCapacity"] !== "NONE";
      const injectCapacity = CAPACITY_OPERATIONS.has(operation) && !askedForCapacity;
      if (injectCapacity) requestBody = Buffer.from(JSON.stringify({ ...parsedRequest, ReturnConsumedCapacity: "TOTAL" }));

      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const upstream = request(
          new URL(incoming.url ?? "/", target),
          { method: incoming.method, headers: forwardedHeaders(incoming.headers, requestBody.length), agent },
          resolve,
        );
        upstream.on("error", reject);
        upstream.end(requestBody);
      });
      let responseBody = await readBody(answer);
      const parsedResponse = parseJson(responseBody);
      const status = answer.statusCode ?? 500;

      operations[operation] = (operations[operation] ?? 0) + 1;
      const units = consumedUnits(parsedResponse?.["ConsumedCapacity"]);
      if (READ_OPERATIONS.has(operation)) {
        reads += 1;
        readUnits += units;
      } else if (WRITE_OPERATIONS.has(operation)) {
        writes += 1;
        const refusedByCondition = status >= 400 && String(parsedResponse?.["__type"] ?? "").endsWith("ConditionalCheckFailedException");
        writeUnits += refusedByCondition ? 1 : units;
        if (status < 400 && writesIndexedItem(parsedRequest)) writeUnits += 1;
      }

      const headers = { ...answer.headers };
      if (injectCapacity && parsedResponse !== undefined && "ConsumedCapacity" in parsedResponse) {
        const { ConsumedCapacity: _dropped, ...rest } = parsedResponse;
        responseBody = Buffer.from(JSON.stringify(rest));
        if (headers["x-amz-crc32"] !== undefined) headers["x-amz-crc32"] = String(crc32(responseBody));
      }
      delete headers["transfer-encoding"];
      headers["content-length"] = String(responseBody.length);
      outgoing.writeHead(status, headers);
      outgoing.end(responseBody);
    } catch (error) {
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(error instanceof Error ? error.message : String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${host}:${port}`,
    forwardTo(endpoint) {
      target = new URL(endpoint);
    },
    counts: () => ({ reads, writes, readUnits, writeUnits, operations: { ...operations } }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        agent.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
