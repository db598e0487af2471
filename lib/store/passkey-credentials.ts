/**
 * Passkey credentials in the table: what enrolment learnt of each. Keyed by credential id, so "this
 * credential exists for no one yet" is one conditional put (no transaction); a user's credentials
 * are reached through gsi1.
 *
 * | item       | pk                      | sk      | gsi1pk            | gsi1sk                 |
 * |------------|-------------------------|---------|-------------------|------------------------|
 * | credential | PASSKEY#<credentialId>  | PASSKEY | USER#<userName>   | PASSKEY#<createdAt ISO>|
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
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

export interface PasskeyCredentialStore {
  get(credentialId: string): Promise<StoredPasskey | undefined>;
  listForUser(userName: string): Promise<StoredPasskey[]>;
  /** "exists" when any user already has this credential id. */
  create(passkey: StoredPasskey): Promise<"created" | "exists">;
}

/** What revoking a passkey (lib/passkey/revoke-passkey.ts) does to its item; sign-ins never delete one. */
export interface PasskeyCredentialRemoval {
  /**
   * Deletes the credential's item if it is this user's (one conditional delete): "not_found" when
   * there is none, or it is another user's, which is then left as it is.
   */
  deleteForUser(userName: string, credentialId: string): Promise<"deleted" | "not_found">;
}

/** What renaming a passkey (the passkey API's PATCH) does to its item. */
export interface PasskeyCredentialRenaming {
  /**
   * Sets the friendly name if the item is this user's (one conditional update): the passkey as it
   * is now, or undefined when there is no item or it is another user's, which is left as it is.
   */
  renameForUser(userName: string, credentialId: string, friendlyName: string): Promise<StoredPasskey | undefined>;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB implementation. Enrolment is one conditional write on the credential's own item:
// "nobody has this credential id yet". The table needs no transaction (and the local server has
// none). Uses are recorded on the user's item (sign-in-records.ts), where the sign-in record is
// written in the same request; `counter` and `lastUsedAt` here are what enrolment saw, or, for a
// passkey enrolled before uses moved there, what its last use here saw.
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
  const { credentialId, userName, userHandle, publicKey, counter, transports, aaguid, backedUp, deviceType, createdAt, lastUsedAt, friendlyName } = item;
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

export function createDynamoPasskeyStore({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): PasskeyCredentialStore & PasskeyCredentialRemoval & PasskeyCredentialRenaming {
  async function read(credentialId: string): Promise<Record<string, unknown> | undefined> {
    // Strongly consistent: a passkey enrolled a moment ago, in another invocation, must be found.
    const { Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: passkeyKey(credentialId), ConsistentRead: true }));
    return item;
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

    async deleteForUser(userName, credentialId) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: passkeyKey(credentialId),
            ConditionExpression: "#userName = :userName",
            ExpressionAttributeNames: { "#userName": "userName" },
            ExpressionAttributeValues: { ":userName": userName },
          }),
        );
        return "deleted";
      } catch (error) {
        if (isCondition(error)) return "not_found";
        throw new StoreUnavailableError("DynamoDB did not delete the passkey.", { cause: error });
      }
    },

    async renameForUser(userName, credentialId, friendlyName) {
      let item: Record<string, unknown> | undefined;
      try {
        ({ Attributes: item } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: passkeyKey(credentialId),
            UpdateExpression: "SET #friendlyName = :friendlyName",
            // Also false for an item that does not exist: an update never creates one here.
            ConditionExpression: "#userName = :userName",
            ExpressionAttributeNames: { "#userName": "userName", "#friendlyName": "friendlyName" },
            ExpressionAttributeValues: { ":userName": userName, ":friendlyName": friendlyName },
            ReturnValues: "ALL_NEW",
          }),
        ));
      } catch (error) {
        if (isCondition(error)) return undefined;
        throw new StoreUnavailableError("DynamoDB did not rename the passkey.", { cause: error });
      }
      if (item === undefined) throw new StoreUnavailableError("DynamoDB renamed the passkey but returned no item.");
      return parsePasskeyItem(item);
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
  };
}
