import { beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import { AUTH_LEVEL } from "@cognito-passwordless/protocol";
import {
  type PasskeyUse,
  SIGN_IN_RECORD_LIFETIME_MS,
  type SignInRecord,
  counterMovesForward,
  createDynamoSignInRecordStore,
} from "../../../lib/store/sign-in-records.ts";

const TABLE = "passwordless-table";
const VERIFIED_AT = Date.UTC(2025, 0, 1, 10, 0, 0);
const FINGERPRINT = "fingerprint-of-the-enrolled-key";
const CHALLENGE = "Y2hhbGxlbmdl";

function signInRecord(overrides: Partial<SignInRecord> = {}): SignInRecord {
  return { userName: "user-1", clientId: "client-a", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: VERIFIED_AT, ...overrides };
}

function passkeySignIn(overrides: Partial<SignInRecord> = {}): SignInRecord {
  return signInRecord({ methods: ["swk"], level: AUTH_LEVEL.passkey, ...overrides });
}

function passkeyUse(overrides: Partial<PasskeyUse> = {}): PasskeyUse {
  return { credentialId: "cred-1", keyFingerprint: FINGERPRINT, newCounter: 5, challenge: CHALLENGE, ...overrides };
}

function storedItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { pk: "SIGNIN#user-1", sk: "LATEST", clientId: "client-a", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: VERIFIED_AT, ...overrides };
}

/** The user's item as the GetItem after a refused use sees it: only the passkey's attribute. */
function storedPasskeyState(state: Record<string, unknown>): Record<string, unknown> {
  return { "passkey#cred-1": state };
}

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
}

describe("DynamoDB sign-in record store", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = () => createDynamoSignInRecordStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: TABLE });

  beforeEach(() => dynamo.reset());

  test("a verified code is saved by one UpdateItem that sets the record's fields, no ttl, and leaves the passkeys alone", async () => {
    dynamo.on(UpdateCommand).resolves({});

    await store().save(signInRecord({ methods: ["sms"] }));

    assert.equal(dynamo.commandCalls(PutCommand).length, 0, "a PutItem would replace the item, passkey counters and all");
    assert.deepEqual(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "SIGNIN#user-1", sk: "LATEST" },
      UpdateExpression: "SET #clientId = :clientId, #methods = :methods, #level = :level, #verifiedAt = :verifiedAt",
      ExpressionAttributeNames: { "#clientId": "clientId", "#methods": "methods", "#level": "level", "#verifiedAt": "verifiedAt" },
      ExpressionAttributeValues: { ":clientId": "client-a", ":methods": ["sms"], ":level": AUTH_LEVEL.code, ":verifiedAt": VERIFIED_AT },
    });
  });

  test("a recent record for the same client is found with a strongly consistent read of the record's fields only", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    const found = await store().findRecent("user-1", "client-a", VERIFIED_AT + 60_000);

    assert.deepEqual(found, signInRecord());
    assert.deepEqual(dynamo.commandCalls(GetCommand)[0]?.args[0].input, {
      TableName: TABLE,
      Key: { pk: "SIGNIN#user-1", sk: "LATEST" },
      ConsistentRead: true,
      ProjectionExpression: "#clientId, #methods, #level, #verifiedAt",
      ExpressionAttributeNames: { "#clientId": "clientId", "#methods": "methods", "#level": "level", "#verifiedAt": "verifiedAt" },
    });
  });

  test("a record made through another app client never becomes claims", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().findRecent("user-1", "client-b", VERIFIED_AT + 60_000), undefined);
  });

  test("a record as old as its lifetime is ignored: the item has no TTL, so age is judged on reading", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT + SIGN_IN_RECORD_LIFETIME_MS), undefined);
    assert.ok(await store().findRecent("user-1", "client-a", VERIFIED_AT + SIGN_IN_RECORD_LIFETIME_MS - 1));
  });

  test("a record dated more than a minute ahead of the reader's clock is ignored (a corrupt item or a clock far off)", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem() });

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT - 60_001), undefined);
    assert.ok(await store().findRecent("user-1", "client-a", VERIFIED_AT - 60_000), "clocks a minute apart still agree");
  });

  test("no record means nothing to claim", async () => {
    dynamo.on(GetCommand).resolves({});

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT), undefined);
  });

  test("an item that holds only enrolled passkeys (no sign-in yet) means nothing to claim", async () => {
    // The projection leaves none of the record's fields: DynamoDB answers with an empty item.
    dynamo.on(GetCommand).resolves({ Item: {} });

    assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT), undefined);
  });

  for (const [what, item] of [
    ["an unknown method", storedItem({ methods: ["password"] })],
    ["no methods", storedItem({ methods: [] })],
    ["an unknown level", storedItem({ level: "urn:cognito:loa:9" })],
    ["a verifiedAt that is not a number", storedItem({ verifiedAt: "yesterday" })],
    ["no clientId", storedItem({ clientId: undefined })],
  ] as const) {
    test(`a stored record with ${what} is not trusted`, async () => {
      dynamo.on(GetCommand).resolves({ Item: item });

      assert.equal(await store().findRecent("user-1", "client-a", VERIFIED_AT + 1000), undefined);
    });
  }

  test("a failed save becomes StoreUnavailableError with the cause", async () => {
    const cause = new Error("socket hang up");
    dynamo.on(UpdateCommand).rejects(cause);

    await assert.rejects(store().save(signInRecord()), (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause);
  });

  test("a failed read becomes StoreUnavailableError with the cause", async () => {
    const cause = new Error("socket hang up");
    dynamo.on(GetCommand).rejects(cause);

    await assert.rejects(
      store().findRecent("user-1", "client-a", VERIFIED_AT),
      (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause,
    );
  });

  describe("a passkey sign-in", () => {
    test("is one conditional UpdateItem and no read: the record and the passkey's new state, if the key is the enrolled one and its counter grows", async () => {
      dynamo.on(UpdateCommand).resolves({});

      const outcome = await store().savePasskeySignIn(passkeySignIn(), passkeyUse());

      assert.equal(outcome, "saved");
      assert.equal(dynamo.calls().length, 1);
      assert.equal(dynamo.commandCalls(GetCommand).length, 0);
      assert.deepEqual(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input, {
        TableName: TABLE,
        Key: { pk: "SIGNIN#user-1", sk: "LATEST" },
        UpdateExpression: "SET #clientId = :clientId, #methods = :methods, #level = :level, #verifiedAt = :verifiedAt, #p = :passkey",
        ConditionExpression: "(#p.#fingerprint = :fingerprint AND #p.#counter < :newCounter)",
        ExpressionAttributeNames: {
          "#clientId": "clientId",
          "#methods": "methods",
          "#level": "level",
          "#verifiedAt": "verifiedAt",
          "#p": "passkey#cred-1",
          "#fingerprint": "fingerprint",
          "#counter": "counter",
        },
        ExpressionAttributeValues: {
          ":clientId": "client-a",
          ":methods": ["swk"],
          ":level": AUTH_LEVEL.passkey,
          ":verifiedAt": VERIFIED_AT,
          ":passkey": { fingerprint: FINGERPRINT, counter: 5, lastChallenge: CHALLENGE, usedAt: VERIFIED_AT },
          ":fingerprint": FINGERPRINT,
          ":newCounter": 5,
        },
      });
    });

    test("with an authenticator that never counts, the condition is that the stored counter is still 0", async () => {
      dynamo.on(UpdateCommand).resolves({});

      assert.equal(await store().savePasskeySignIn(passkeySignIn(), passkeyUse({ newCounter: 0 })), "saved");

      const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
      assert.equal(input?.ConditionExpression, "(#p.#fingerprint = :fingerprint AND #p.#counter = :zero)");
      assert.equal(input?.ExpressionAttributeValues?.[":zero"], 0);
      assert.equal(input?.ExpressionAttributeValues?.[":newCounter"], undefined);
    });

    test("with a key read from the passkey's own item, a missing attribute is also accepted (the passkey is adopted)", async () => {
      dynamo.on(UpdateCommand).resolves({});

      assert.equal(await store().savePasskeySignIn(passkeySignIn(), passkeyUse({ adoptWithCounter: 4 })), "saved");

      assert.equal(
        dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression,
        "(attribute_not_exists(#p) OR (#p.#fingerprint = :fingerprint AND #p.#counter < :newCounter))",
      );
      assert.equal(dynamo.commandCalls(GetCommand).length, 0);
    });

    for (const [what, state, expected] of [
      [
        "the same challenge: Cognito invoked Verify again with the recorded assertion",
        { fingerprint: FINGERPRINT, counter: 5, lastChallenge: CHALLENGE },
        "replayed",
      ],
      ["another challenge: the counter did not move forward", { fingerprint: FINGERPRINT, counter: 9, lastChallenge: "another" }, "counter_regression"],
      ["another key's fingerprint", { fingerprint: "fingerprint-of-another-key", counter: 0 }, "key_not_on_record"],
    ] as const) {
      test(`a refused write is explained by one consistent read of the passkey's attribute: ${what}`, async () => {
        dynamo.on(UpdateCommand).rejects(conditionFailed());
        dynamo.on(GetCommand).resolves({ Item: storedPasskeyState(state) });

        const outcome = await store().savePasskeySignIn(passkeySignIn(), passkeyUse());

        assert.equal(outcome, expected);
        assert.equal(dynamo.commandCalls(GetCommand).length, 1);
        assert.deepEqual(dynamo.commandCalls(GetCommand)[0]?.args[0].input, {
          TableName: TABLE,
          Key: { pk: "SIGNIN#user-1", sk: "LATEST" },
          ProjectionExpression: "#p",
          ExpressionAttributeNames: { "#p": "passkey#cred-1" },
          ConsistentRead: true,
        });
      });
    }

    test("a refused write for a passkey the item does not hold is a key not on record", async () => {
      dynamo.on(UpdateCommand).rejects(conditionFailed());
      dynamo.on(GetCommand).resolves({});

      assert.equal(await store().savePasskeySignIn(passkeySignIn(), passkeyUse()), "key_not_on_record");
    });

    test("an adopted passkey whose counter is behind its own item's is a regression, found without writing", async () => {
      dynamo.on(GetCommand).resolves({});

      const outcome = await store().savePasskeySignIn(passkeySignIn(), passkeyUse({ adoptWithCounter: 5, newCounter: 3 }));

      assert.equal(outcome, "counter_regression");
      assert.equal(dynamo.commandCalls(UpdateCommand).length, 0);
      assert.equal(dynamo.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead, true);
    });

    test("an adopted passkey's assertion already recorded is still a replay when its counter is behind its own item's", async () => {
      dynamo.on(GetCommand).resolves({ Item: storedPasskeyState({ fingerprint: FINGERPRINT, counter: 6, lastChallenge: CHALLENGE }) });

      assert.equal(await store().savePasskeySignIn(passkeySignIn(), passkeyUse({ adoptWithCounter: 6, newCounter: 6 })), "replayed");
      assert.equal(dynamo.commandCalls(UpdateCommand).length, 0);
    });

    test("a DynamoDB failure of the write becomes StoreUnavailableError with the cause, and nothing is read", async () => {
      const cause = new Error("socket hang up");
      dynamo.on(UpdateCommand).rejects(cause);

      await assert.rejects(
        store().savePasskeySignIn(passkeySignIn(), passkeyUse()),
        (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause,
      );
      assert.equal(dynamo.commandCalls(GetCommand).length, 0);
    });

    test("a DynamoDB failure of the read that explains a refused write becomes StoreUnavailableError with the cause", async () => {
      const cause = new Error("socket hang up");
      dynamo.on(UpdateCommand).rejects(conditionFailed());
      dynamo.on(GetCommand).rejects(cause);

      await assert.rejects(
        store().savePasskeySignIn(passkeySignIn(), passkeyUse()),
        (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause,
      );
    });

    test("a DynamoDB failure of the read that checks an adopted passkey becomes StoreUnavailableError with the cause", async () => {
      const cause = new Error("socket hang up");
      dynamo.on(GetCommand).rejects(cause);

      await assert.rejects(
        store().savePasskeySignIn(passkeySignIn(), passkeyUse({ adoptWithCounter: 5, newCounter: 3 })),
        (error: unknown) => error instanceof StoreUnavailableError && error.cause === cause,
      );
    });
  });

  describe("an enrolled passkey's key", () => {
    test("is set on the user's item unless another key is there already, with no ttl", async () => {
      dynamo.on(UpdateCommand).resolves({});

      await store().addPasskeyKey("user-1", { credentialId: "cred-1", keyFingerprint: FINGERPRINT, counter: 0 });

      assert.deepEqual(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input, {
        TableName: TABLE,
        Key: { pk: "SIGNIN#user-1", sk: "LATEST" },
        UpdateExpression: "SET #p = :passkey",
        ConditionExpression: "attribute_not_exists(#p) OR #p.#fingerprint = :fingerprint",
        ExpressionAttributeNames: { "#p": "passkey#cred-1", "#fingerprint": "fingerprint" },
        ExpressionAttributeValues: { ":passkey": { fingerprint: FINGERPRINT, counter: 0 }, ":fingerprint": FINGERPRINT },
      });
    });

    test("refused because another key is on record becomes StoreUnavailableError: enrolment made sure the credential id is new", async () => {
      const refusal = conditionFailed();
      dynamo.on(UpdateCommand).rejects(refusal);

      await assert.rejects(
        store().addPasskeyKey("user-1", { credentialId: "cred-1", keyFingerprint: FINGERPRINT, counter: 0 }),
        (error: unknown) => error instanceof StoreUnavailableError && error.cause === refusal,
      );
    });
  });

  describe("whether a signature counter moves forward", () => {
    for (const [previous, next, expected] of [
      [0, 1, true],
      [4, 5, true],
      [0, 0, true],
      [5, 5, false],
      [5, 3, false],
      [1, 0, false],
    ] as const) {
      test(`from ${previous} to ${next}: ${expected ? "yes" : "no"}`, () => {
        assert.equal(counterMovesForward(previous, next), expected);
      });
    }
  });
});

describe("the user's passkey states, for the passkey API's list", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = () => createDynamoSignInRecordStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: TABLE });
  beforeEach(() => dynamo.reset());

  test("every passkey attribute of the user's item, read strongly consistent: last use, and whether it is a tombstone", async () => {
    dynamo.on(GetCommand).resolves({
      Item: storedItem({
        "passkey#cred-1": { fingerprint: FINGERPRINT, counter: 4, lastChallenge: CHALLENGE, usedAt: VERIFIED_AT },
        "passkey#cred-2": { fingerprint: FINGERPRINT, counter: 0 },
        "passkey#cred-3": { revokedAt: VERIFIED_AT },
        "passkey#odd": "not a map",
        pendingPasskeySignIn: { challenge: CHALLENGE },
      }),
    });

    const states = await store().passkeyStates("user-1");

    assert.deepEqual([...states.entries()].sort(), [
      ["cred-1", { revoked: false, usedAt: VERIFIED_AT }],
      ["cred-2", { revoked: false }],
      ["cred-3", { revoked: true }],
    ]);
    assert.deepEqual(dynamo.commandCalls(GetCommand)[0]?.args[0].input, { TableName: TABLE, Key: { pk: "SIGNIN#user-1", sk: "LATEST" }, ConsistentRead: true });
  });

  test("a user without an item has no passkey states", async () => {
    dynamo.on(GetCommand).resolves({});
    assert.equal((await store().passkeyStates("user-1")).size, 0);
  });

  test("a DynamoDB failure becomes StoreUnavailableError", async () => {
    dynamo.on(GetCommand).rejects(new Error("socket hang up"));
    await assert.rejects(store().passkeyStates("user-1"), StoreUnavailableError);
  });
});
