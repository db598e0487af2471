import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type PasskeyCredentialStore, type StoredPasskey, createDynamoPasskeyStore } from "../../../lib/store/passkey-credentials.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";
import { PASSKEY_CREATED_AT, storedPasskey } from "../../support/stored-passkey.ts";

const CREATED_AT = PASSKEY_CREATED_AT;

function passkey(credentialId: string, overrides: Partial<StoredPasskey> = {}): StoredPasskey {
  return storedPasskey({ credentialId, ...overrides });
}

describe("passkeys kept in DynamoDB (dynalite)", () => {
  let dynamo: LocalDynamo;
  let store: PasskeyCredentialStore;

  before(async () => {
    dynamo = await startDynamo();
    store = createDynamoPasskeyStore({ client: dynamo.documentClient, tableName: dynamo.tableName });
  });
  after(() => dynamo.stop());

  test("a stored passkey is read back as it was stored", async () => {
    const stored = passkey("round-trip", { transports: [] });
    assert.equal(await store.create(stored), "created");

    assert.deepEqual(await store.get("round-trip"), stored);
  });

  test("the same credential id stored twice, even for another user, exists", async () => {
    assert.equal(await store.create(passkey("twice")), "created");

    assert.equal(await store.create(passkey("twice", { userName: "user-2" })), "exists");
    assert.equal((await store.get("twice"))?.userName, "user-1", "the first owner keeps it");
  });

  test("a user's passkeys are listed through gsi1, oldest first, and no one else's", async () => {
    await store.create(passkey("list-b", { userName: "lister", createdAt: CREATED_AT + 2000 }));
    await store.create(passkey("list-a", { userName: "lister", createdAt: CREATED_AT + 1000 }));
    await store.create(passkey("list-other", { userName: "someone-else" }));

    const listed = await store.listForUser("lister");

    assert.deepEqual(
      listed.map((item) => item.credentialId),
      ["list-a", "list-b"],
    );
    assert.deepEqual(await store.listForUser("nobody"), []);
  });
});
