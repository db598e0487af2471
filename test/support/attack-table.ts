/**
 * Reads the suite's table straight from the local stack's DynamoDB-compatible server (never
 * through a fault proxy), so a test can see what a sign-in left behind: send counters, passkey
 * counters, sign-in records. The send counters' key and user attribute come from lib/store's own
 * exported functions; the other keys follow the design documented in lib/store/keys.ts.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { codeSendItemKey, userCounterAttribute } from "../../lib/store/code-sends.ts";
import { TABLE_KEYS } from "../../lib/store/keys.ts";
import type { LocalStack } from "./local-stack.ts";

export interface SendCounters {
  /** Codes sent to the address in the current window, by all users. */
  readonly toAddress: number;
  /** Codes sent to the address for this user in the current window. */
  readonly forUser: number;
}

export interface TableReader {
  /** The send counters of the window holding now; both 0 when nothing was counted. */
  sendCounters(channel: "email" | "sms", address: string, userName: string, windowSeconds: number): Promise<SendCounters>;
  /** The stored signature counter of a passkey, or undefined when it is not stored. */
  passkeyCounter(credentialId: string): Promise<number | undefined>;
  /** Credential ids of the user's passkeys (read through the user index, as enrolment does). */
  passkeysOf(userName: string): Promise<string[]>;
  /** The latest verified sign-in record of the user, if any. */
  signInRecord(userName: string): Promise<Record<string, unknown> | undefined>;
  destroy(): void;
}

export function tableReader(stack: LocalStack): TableReader {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: stack.config.region,
      endpoint: stack.dynamoEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  const get = async (pk: string, sk: string) =>
    (await client.send(new GetCommand({ TableName: stack.tableName, Key: { [TABLE_KEYS.partition]: pk, [TABLE_KEYS.sort]: sk }, ConsistentRead: true }))).Item;
  const numberOr0 = (value: unknown) => (typeof value === "number" ? value : 0);

  return {
    async sendCounters(channel, address, userName, windowSeconds) {
      const key = codeSendItemKey(channel, address, Date.now(), windowSeconds);
      const item = await get(key.pk, key.sk);
      return { toAddress: numberOr0(item?.["sent"]), forUser: numberOr0(item?.[userCounterAttribute(userName)]) };
    },
    async passkeyCounter(credentialId) {
      // Uses are counted on the owner's item (lib/store/sign-in-records.ts), beside the sign-in record.
      const credential = await get(`PASSKEY#${credentialId}`, "PASSKEY");
      if (typeof credential?.["userName"] !== "string") return undefined;
      const state = (await get(`SIGNIN#${credential["userName"]}`, "LATEST"))?.[`passkey#${credentialId}`] as Record<string, unknown> | undefined;
      return typeof state?.["counter"] === "number" ? state["counter"] : undefined;
    },
    async passkeysOf(userName) {
      const page = await client.send(
        new QueryCommand({
          TableName: stack.tableName,
          IndexName: TABLE_KEYS.gsi1Name,
          KeyConditionExpression: "#pk = :user",
          ExpressionAttributeNames: { "#pk": TABLE_KEYS.gsi1Partition },
          ExpressionAttributeValues: { ":user": `USER#${userName}` },
        }),
      );
      return (page.Items ?? []).map((item) => String(item["credentialId"]));
    },
    signInRecord: (userName) => get(`SIGNIN#${userName}`, "LATEST"),
    destroy: () => client.destroy(),
  };
}
