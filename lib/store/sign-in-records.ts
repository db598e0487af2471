/**
 * The user's item of sign-in state, one per user (SIGNIN#<userName>, LATEST):
 * - the record of the latest verified factor, written by Verify and read by PreTokenGeneration.
 *   Cognito's token event carries no auth session, only what the app controls, so this record is
 *   what ties the `auth_methods`/`auth_level` claims to a factor the server itself verified;
 * - for each enrolled passkey, `passkey#<credentialId>`: the fingerprint of its public key, its
 *   signature counter and the challenge of its latest assertion; for a revoked one, a tombstone
 *   `{ revokedAt }` instead (lib/passkey/revoke-passkey.ts), which no sign-in condition accepts;
 * - `firstProof`: the hash of the first address a code proved for this account, set once. It is
 *   what the ownership rule (lib/ownership/address-use.ts) falls back on when Cognito's verified
 *   flags say nothing was proven yet: a fresh account belongs to whoever proves an address first,
 *   and this condition is what makes "first" hold when two people answer at the same moment;
 * - `pendingPasskeySignIn`: a verified passkey assertion whose session goes on to an enrolment
 *   round; that round's answer makes it the sign-in record (the claims rule: the round that
 *   completes a sign-in records it, so no sign-in takes another's claims).
 *
 * A passkey sign-in is one conditional write on this item: the fingerprint must be the key's the
 * signature was verified with (lib/passkey/public-key-cache.ts says why the key itself comes from
 * the event), the counter must move forward, and the sign-in record is written with it.
 *
 * The item has no TTL: it keeps the counters, which must outlive any one sign-in. The record's age
 * is judged when it is read.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../errors.ts";
// A stored method outside AUTH_METHOD_CLAIMS means a corrupt record.
import { AUTH_LEVEL, AUTH_METHOD_CLAIMS, type AuthLevel, type AuthMethodClaim } from "@cognito-passwordless/protocol";
import { TABLE_KEYS } from "./keys.ts";

export interface SignInRecord {
  readonly userName: string;
  /** The app client the sign-in ran through; tokens for another client never take this record. */
  readonly clientId: string;
  readonly methods: readonly AuthMethodClaim[];
  readonly level: AuthLevel;
  /** Epoch milliseconds. */
  readonly verifiedAt: number;
}

/** A verified passkey assertion, to be recorded with the sign-in it completes. */
export interface PasskeyUse {
  readonly credentialId: string;
  /** publicKeyFingerprint() of the key the signature was verified with. */
  readonly keyFingerprint: string;
  readonly newCounter: number;
  /** The assertion's challenge, so a repeated Verify of the same assertion is recognised. */
  readonly challenge: string;
  /**
   * Set when the key was read from the passkey's own item in the table (trusted) rather than from
   * the user's attribute: a passkey whose fingerprint enrolment could not write to this item (the
   * write failed after the passkey's item was created) is then adopted, its counter checked
   * against the one its own item holds.
   */
  readonly adoptWithCounter?: number | undefined;
}

export type PasskeyUseOutcome =
  /** Written: the counter moved forward (or stays 0 on an authenticator that never counts). */
  | "saved"
  /** This very assertion was recorded already: Cognito invoked Verify again. */
  | "replayed"
  /** A verified signature with a counter that did not move forward: a warning sign of a cloned authenticator. */
  | "counter_regression"
  /** The table holds no fingerprint for this credential, or another one: the key is not one enrolment vouched for. */
  | "key_not_on_record";

/** What enrolment leaves on the user's item for a new passkey. */
export interface EnrolledPasskeyKey {
  readonly credentialId: string;
  readonly keyFingerprint: string;
  readonly counter: number;
}

/**
 * What revoking a passkey's key on the user's item did: "revoked" wrote the tombstone now,
 * "already_revoked" found one (an earlier revocation, kept as it was), "not_found" changed nothing.
 */
export type PasskeyRevocationOutcome = "revoked" | "already_revoked" | "not_found";

/**
 * What the user's item holds for one credential id, as enrolment asks before it stores a passkey:
 * a revoked passkey's tombstone, or the fingerprint of the key an enrolment vouched for.
 */
export type PasskeyKeyOnRecord = { readonly revoked: true } | { readonly revoked: false; readonly fingerprint: string };

/** What the user's item says of one passkey, as the passkey API lists it. */
export interface PasskeyKeyState {
  /** A tombstone: revoked, whatever the credential's own item still says. */
  readonly revoked: boolean;
  /** Epoch milliseconds of its latest recorded sign-in, if any. */
  readonly usedAt?: number | undefined;
}

/** How far ahead of the reader's clock the writer's may be. */
const SIGN_IN_RECORD_CLOCK_SKEW_MS = 60_000;

/**
 * How long after its factor was verified a record may still become claims: Cognito's longest
 * auth session (AuthSessionValidity, 15 minutes), which covers an optional passkey enrolment round.
 */
export const SIGN_IN_RECORD_LIFETIME_MS = 15 * 60 * 1000;

/** A verified code: the address it proved, and the sign-in it completes if it completes one. */
export interface CodeProof {
  readonly userName: string;
  /** hashForKey() of the address the code went to. */
  readonly addressHash: string;
  /** A first-proof round: the write holds only if no other address proved the account first. */
  readonly mustBeFirst: boolean;
  /** Absent when an enrolment round follows: that round's answer records the sign-in. */
  readonly record?: SignInRecord | undefined;
}

export type CodeProofOutcome = "saved" | "owned_by_another";

export interface SignInRecordStore {
  /** Records a sign-in whose factor an earlier round verified (one write); the passkey state on the item is left as it is. */
  save(record: SignInRecord): Promise<void>;
  /** Records a verified code in one write: the account's first proof if it has none, and the sign-in it completes. */
  saveCodeProof(proof: CodeProof): Promise<CodeProofOutcome>;
  /** hashForKey() of the first address proven for this account, if any. */
  findFirstProof(userName: string): Promise<string | undefined>;
  /**
   * Records a verified passkey assertion, in one conditional write, with the sign-in it completes;
   * or, when `pendingUntilEnrolment` is set, with that sign-in left pending for the enrolment round.
   */
  savePasskeySignIn(record: SignInRecord, use: PasskeyUse, options?: { pendingUntilEnrolment: boolean }): Promise<PasskeyUseOutcome>;
  /**
   * Makes the pending passkey sign-in of the assertion over `challenge` the sign-in record, for this
   * client (again, if Cognito repeats the call); "missing" when none is pending for it (another
   * session's replaced it).
   */
  completePendingPasskeySignIn(userName: string, clientId: string, challenge: string): Promise<"saved" | "missing">;
  /**
   * Vouches for a newly enrolled passkey's key: later sign-ins with it are conditional on this.
   * Refused (StoreUnavailableError) for an id whose key another enrolment vouched for, or that
   * was revoked: a tombstone stays.
   */
  addPasskeyKey(userName: string, key: EnrolledPasskeyKey): Promise<void>;
  /**
   * What the user's item holds for this credential id (one strongly consistent read of that one
   * attribute): undefined when nothing. Enrolment asks first, so an id revoked earlier is refused
   * before any write (a tombstone refuses addPasskeyKey's condition, which would leave the new
   * credential item behind, never usable, still counted toward the limit).
   */
  findPasskeyKey(userName: string, credentialId: string): Promise<PasskeyKeyOnRecord | undefined>;
  /**
   * Replaces the passkey's attribute with the tombstone `{ revokedAt }`, in one conditional write:
   * from then on neither sign-in condition (a known key's fingerprint, or an adopted key's missing
   * attribute) holds for it, whatever the attribute cache or the credential's item still say.
   * The write holds when the item vouches for a key of this id (a fingerprint), or, with
   * `ownedByUser` (the caller read the credential's own item and it is this user's), also when the
   * item has no attribute for it yet (a passkey enrolment could not vouch for, which a sign-in
   * would adopt). A tombstone already there is kept as it is: "already_revoked".
   */
  revokePasskeyKey(userName: string, credentialId: string, revokedAt: number, options: { ownedByUser: boolean }): Promise<PasskeyRevocationOutcome>;
  /**
   * What the user's item holds for each of the user's passkeys, by credential id (strongly
   * consistent, so a revocation a moment ago is seen). A passkey it holds nothing for is absent.
   */
  passkeyStates(userName: string): Promise<ReadonlyMap<string, PasskeyKeyState>>;
  /** The user's latest record for this client if it is younger than SIGN_IN_RECORD_LIFETIME_MS, else undefined. */
  findRecent(userName: string, clientId: string, now: number): Promise<SignInRecord | undefined>;
}

const AUTH_LEVELS: readonly string[] = Object.values(AUTH_LEVEL);

function signInRecordKey(userName: string) {
  return { [TABLE_KEYS.partition]: `SIGNIN#${userName}`, [TABLE_KEYS.sort]: "LATEST" };
}

const PASSKEY_ATTRIBUTE_PREFIX = "passkey#";

/** The item's attribute for one passkey: credential ids are base64url, so the name is unambiguous. */
function passkeyAttribute(credentialId: string): string {
  return `${PASSKEY_ATTRIBUTE_PREFIX}${credentialId}`;
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

/** What the user's item holds for a revoked passkey: no fingerprint, so no sign-in condition holds. */
function isTombstone(stored: Record<string, unknown> | undefined): boolean {
  return stored !== undefined && typeof stored["revokedAt"] === "number";
}

/** The passkey states of a user's item: every `passkey#<id>` attribute that is a map. */
function passkeyStatesOf(item: Record<string, unknown> | undefined): Map<string, PasskeyKeyState> {
  const states = new Map<string, PasskeyKeyState>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (!name.startsWith(PASSKEY_ATTRIBUTE_PREFIX) || typeof value !== "object" || value === null) continue;
    const stored = value as Record<string, unknown>;
    const usedAt = stored["usedAt"];
    states.set(name.slice(PASSKEY_ATTRIBUTE_PREFIX.length), {
      revoked: isTombstone(stored),
      ...(typeof usedAt === "number" && Number.isSafeInteger(usedAt) && usedAt > 0 ? { usedAt } : {}),
    });
  }
  return states;
}

function isCondition(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/** True when a counter may follow another: it grows, or stays 0 on an authenticator that never counts. */
export function counterMovesForward(previous: number, next: number): boolean {
  return next > previous || (next === 0 && previous === 0);
}

// The record's names and values, shared by the writes that record a sign-in.
const RECORD_NAMES = { "#clientId": "clientId", "#methods": "methods", "#level": "level", "#verifiedAt": "verifiedAt" };
const SET_RECORD = "#clientId = :clientId, #methods = :methods, #level = :level, #verifiedAt = :verifiedAt";
const FIRST_PROOF = "firstProof";
const PENDING_PASSKEY_SIGN_IN = "pendingPasskeySignIn";

function recordValues(record: SignInRecord) {
  return { ":clientId": record.clientId, ":methods": [...record.methods], ":level": record.level, ":verifiedAt": record.verifiedAt };
}

function pendingValues(record: SignInRecord) {
  return { clientId: record.clientId, methods: [...record.methods], level: record.level, verifiedAt: record.verifiedAt };
}

/**
 * The condition under which a use is written. `#p` is the passkey's attribute: its fingerprint must
 * be the verified key's, and its counter must let the new one follow. An adopted passkey (key read
 * from its own item, not the user's attribute) may also have no attribute yet; its own item's
 * counter was checked before. A key from the user's attribute never writes a missing `#p`.
 */
function useCondition(use: PasskeyUse): string {
  const counterFollows = use.newCounter === 0 ? "#p.#counter = :zero" : "#p.#counter < :newCounter";
  const known = `(#p.#fingerprint = :fingerprint AND ${counterFollows})`;
  return use.adoptWithCounter === undefined ? known : `(attribute_not_exists(#p) OR ${known})`;
}

export function createDynamoSignInRecordStore({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): SignInRecordStore {
  /** The passkey's attribute on the user's item as it is now (strongly consistent). */
  async function readPasskeyAttribute(userName: string, credentialId: string): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: signInRecordKey(userName),
        ProjectionExpression: "#p",
        ExpressionAttributeNames: { "#p": passkeyAttribute(credentialId) },
        ConsistentRead: true,
      }),
    );
    return item?.[passkeyAttribute(credentialId)] as Record<string, unknown> | undefined;
  }

  /**
   * Why a use was refused, from the item as it is now (a second request, only on this rare path).
   * "revoked": the attribute is a tombstone; the store's callers see it as "key_not_on_record".
   */
  async function explainRefusedUse(userName: string, use: PasskeyUse): Promise<Exclude<PasskeyUseOutcome, "saved"> | "revoked"> {
    const stored = await readPasskeyAttribute(userName, use.credentialId);
    if (isTombstone(stored)) return "revoked";
    if (stored === undefined || stored["fingerprint"] !== use.keyFingerprint) return "key_not_on_record";
    return stored["lastChallenge"] === use.challenge ? "replayed" : "counter_regression";
  }

  return {
    async save(record) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signInRecordKey(record.userName),
            UpdateExpression: `SET ${SET_RECORD}`,
            ExpressionAttributeNames: RECORD_NAMES,
            ExpressionAttributeValues: recordValues(record),
          }),
        );
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not save the sign-in record.", { cause: error });
      }
    },

    async saveCodeProof({ userName, addressHash, mustBeFirst, record }) {
      const names: Record<string, string> = { "#firstProof": FIRST_PROOF, ...(record === undefined ? {} : RECORD_NAMES) };
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signInRecordKey(userName),
            UpdateExpression: `SET #firstProof = if_not_exists(#firstProof, :address)${record === undefined ? "" : `, ${SET_RECORD}`}`,
            ...(mustBeFirst ? { ConditionExpression: "attribute_not_exists(#firstProof) OR #firstProof = :address" } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ":address": addressHash, ...(record === undefined ? {} : recordValues(record)) },
          }),
        );
        return "saved";
      } catch (error) {
        if (isCondition(error)) return "owned_by_another";
        throw new StoreUnavailableError("DynamoDB did not save the code's proof.", { cause: error });
      }
    },

    async findFirstProof(userName) {
      try {
        const { Item: item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: signInRecordKey(userName),
            // Strongly consistent: the proof that decides who owns a fresh account may be moments old.
            ConsistentRead: true,
            ProjectionExpression: "#firstProof",
            ExpressionAttributeNames: { "#firstProof": FIRST_PROOF },
          }),
        );
        const value = item?.[FIRST_PROOF];
        return typeof value === "string" && value !== "" ? value : undefined;
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the account's first proof.", { cause: error });
      }
    },

    async completePendingPasskeySignIn(userName, clientId, challenge) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signInRecordKey(userName),
            // The pending sign-in becomes the record as it was verified; nothing is re-stated here.
            // It stays pending, so a repeated Verify of the same answer (Cognito's retry) completes
            // it again to the same record; the next pending passkey sign-in replaces it.
            UpdateExpression: "SET #clientId = #pending.#clientId, #methods = #pending.#methods, #level = #pending.#level, #verifiedAt = #pending.#verifiedAt",
            ConditionExpression: "#pending.#challenge = :challenge AND #pending.#clientId = :clientId",
            ExpressionAttributeNames: { ...RECORD_NAMES, "#pending": PENDING_PASSKEY_SIGN_IN, "#challenge": "challenge" },
            ExpressionAttributeValues: { ":challenge": challenge, ":clientId": clientId },
          }),
        );
        return "saved";
      } catch (error) {
        if (isCondition(error)) return "missing";
        throw new StoreUnavailableError("DynamoDB did not complete the pending passkey sign-in.", { cause: error });
      }
    },

    async savePasskeySignIn(record, use, options) {
      const pending = options?.pendingUntilEnrolment === true;
      // An adopted passkey's own counter is checked here: its item is the only history it has.
      if (use.adoptWithCounter !== undefined && !counterMovesForward(use.adoptWithCounter, use.newCounter)) {
        let outcome: Exclude<PasskeyUseOutcome, "saved"> | "revoked";
        try {
          outcome = await explainRefusedUse(record.userName, use);
        } catch (error) {
          throw new StoreUnavailableError("DynamoDB did not return the passkey's state.", { cause: error });
        }
        // A revoked key is refused as not on record, whatever its counter says.
        if (outcome === "revoked") return "key_not_on_record";
        // Not yet adopted: the passkey's own item, which the caller read, is what says it regressed.
        return outcome === "key_not_on_record" ? "counter_regression" : outcome;
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signInRecordKey(record.userName),
            UpdateExpression: `SET ${pending ? "#pending = :pending" : SET_RECORD}, #p = :passkey`,
            ConditionExpression: useCondition(use),
            ExpressionAttributeNames: {
              ...(pending ? { "#pending": PENDING_PASSKEY_SIGN_IN } : RECORD_NAMES),
              "#p": passkeyAttribute(use.credentialId),
              "#fingerprint": "fingerprint",
              "#counter": "counter",
            },
            ExpressionAttributeValues: {
              ...(pending ? { ":pending": { challenge: use.challenge, ...pendingValues(record) } } : recordValues(record)),
              ":passkey": { fingerprint: use.keyFingerprint, counter: use.newCounter, lastChallenge: use.challenge, usedAt: record.verifiedAt },
              ":fingerprint": use.keyFingerprint,
              ...(use.newCounter === 0 ? { ":zero": 0 } : { ":newCounter": use.newCounter }),
            },
          }),
        );
        return "saved";
      } catch (error) {
        if (!isCondition(error)) throw new StoreUnavailableError("DynamoDB did not record the passkey sign-in.", { cause: error });
      }
      let outcome: Exclude<PasskeyUseOutcome, "saved"> | "revoked";
      try {
        outcome = await explainRefusedUse(record.userName, use);
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the passkey's state after a refused use.", { cause: error });
      }
      // The tombstone of a revoked passkey: its key is on record no more.
      return outcome === "revoked" ? "key_not_on_record" : outcome;
    },

    async addPasskeyKey(userName, key) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signInRecordKey(userName),
            UpdateExpression: "SET #p = :passkey",
            // Credential ids are unique across users (the credential's own item says so), so an
            // attribute already here can only be this enrolment's own earlier, retried write. A
            // revoked passkey's tombstone has no fingerprint: its id is never vouched for again.
            ConditionExpression: "attribute_not_exists(#p) OR #p.#fingerprint = :fingerprint",
            ExpressionAttributeNames: { "#p": passkeyAttribute(key.credentialId), "#fingerprint": "fingerprint" },
            ExpressionAttributeValues: {
              ":passkey": { fingerprint: key.keyFingerprint, counter: key.counter },
              ":fingerprint": key.keyFingerprint,
            },
          }),
        );
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not record the new passkey's key.", { cause: error });
      }
    },

    async findPasskeyKey(userName, credentialId) {
      let stored: Record<string, unknown> | undefined;
      try {
        stored = await readPasskeyAttribute(userName, credentialId);
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the passkey's state.", { cause: error });
      }
      if (stored === undefined) return undefined;
      if (isTombstone(stored)) return { revoked: true };
      const fingerprint = stored["fingerprint"];
      // An attribute without a fingerprint vouches for no key: as good as none.
      return typeof fingerprint === "string" ? { revoked: false, fingerprint } : undefined;
    },

    async revokePasskeyKey(userName, credentialId, revokedAt, { ownedByUser }) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signInRecordKey(userName),
            UpdateExpression: "SET #p = :tombstone",
            // Never over a tombstone (the first revocation's time stays). Without ownedByUser only
            // a key this item vouched for is revoked: an id it never held is another's, or none.
            ConditionExpression: ownedByUser
              ? "attribute_not_exists(#p.#revokedAt)"
              : "attribute_exists(#p.#fingerprint) AND attribute_not_exists(#p.#revokedAt)",
            ExpressionAttributeNames: {
              "#p": passkeyAttribute(credentialId),
              "#revokedAt": "revokedAt",
              ...(ownedByUser ? {} : { "#fingerprint": "fingerprint" }),
            },
            ExpressionAttributeValues: { ":tombstone": { revokedAt } },
          }),
        );
        return "revoked";
      } catch (error) {
        if (!isCondition(error)) throw new StoreUnavailableError("DynamoDB did not revoke the passkey's key.", { cause: error });
      }
      let stored: Record<string, unknown> | undefined;
      try {
        stored = await readPasskeyAttribute(userName, credentialId);
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the passkey's state after a refused revocation.", { cause: error });
      }
      return isTombstone(stored) ? "already_revoked" : "not_found";
    },

    async passkeyStates(userName) {
      let item: Record<string, unknown> | undefined;
      try {
        // The whole item: its passkey attributes are named by credential id, which no projection
        // can match by prefix. It is small (the record and at most PASSKEY_MAX_PER_USER entries
        // plus tombstones). Strongly consistent, so a passkey revoked a moment ago is listed no more.
        ({ Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: signInRecordKey(userName), ConsistentRead: true })));
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the user's passkey states.", { cause: error });
      }
      return passkeyStatesOf(item);
    },

    async findRecent(userName, clientId, now) {
      let item: Record<string, unknown> | undefined;
      try {
        // Strongly consistent: the record was written moments ago by Verify, in another invocation.
        // Only the record's fields: the passkey attributes beside them are none of the tokens' business.
        ({ Item: item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: signInRecordKey(userName),
            ConsistentRead: true,
            ProjectionExpression: "#clientId, #methods, #level, #verifiedAt",
            ExpressionAttributeNames: { "#clientId": "clientId", "#methods": "methods", "#level": "level", "#verifiedAt": "verifiedAt" },
          }),
        ));
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the sign-in record.", { cause: error });
      }
      if (item === undefined) return undefined;
      const record = parseSignInItem(userName, item);
      if (record === undefined || record.clientId !== clientId) return undefined;
      // The item has no TTL, and a reader must never trust a writer's age anyway: the age is checked here.
      if (now - record.verifiedAt >= SIGN_IN_RECORD_LIFETIME_MS) return undefined;
      // Nor may it be dated ahead of this clock by more than clocks can disagree (NTP keeps Lambda's
      // within far less than a minute): a corrupt item, or a clock far off, would otherwise pass
      // for every sign-in until then, although no Verify of this one wrote it.
      if (record.verifiedAt - now > SIGN_IN_RECORD_CLOCK_SKEW_MS) return undefined;
      return record;
    },
  };
}
