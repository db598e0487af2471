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

  test("a use moves the counter and sets the last-used time", async () => {
    await store.create(passkey("used", { counter: 3 }));

    const outcome = await store.recordUse({ credentialId: "used", previousCounter: 3, newCounter: 4, usedAt: CREATED_AT + 60_000, challenge: "c1" });

    assert.equal(outcome, "updated");
    const read = await store.get("used");
    assert.equal(read?.counter, 4);
    assert.equal(read?.lastUsedAt, CREATED_AT + 60_000);
  });

  test("the same use recorded again is a replay, and changes nothing", async () => {
    await store.create(passkey("replayed", { counter: 3 }));
    const use = { credentialId: "replayed", previousCounter: 3, newCounter: 4, usedAt: CREATED_AT + 60_000, challenge: "c1" };
    assert.equal(await store.recordUse(use), "updated");

    assert.equal(await store.recordUse({ ...use, usedAt: CREATED_AT + 61_000 }), "replayed");
    assert.equal(await store.recordUse({ ...use, previousCounter: 4, usedAt: CREATED_AT + 62_000 }), "replayed", "a replay read after the first write");
    assert.equal((await store.get("replayed"))?.lastUsedAt, CREATED_AT + 60_000);
  });

  test("a use verified against a counter that has since moved is a conflict", async () => {
    await store.create(passkey("raced", { counter: 3 }));
    assert.equal(await store.recordUse({ credentialId: "raced", previousCounter: 3, newCounter: 4, usedAt: CREATED_AT + 1, challenge: "first" }), "updated");

    const outcome = await store.recordUse({ credentialId: "raced", previousCounter: 3, newCounter: 5, usedAt: CREATED_AT + 2, challenge: "second" });

    assert.equal(outcome, "conflict");
    assert.equal((await store.get("raced"))?.counter, 4);
  });

  test("a counter that does not move forward is never written", async () => {
    await store.create(passkey("stuck", { counter: 7 }));

    assert.equal(await store.recordUse({ credentialId: "stuck", previousCounter: 7, newCounter: 7, usedAt: CREATED_AT + 1, challenge: "x" }), "conflict");
    assert.equal((await store.get("stuck"))?.lastUsedAt, undefined);
  });

  test("an authenticator that never counts is recorded at 0 each time", async () => {
    await store.create(passkey("synced"));

    assert.equal(await store.recordUse({ credentialId: "synced", previousCounter: 0, newCounter: 0, usedAt: CREATED_AT + 1, challenge: "a" }), "updated");
    assert.equal(await store.recordUse({ credentialId: "synced", previousCounter: 0, newCounter: 0, usedAt: CREATED_AT + 2, challenge: "b" }), "updated");
    assert.equal((await store.get("synced"))?.lastUsedAt, CREATED_AT + 2);
  });

  test("a use of a credential that no longer exists is a conflict and creates nothing", async () => {
    assert.equal(await store.recordUse({ credentialId: "gone", previousCounter: 0, newCounter: 1, usedAt: CREATED_AT, challenge: "x" }), "conflict");
    assert.equal(await store.get("gone"), undefined);
  });
});
