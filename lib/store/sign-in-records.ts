/**
 * The server-side record of a verified factor, written by Verify and read by PreTokenGeneration.
 * Cognito's token event carries no auth session, only what the app controls, so this record is
 * what ties the `auth_methods`/`auth_level` claims to a factor the server itself verified.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../errors.ts";
import { AUTH_LEVEL, type AuthLevel, type AuthMethodClaim } from "../protocol.ts";
import { TABLE_KEYS, epochSeconds } from "./keys.ts";

export interface SignInRecord {
  readonly userName: string;
  /** The app client the sign-in ran through; tokens for another client never take this record. */
  readonly clientId: string;
  readonly methods: readonly AuthMethodClaim[];
  readonly level: AuthLevel;
  /** Epoch milliseconds. */
  readonly verifiedAt: number;
}

/**
 * How long after its factor was verified a record may still become claims: Cognito's longest
 * auth session (AuthSessionValidity, 15 minutes), which covers an optional passkey enrolment round.
 */
/** How far ahead of the reader's clock the writer's may be. */
const SIGN_IN_RECORD_CLOCK_SKEW_MS = 60_000;

export const SIGN_IN_RECORD_LIFETIME_MS = 15 * 60 * 1000;

export interface SignInRecordStore {
  save(record: SignInRecord): Promise<void>;
  /** The user's latest record for this client if it is younger than SIGN_IN_RECORD_LIFETIME_MS, else undefined. */
  findRecent(userName: string, clientId: string, now: number): Promise<SignInRecord | undefined>;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB implementation: one item per user (SIGNIN#<userName>, LATEST), overwritten by each
// verified factor and removed by TTL once it can no longer become claims.
// ---------------------------------------------------------------------------------------------

/** Every value the `auth_methods` claim may hold; a stored method outside it means a corrupt record. */
const AUTH_METHOD_CLAIMS: readonly AuthMethodClaim[] = ["email_otp", "sms", "swk", "hwk"];
const AUTH_LEVELS: readonly string[] = Object.values(AUTH_LEVEL);

function signInRecordKey(userName: string) {
  return { [TABLE_KEYS.partition]: `SIGNIN#${userName}`, [TABLE_KEYS.sort]: "LATEST" };
}

/** The stored item as a record, or undefined when any field is missing or out of its range. */
function parseSignInItem(userName: string, item: Record<string, unknown>): SignInRecord | undefined {
  const { clientId, methods, level, verifiedAt } = item;
  if (typeof clientId !== "string" || typeof verifiedAt !== "number" || !Number.isFinite(verifiedAt)) return undefined;
  if (typeof level !== "string" || !AUTH_LEVELS.includes(level)) return undefined;
  if (!Array.isArray(methods) || methods.length === 0) return undefined;
  if (!methods.every((method): method is AuthMethodClaim => (AUTH_METHOD_CLAIMS as readonly unknown[]).includes(method))) {
    return undefined;
  }
  return { userName, clientId, methods, level: level as AuthLevel, verifiedAt };
}

export function createDynamoSignInRecordStore({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SignInRecordStore {
  return {
    async save(record) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...signInRecordKey(record.userName),
              clientId: record.clientId,
              methods: [...record.methods],
              level: record.level,
              verifiedAt: record.verifiedAt,
              [TABLE_KEYS.ttl]: epochSeconds(record.verifiedAt + SIGN_IN_RECORD_LIFETIME_MS),
            },
          }),
        );
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not save the sign-in record.", { cause: error });
      }
    },

    async findRecent(userName, clientId, now) {
      let item: Record<string, unknown> | undefined;
      try {
        // Strongly consistent: the record was written moments ago by Verify, in another invocation.
        ({ Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: signInRecordKey(userName), ConsistentRead: true })));
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the sign-in record.", { cause: error });
      }
      if (item === undefined) return undefined;
      const record = parseSignInItem(userName, item);
      if (record === undefined || record.clientId !== clientId) return undefined;
      // TTL deletes expired items lazily ("typically within two days"), and until then reads still return
      // them: the age is checked here. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
      if (now - record.verifiedAt >= SIGN_IN_RECORD_LIFETIME_MS) return undefined;
      // Nor may it be dated ahead of this clock by more than clocks can disagree (NTP keeps Lambda's
      // within far less than a minute): a corrupt item, or a clock far off, would otherwise pass
      // for every sign-in until then, although no Verify of this one wrote it.
      if (record.verifiedAt - now > SIGN_IN_RECORD_CLOCK_SKEW_MS) return undefined;
      return record;
    },
  };
}
