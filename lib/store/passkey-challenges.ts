/**
 * WebAuthn challenges the passkey API issues, each kept in the table until it is used once or
 * expires. A challenge outlives the request that issued it (the browser's ceremony happens in
 * between), so unlike a sign-in round's challenge, which Cognito keeps in its session, it needs a
 * home of its own. One item per challenge, CHALLENGE#<challengeId> / CHALLENGE:
 * - `challenge`: the WebAuthn challenge (base64url) the options carried;
 * - `purpose`: "registration" (adding a passkey, issued to a signed-in user) or "authentication"
 *   (a sign-in without a username: issued to nobody, so `userName` is absent);
 * - `userName`: the user it was issued to, when it was issued to one;
 * - `rpId`: the relying party whose options carried it; a use for another RP is refused;
 * - `expiresAt` (epoch ms), judged when the challenge is used; `ttl` (epoch s) only lets
 *   DynamoDB's TTL clean up, days later perhaps (and never on the local server, dynalite);
 * - `usedBy`: set on a sign-in challenge by the sign-in round that took it (takeForSignIn).
 *
 * Using a registration challenge is one conditional DeleteItem that returns the deleted item: the
 * same challenge can never be used twice, even by two requests at the same moment (no transaction
 * needed). A sign-in challenge is taken by one conditional UpdateItem that marks it with the
 * sign-in round taking it (the round's nonce, which only Cognito and the triggers see): a second
 * round, a second sign-in, can never take it, while Cognito invoking Verify again for the same
 * round (it may, when a call is slow) finds it still its own. A refused use changes nothing.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../errors.ts";
import { allOf, holds, notExpired, notYetRecorded } from "./conditions.ts";
import { TABLE_KEYS, epochSeconds } from "./keys.ts";

export type ChallengePurpose = "registration" | "authentication";

export interface IssuedChallenge {
  /** The id the client sends back; random, and not the challenge itself. */
  readonly challengeId: string;
  /** The WebAuthn challenge, base64url. */
  readonly challenge: string;
  readonly purpose: ChallengePurpose;
  /** The internal username it was issued to; absent for a challenge issued to nobody. */
  readonly userName?: string | undefined;
  /** The relying party (PASSKEY_RP_ID) whose options carry it. */
  readonly rpId: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Who may use a challenge, and when. */
export interface ChallengeUse {
  readonly purpose: ChallengePurpose;
  /** The user using it; absent to use a challenge issued to nobody. */
  readonly userName?: string | undefined;
  readonly rpId: string;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** A sign-in round taking a challenge issued to nobody (`POST /passkeys/challenge`). */
export interface SignInChallengeUse {
  /** The nonce of the SELECT_METHOD round whose answer takes it (lib/flow/challenge-metadata.ts). */
  readonly round: string;
  readonly rpId: string;
  /** Epoch milliseconds. */
  readonly now: number;
}

export interface PasskeyChallengeStore {
  issue(challenge: IssuedChallenge): Promise<void>;
  /**
   * Uses the challenge up: its WebAuthn challenge, or undefined when there is none by this id
   * (never issued, used already) or it is not this use's (another purpose, another user, one
   * issued to nobody, another RP's) or it has expired; nothing is deleted then.
   */
  consume(challengeId: string, use: ChallengeUse): Promise<string | undefined>;
  /**
   * Takes a sign-in challenge for one sign-in round: its WebAuthn challenge, or undefined when
   * there is none by this id, it is another round's already, it was issued to a user or for
   * registration, it is another RP's, or it has expired; nothing is written then.
   */
  takeForSignIn(challengeId: string, use: SignInChallengeUse): Promise<string | undefined>;
}

export const CHALLENGE_PARTITION_PREFIX = "CHALLENGE#";

function challengeKey(challengeId: string) {
  return { [TABLE_KEYS.partition]: `${CHALLENGE_PARTITION_PREFIX}${challengeId}`, [TABLE_KEYS.sort]: "CHALLENGE" };
}

function isCondition(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

const NAMES = { "#purpose": "purpose", "#expiresAt": "expiresAt", "#userName": "userName", "#rpId": "rpId" };

function challengeOf(item: Record<string, unknown> | undefined): string {
  const challenge = item?.["challenge"];
  if (typeof challenge !== "string" || challenge === "") throw new StoreUnavailableError("A stored passkey challenge has an unexpected shape.");
  return challenge;
}

export function createDynamoPasskeyChallengeStore({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): PasskeyChallengeStore {
  return {
    async issue(issued) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...challengeKey(issued.challengeId),
              challenge: issued.challenge,
              purpose: issued.purpose,
              ...(issued.userName === undefined ? {} : { userName: issued.userName }),
              rpId: issued.rpId,
              expiresAt: issued.expiresAt,
              [TABLE_KEYS.ttl]: epochSeconds(issued.expiresAt),
            },
            // The id is 128 random bits: a collision means a bug, never a second owner.
            ConditionExpression: notYetRecorded("#pk"),
            ExpressionAttributeNames: { "#pk": TABLE_KEYS.partition },
          }),
        );
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not store the passkey challenge.", { cause: error });
      }
    },

    async consume(challengeId, use) {
      const forUser = use.userName === undefined ? notYetRecorded("#userName") : holds("#userName", ":userName");
      let old: Record<string, unknown> | undefined;
      try {
        ({ Attributes: old } = await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: challengeKey(challengeId),
            ConditionExpression: allOf(holds("#purpose", ":purpose"), holds("#rpId", ":rpId"), notExpired("#expiresAt", ":now"), forUser),
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: {
              ":purpose": use.purpose,
              ":rpId": use.rpId,
              ":now": use.now,
              ...(use.userName === undefined ? {} : { ":userName": use.userName }),
            },
            ReturnValues: "ALL_OLD",
          }),
        ));
      } catch (error) {
        if (isCondition(error)) return undefined;
        throw new StoreUnavailableError("DynamoDB did not use up the passkey challenge.", { cause: error });
      }
      return challengeOf(old);
    },

    async takeForSignIn(challengeId, use) {
      let taken: Record<string, unknown> | undefined;
      try {
        ({ Attributes: taken } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: challengeKey(challengeId),
            UpdateExpression: "SET #usedBy = :round",
            // An absent item fails `#purpose = :purpose`, so an unknown id creates nothing.
            ConditionExpression: allOf(
              holds("#purpose", ":purpose"),
              holds("#rpId", ":rpId"),
              notExpired("#expiresAt", ":now"),
              notYetRecorded("#userName"),
              `(${notYetRecorded("#usedBy")} OR ${holds("#usedBy", ":round")})`,
            ),
            ExpressionAttributeNames: { ...NAMES, "#usedBy": "usedBy" },
            ExpressionAttributeValues: { ":purpose": "authentication", ":rpId": use.rpId, ":now": use.now, ":round": use.round },
            ReturnValues: "ALL_NEW",
          }),
        ));
      } catch (error) {
        if (isCondition(error)) return undefined;
        throw new StoreUnavailableError("DynamoDB did not take the passkey sign-in challenge.", { cause: error });
      }
      return challengeOf(taken);
    },
  };
}
