/**
 * Passkey credentials in the table. Keyed by credential id, so "this credential exists for no one
 * yet" is one conditional put (no transaction); a user's credentials are reached through gsi1.
 *
 * | item       | pk                      | sk      | gsi1pk            | gsi1sk                 |
 * |------------|-------------------------|---------|-------------------|------------------------|
 * | credential | PASSKEY#<credentialId>  | PASSKEY | USER#<userName>   | PASSKEY#<createdAt ISO>|
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../errors.ts";
import { TABLE_KEYS } from "./keys.ts";

export interface StoredPasskey {
  /** base64url, as WebAuthn's JSON carries it. */
  readonly credentialId: string;
  readonly userName: string;
  /** The WebAuthn user handle given at enrolment (base64url); opaque, never an email or phone. */
  readonly userHandle: string;
  /** COSE public key, base64url. */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly aaguid: string;
  readonly backedUp: boolean;
  readonly deviceType: "singleDevice" | "multiDevice";
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly lastUsedAt?: number | undefined;
  readonly friendlyName: string;
}

export interface PasskeyUse {
  readonly credentialId: string;
  /** The counter the assertion was verified against: the update only applies if it is still stored. */
  readonly previousCounter: number;
  readonly newCounter: number;
  readonly usedAt: number;
  /** The challenge of the assertion, so a repeated Verify of the same assertion is recognised. */
  readonly challenge: string;
}

export interface PasskeyCredentialStore {
  get(credentialId: string): Promise<StoredPasskey | undefined>;
  listForUser(userName: string): Promise<StoredPasskey[]>;
  /** "exists" when any user already has this credential id. */
  create(passkey: StoredPasskey): Promise<"created" | "exists">;
  /**
   * Records a verified use: new counter and last-used time. "replayed" when the stored state shows
   * this very assertion (same challenge) was already recorded; "conflict" when the counter moved on.
   */
  recordUse(use: PasskeyUse): Promise<"updated" | "replayed" | "conflict">;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB implementation. Every decision is one conditional write on the credential's own item:
// "nobody has this credential id yet" on create, "the counter is still the one I verified
// against" on use. The table needs no transaction (and the local server has none).
// ---------------------------------------------------------------------------------------------

/**
 * At most this many credentials are read for one user, the highest PASSKEY_MAX_PER_USER allows:
 * the list feeds excludeCredentials and the limit check, and must stay small enough for one round.
 */
export const MAX_LISTED_PASSKEYS = 100;

const DEVICE_TYPES: readonly string[] = ["singleDevice", "multiDevice"];

function passkeyKey(credentialId: string) {
  return { [TABLE_KEYS.partition]: `PASSKEY#${credentialId}`, [TABLE_KEYS.sort]: "PASSKEY" };
}

function userIndexKey(userName: string): string {
  return `USER#${userName}`;
}

function isCondition(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** The item as a credential; a stored item of any other shape is a bug, not an answer to give. */
function parsePasskeyItem(item: Record<string, unknown>): StoredPasskey {
  const { credentialId, userName, userHandle, publicKey, counter, transports, aaguid, backedUp, deviceType, createdAt, lastUsedAt, friendlyName } =
    item;
  const valid =
    typeof credentialId === "string" &&
    typeof userName === "string" &&
    typeof userHandle === "string" &&
    typeof publicKey === "string" &&
    isWholeNumber(counter) &&
    Array.isArray(transports) &&
    transports.every((transport) => typeof transport === "string") &&
    typeof aaguid === "string" &&
    typeof backedUp === "boolean" &&
    typeof deviceType === "string" &&
    DEVICE_TYPES.includes(deviceType) &&
    isWholeNumber(createdAt) &&
    (lastUsedAt === undefined || isWholeNumber(lastUsedAt)) &&
    typeof friendlyName === "string";
  if (!valid) throw new StoreUnavailableError("A stored passkey has an unexpected shape.");
  return {
    credentialId,
    userName,
    userHandle,
    publicKey,
    counter,
    transports: transports as string[],
    aaguid,
    backedUp,
    deviceType: deviceType as StoredPasskey["deviceType"],
    createdAt,
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
    friendlyName,
  };
}

/** True when a use may be written: the counter moves forward, or stays at 0 on an authenticator that never counts. */
function movesCounterForward(use: PasskeyUse): boolean {
  return use.newCounter > use.previousCounter || (use.newCounter === 0 && use.previousCounter === 0);
}

export function createDynamoPasskeyStore({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): PasskeyCredentialStore {
  async function read(credentialId: string): Promise<Record<string, unknown> | undefined> {
    // Strongly consistent: a use recorded a moment ago by another invocation must be seen.
    const { Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: passkeyKey(credentialId), ConsistentRead: true }));
    return item;
  }

  /** Why a use was not written: this very assertion was recorded already, or the credential moved on. */
  async function explainRefusedUse(use: PasskeyUse): Promise<"replayed" | "conflict"> {
    const item = await read(use.credentialId);
    return item !== undefined && item["lastChallenge"] === use.challenge ? "replayed" : "conflict";
  }

  return {
    async get(credentialId) {
      let item: Record<string, unknown> | undefined;
      try {
        item = await read(credentialId);
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the passkey.", { cause: error });
      }
      return item === undefined ? undefined : parsePasskeyItem(item);
    },

    async listForUser(userName) {
      const passkeys: StoredPasskey[] = [];
      let startKey: Record<string, unknown> | undefined;
      try {
        // A global secondary index is read eventually consistent only: a passkey enrolled a moment
        // ago may be missing, which the conditional put of `create` makes harmless for uniqueness.
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: TABLE_KEYS.gsi1Name,
              KeyConditionExpression: "#gsi1pk = :user AND begins_with(#gsi1sk, :passkey)",
              ExpressionAttributeNames: { "#gsi1pk": TABLE_KEYS.gsi1Partition, "#gsi1sk": TABLE_KEYS.gsi1Sort },
              ExpressionAttributeValues: { ":user": userIndexKey(userName), ":passkey": "PASSKEY#" },
              Limit: MAX_LISTED_PASSKEYS - passkeys.length,
              ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
            }),
          );
          for (const item of (page.Items ?? []).slice(0, MAX_LISTED_PASSKEYS - passkeys.length)) passkeys.push(parsePasskeyItem(item));
          startKey = page.LastEvaluatedKey;
        } while (startKey !== undefined && passkeys.length < MAX_LISTED_PASSKEYS);
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        throw new StoreUnavailableError("DynamoDB did not list the user's passkeys.", { cause: error });
      }
      return passkeys;
    },

    async create(passkey) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...passkeyKey(passkey.credentialId),
              [TABLE_KEYS.gsi1Partition]: userIndexKey(passkey.userName),
              [TABLE_KEYS.gsi1Sort]: `PASSKEY#${new Date(passkey.createdAt).toISOString()}`,
              credentialId: passkey.credentialId,
              userName: passkey.userName,
              userHandle: passkey.userHandle,
              publicKey: passkey.publicKey,
              counter: passkey.counter,
              transports: [...passkey.transports],
              aaguid: passkey.aaguid,
              backedUp: passkey.backedUp,
              deviceType: passkey.deviceType,
              createdAt: passkey.createdAt,
              ...(passkey.lastUsedAt === undefined ? {} : { lastUsedAt: passkey.lastUsedAt }),
              friendlyName: passkey.friendlyName,
            },
            // The item is keyed by credential id alone, so this refuses the id for every user at once.
            ConditionExpression: "attribute_not_exists(#pk)",
            ExpressionAttributeNames: { "#pk": TABLE_KEYS.partition },
          }),
        );
        return "created";
      } catch (error) {
        if (!isCondition(error)) throw new StoreUnavailableError("DynamoDB did not store the passkey.", { cause: error });
      }
      // The credential id is taken. It may be this very put, which reached the table after the SDK
      // gave up on its answer and retried: the same user, key and enrolment time mean it is ours.
      let stored: Record<string, unknown> | undefined;
      try {
        stored = await read(passkey.credentialId);
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the passkey it refused.", { cause: error });
      }
      const ours =
        stored !== undefined &&
        stored["userName"] === passkey.userName &&
        stored["publicKey"] === passkey.publicKey &&
        stored["createdAt"] === passkey.createdAt;
      return ours ? "created" : "exists";
    },

    async recordUse(use) {
      try {
        // A counter that does not move forward is never written: only "is this the assertion already recorded?" is asked.
        if (!movesCounterForward(use)) return await explainRefusedUse(use);
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: passkeyKey(use.credentialId),
            UpdateExpression: "SET #counter = :newCounter, #lastUsedAt = :usedAt, #lastChallenge = :challenge",
            // attribute_exists: a credential deleted meanwhile must not come back as a fragment.
            ConditionExpression: "attribute_exists(#pk) AND #counter = :previousCounter",
            ExpressionAttributeNames: { "#pk": TABLE_KEYS.partition, "#counter": "counter", "#lastUsedAt": "lastUsedAt", "#lastChallenge": "lastChallenge" },
            ExpressionAttributeValues: {
              ":newCounter": use.newCounter,
              ":usedAt": use.usedAt,
              ":challenge": use.challenge,
              ":previousCounter": use.previousCounter,
            },
          }),
        );
        return "updated";
      } catch (error) {
        if (isCondition(error)) {
          try {
            return await explainRefusedUse(use);
          } catch (readError) {
            throw new StoreUnavailableError("DynamoDB did not return the passkey after a refused use.", { cause: readError });
          }
        }
        throw new StoreUnavailableError("DynamoDB did not record the passkey use.", { cause: error });
      }
    },
  };
}
