/**
 * Remembers which codes were sent, for two reasons at once, in one conditional write:
 * - abuse limits: codes per destination per window (all users), and per user per destination;
 * - at most one message per round: Cognito may invoke Create again for the same round (a slow
 *   cold start), and the second invocation must re-issue the first one's code, not send another.
 *
 * The stored code hash is salted with a value derived from the round key, a secret that only
 * Cognito's session holds: reading the table alone never lets anyone brute-force a code.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../errors.ts";
import { countedDestination } from "../send/counted-destination.ts";
import { allOf, notYetRecorded, underLimit } from "./conditions.ts";
import { TABLE_KEYS, epochSeconds, hashForKey } from "./keys.ts";

/** What identifies one issued code; the hash never leaves the server side. */
export interface IssuedCode {
  readonly codeId: string;
  readonly codeHash: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface CodeSendRequest {
  /** Secret and unique per round (the nonce of the round before it). Never stored as such, only hashed. */
  readonly roundKey: string;
  readonly userName: string;
  readonly channel: "email" | "sms";
  /** The full address; the store keeps only its hash. */
  readonly destination: string;
  readonly code: IssuedCode;
  /** Epoch milliseconds. */
  readonly now: number;
}

export type CodeSendDecision =
  | { readonly outcome: "send" }
  /** This round was already served by an earlier invocation: re-issue its code, send nothing. */
  | { readonly outcome: "already-issued"; readonly code: IssuedCode }
  | { readonly outcome: "rate-limited"; readonly scope: "user" | "destination" };

export interface CodeSendStore {
  /** Counts the send against the limits and records the code for this round, or says why not. */
  reserve(request: CodeSendRequest): Promise<CodeSendDecision>;
  /**
   * Undoes a reservation whose message could not be sent: the round's record goes and both
   * counters go back down, so a failed send neither uses up the limit nor leaves a code behind.
   * Only this request's own record is undone; false when it could not be (already undone, or
   * DynamoDB did not answer), which leaves the limit counted: the safe side.
   */
  release(request: CodeSendRequest): Promise<boolean>;
}

export interface CodeSendLimits {
  readonly windowSeconds: number;
  readonly perUser: number;
  readonly perDestination: number;
  /** How long a code lives, so the round's record outlives it. */
  readonly codeTtlSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB implementation: one item per (channel, destination, fixed window), one conditional
// UpdateItem per reservation. No transaction is needed (and the local server has none): the
// counters and the round's record live on the same item, so one condition decides all three rules.
// ---------------------------------------------------------------------------------------------

/** Codes sent to the destination in this window, by all users. */
const SENT_ATTRIBUTE = "sent";
/**
 * Attribute names derived from a hash keep 22 base64url characters (132 bits): collisions stay out
 * of reach while the item stays small. The round key's hash here is not the code's salt, which
 * is derived from the round key under its own prefix (lib/otp/code-hash.ts).
 */
const ATTRIBUTE_HASH_CHARS = 22;

export interface CodeSendItemKey {
  readonly pk: string;
  readonly sk: string;
  /** Epoch seconds at which the window ends. */
  readonly windowEnd: number;
}

/**
 * Where the sends to one destination in the window containing `now` are counted: one item for
 * every spelling of a mailbox (lib/send/counted-destination.ts).
 */
export function codeSendItemKey(channel: CodeSendRequest["channel"], destination: string, now: number, windowSeconds: number): CodeSendItemKey {
  const windowStart = Math.floor(epochSeconds(now) / windowSeconds) * windowSeconds;
  const counted = countedDestination(channel, destination);
  return { pk: `CODES#${channel}#${hashForKey(counted)}`, sk: `WINDOW#${windowStart}`, windowEnd: windowStart + windowSeconds };
}

/** The attribute holding one round's code: named by the round key's hash, never the key itself. */
export function roundAttribute(roundKey: string): string {
  return `r_${hashForKey(roundKey).slice(0, ATTRIBUTE_HASH_CHARS)}`;
}

/** The attribute counting one user's codes to this destination in the window. */
export function userCounterAttribute(userName: string): string {
  return `u_${hashForKey(userName).slice(0, ATTRIBUTE_HASH_CHARS)}`;
}

function isIssuedCode(value: unknown): value is IssuedCode {
  if (typeof value !== "object" || value === null) return false;
  const { codeId, codeHash, expiresAt } = value as Record<string, unknown>;
  return typeof codeId === "string" && typeof codeHash === "string" && typeof expiresAt === "number" && Number.isFinite(expiresAt);
}

function counterValue(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

export function createDynamoCodeSendStore({
  client,
  tableName,
  limits,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
  limits: CodeSendLimits;
}): CodeSendStore {
  const names = (request: CodeSendRequest) => ({
    "#round": roundAttribute(request.roundKey),
    "#sent": SENT_ATTRIBUTE,
    "#user": userCounterAttribute(request.userName),
  });

  /** Why the write was refused, read back from the item (dynalite has no ReturnValuesOnConditionCheckFailure). */
  async function explainRefusal(request: CodeSendRequest, key: CodeSendItemKey): Promise<CodeSendDecision | undefined> {
    const { Item: item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [TABLE_KEYS.partition]: key.pk, [TABLE_KEYS.sort]: key.sk },
        ConsistentRead: true,
        ProjectionExpression: "#round, #sent, #user",
        ExpressionAttributeNames: names(request),
      }),
    );
    const round = item?.[roundAttribute(request.roundKey)];
    if (round !== undefined) {
      if (!isIssuedCode(round)) throw new StoreUnavailableError("The recorded code of this round has an unexpected shape.");
      // Our own write, which reached the table after the SDK gave up on its answer and retried:
      // this call reserved the round, and its code has not been sent yet.
      if (round.codeId === request.code.codeId) return { outcome: "send" };
      return { outcome: "already-issued", code: { codeId: round.codeId, codeHash: round.codeHash, expiresAt: round.expiresAt } };
    }
    if (counterValue(item?.[SENT_ATTRIBUTE]) >= limits.perDestination) return { outcome: "rate-limited", scope: "destination" };
    if (counterValue(item?.[userCounterAttribute(request.userName)]) >= limits.perUser) return { outcome: "rate-limited", scope: "user" };
    // Nothing refuses any more: the item changed between the write and the read (its window expired).
    return undefined;
  }

  /** The request's item: its key parts and the DynamoDB Key. */
  const itemOf = (request: CodeSendRequest) => {
    const key = codeSendItemKey(request.channel, request.destination, request.now, limits.windowSeconds);
    return { key, Key: { [TABLE_KEYS.partition]: key.pk, [TABLE_KEYS.sort]: key.sk } };
  };

  async function tryReserve(request: CodeSendRequest): Promise<CodeSendDecision | undefined> {
    const { key, Key } = itemOf(request);
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: "SET #round = :round, #ttl = :ttl ADD #sent :one, #user :one",
          ConditionExpression: allOf(notYetRecorded("#round"), underLimit("#sent", ":perDestination"), underLimit("#user", ":perUser")),
          ExpressionAttributeNames: { ...names(request), "#ttl": TABLE_KEYS.ttl },
          ExpressionAttributeValues: {
            ":round": { codeId: request.code.codeId, codeHash: request.code.codeHash, expiresAt: request.code.expiresAt },
            // The item outlives its window by a code's lifetime, so a late re-invocation still finds its round.
            ":ttl": key.windowEnd + limits.codeTtlSeconds,
            ":one": 1,
            ":perDestination": limits.perDestination,
            ":perUser": limits.perUser,
          },
        }),
      );
      return { outcome: "send" };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return explainRefusal(request, key);
  }

  return {
    async release(request) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: itemOf(request).Key,
            UpdateExpression: "REMOVE #round ADD #sent :minusOne, #user :minusOne",
            ConditionExpression: "#round.#codeId = :codeId",
            ExpressionAttributeNames: { ...names(request), "#codeId": "codeId" },
            ExpressionAttributeValues: { ":codeId": request.code.codeId, ":minusOne": -1 },
          }),
        );
        return true;
      } catch {
        return false;
      }
    },

    async reserve(request) {
      try {
        // A refusal that no longer holds when read back is tried once more, then treated as an outage.
        const decision = (await tryReserve(request)) ?? (await tryReserve(request));
        if (decision === undefined) throw new StoreUnavailableError("The code-send record changed while it was being read.");
        return decision;
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        // The message names the operation only: no destination, hash or key reaches a log line.
        throw new StoreUnavailableError("DynamoDB did not answer the code-send reservation.", { cause: error });
      }
    },
  };
}
