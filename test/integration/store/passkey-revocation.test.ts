/**
 * Revoking a passkey (lib/passkey/revoke-passkey.ts) against the real stores on dynalite, with the
 * real assertion check and a software authenticator: the key is refused from the revocation's
 * first write on, wherever it stops, by both sign-in paths (the key cached in `custom:passkeys`,
 * and the credential's own item, adoption), and nothing is recorded for a refused assertion.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createSoftAuthenticator, type SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { DeliveryFailedError, StoreUnavailableError } from "../../../lib/errors.ts";
import type { NoticeRecipient } from "../../../lib/notify/notice-recipient.ts";
import type { PasskeyChange } from "../../../lib/notify/passkey-notice.ts";
import { passkeyAuthenticationOptions } from "../../../lib/passkey/authentication-options.ts";
import { PUBLIC_KEY_ATTRIBUTE, findCachedPublicKey, publicKeyFingerprint, withoutCachedPublicKey } from "../../../lib/passkey/public-key-cache.ts";
import { passkeyRegistrationOptions } from "../../../lib/passkey/registration-options.ts";
import { type RevokePasskeyDeps, revokePasskey } from "../../../lib/passkey/revoke-passkey.ts";
import { passkeyUserHandle } from "../../../lib/passkey/user-handle.ts";
import { verifyPasskeyAssertion } from "../../../lib/passkey/verify-passkey-assertion.ts";
import { type RegistrationDeps, verifyPasskeyRegistration } from "../../../lib/passkey/verify-passkey-registration.ts";
import { createDynamoPasskeyStore } from "../../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../../lib/store/sign-in-records.ts";
import { type LocalDynamo, startDynamo } from "../../support/dynamo.ts";
import { NOW, USER_POOL_ID, challenge, passkeyConfig, recordingLogger } from "../../unit/passkey/passkey-test-kit.ts";

const CLIENT = "client-1";

describe("revoking a passkey (real stores on dynalite)", () => {
  let dynamo: LocalDynamo;
  let credentials: ReturnType<typeof createDynamoPasskeyStore>;
  let signIns: ReturnType<typeof createDynamoSignInRecordStore>;
  /** Each user's attributes as Cognito would hold them. */
  const attributes = new Map<string, Record<string, string>>();
  const attributeWrites: { userName: string; value: string }[] = [];
  const sent: { recipient: NoticeRecipient; change: PasskeyChange }[] = [];
  let failNotices = false;
  let failAttributeWrites = false;
  let users = 0;

  before(async () => {
    dynamo = await startDynamo();
    credentials = createDynamoPasskeyStore({ client: dynamo.documentClient, tableName: dynamo.tableName });
    signIns = createDynamoSignInRecordStore({ client: dynamo.documentClient, tableName: dynamo.tableName });
  });
  after(() => dynamo.stop());

  const publicKeyAttribute = {
    async write(_userPoolId: string, userName: string, value: string) {
      if (failAttributeWrites) throw new Error("Cognito refused the write.");
      attributeWrites.push({ userName, value });
      attributes.set(userName, { ...attributes.get(userName), [PUBLIC_KEY_ATTRIBUTE]: value });
    },
  };
  const notices = {
    async notify(recipient: NoticeRecipient, change: PasskeyChange) {
      if (failNotices) throw new DeliveryFailedError("SES refused the message.");
      sent.push({ recipient, change });
    },
  };

  function revocationDeps(): { deps: RevokePasskeyDeps; logs: ReturnType<typeof recordingLogger>["lines"] } {
    const { logger, lines } = recordingLogger();
    return { deps: { credentials, signIns, publicKeyAttribute, notices, appName: "Example App", logger, clock: () => NOW + 60_000 }, logs: lines };
  }

  function newUser(): string {
    users += 1;
    const userName = `user-${users}-${process.pid}`;
    attributes.set(userName, { sub: `sub-${users}`, email: `${userName}@example.com`, email_verified: "true" });
    return userName;
  }

  const attributesOf = (userName: string): Record<string, string> => ({ ...attributes.get(userName) });

  /** Enrols a soft authenticator through the real registration path: credential item, fingerprint, cached key. */
  async function enrol(userName: string): Promise<SoftAuthenticator> {
    const authenticator = createSoftAuthenticator();
    const config = passkeyConfig();
    const userAttributes = attributesOf(userName);
    const userHandle = passkeyUserHandle(userAttributes, userName);
    const creation = await passkeyRegistrationOptions(config, {
      challenge: challenge(`enrol-${userName}-${authenticator.credentialId}`),
      userHandle,
      userName: `${userName}@example.com`,
      displayName: `${userName}@example.com`,
      existing: await credentials.listForUser(userName),
    });
    const { logger } = recordingLogger();
    const deps: RegistrationDeps = { config, credentials, signIns, publicKeyAttribute, notices, appName: "Example App", logger, clock: () => NOW };
    const enrolled = await verifyPasskeyRegistration(deps, {
      answer: JSON.stringify(authenticator.register(creation)),
      expectedChallenge: creation.challenge,
      userName,
      userPoolId: USER_POOL_ID,
      userAttributes,
      userHandle,
    });
    assert.ok(enrolled.ok, "the soft authenticator enrols");
    assert.ok(findCachedPublicKey(attributes.get(userName)?.[PUBLIC_KEY_ATTRIBUTE], authenticator.credentialId), "its key is cached");
    assert.ok(await credentials.get(authenticator.credentialId), "its credential item exists");
    return authenticator;
  }

  let rounds = 0;
  /** A passkey sign-in with these attributes in the event. */
  async function signIn(userName: string, authenticator: SoftAuthenticator, userAttributes: Record<string, string>) {
    rounds += 1;
    const config = passkeyConfig();
    const expectedChallenge = challenge(`sign-in-${rounds}`);
    const { logger } = recordingLogger();
    return verifyPasskeyAssertion(
      { config, credentials, signIns, logger, clock: () => NOW + 120_000 },
      {
        answer: JSON.stringify(authenticator.authenticate(passkeyAuthenticationOptions(config, expectedChallenge))),
        expectedChallenge,
        userName,
        clientId: CLIENT,
        userAttributes,
      },
    );
  }

  async function userItem(userName: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamo.documentClient.send(
      new GetCommand({ TableName: dynamo.tableName, Key: { pk: `SIGNIN#${userName}`, sk: "LATEST" }, ConsistentRead: true }),
    );
    return Item;
  }

  /** Refused by both paths, and the user's item left exactly as it was. */
  async function assertRefusedBothWays(userName: string, authenticator: SoftAuthenticator, cachedAttributes: Record<string, string>) {
    const before = await userItem(userName);
    const withoutKey = { ...cachedAttributes };
    const rewritten = withoutCachedPublicKey(cachedAttributes[PUBLIC_KEY_ATTRIBUTE], authenticator.credentialId);
    if (rewritten === undefined) delete withoutKey[PUBLIC_KEY_ATTRIBUTE];
    else withoutKey[PUBLIC_KEY_ATTRIBUTE] = rewritten;
    assert.ok(findCachedPublicKey(cachedAttributes[PUBLIC_KEY_ATTRIBUTE], authenticator.credentialId), "the first event still caches the key");

    const cached = await signIn(userName, authenticator, cachedAttributes);
    assert.equal(cached.ok, false, "refused with the key cached in the attribute");
    const adopted = await signIn(userName, authenticator, withoutKey);
    assert.equal(adopted.ok, false, "refused with the key read from the table (adoption)");

    const afterItem = await userItem(userName);
    assert.deepEqual(afterItem, before, "nothing recorded on the user's item");
    assert.equal(afterItem?.["verifiedAt"], undefined, "no sign-in record");
    assert.equal(afterItem?.["pendingPasskeySignIn"], undefined, "no pending sign-in");
    assert.deepEqual(afterItem?.[`passkey#${authenticator.credentialId}`], { revokedAt: NOW + 60_000 }, "the tombstone stays");
  }

  const steps = {
    async tombstone(userName: string, credentialId: string) {
      assert.equal(await signIns.revokePasskeyKey(userName, credentialId, NOW + 60_000, { ownedByUser: true }), "revoked");
    },
    async deleteItem(userName: string, credentialId: string) {
      assert.equal(await credentials.deleteForUser(userName, credentialId), "deleted");
    },
    async rewriteAttribute(userName: string, credentialId: string) {
      const value = withoutCachedPublicKey(attributes.get(userName)?.[PUBLIC_KEY_ATTRIBUTE], credentialId);
      assert.ok(value !== undefined);
      await publicKeyAttribute.write(USER_POOL_ID, userName, value);
    },
  };

  const interruptions: { name: string; run: (userName: string, credentialId: string) => Promise<void> }[] = [
    { name: "after the tombstone only", run: (u, c) => steps.tombstone(u, c) },
    {
      name: "after the tombstone and the credential item's deletion",
      run: async (u, c) => {
        await steps.tombstone(u, c);
        await steps.deleteItem(u, c);
      },
    },
    {
      name: "after the tombstone, the deletion and the attribute's rewrite",
      run: async (u, c) => {
        await steps.tombstone(u, c);
        await steps.deleteItem(u, c);
        await steps.rewriteAttribute(u, c);
      },
    },
  ];

  for (const interruption of interruptions) {
    test(`a revocation stopped ${interruption.name} already refuses the passkey both ways, and the user's other passkey still signs in`, async () => {
      const userName = newUser();
      const revoked = await enrol(userName);
      const other = await enrol(userName);
      const cachedAttributes = attributesOf(userName);

      await interruption.run(userName, revoked.credentialId);

      await assertRefusedBothWays(userName, revoked, cachedAttributes);
      assert.deepEqual(await signIn(userName, other, cachedAttributes), { ok: true, method: "hwk" }, "the other passkey, cached");
      const { [PUBLIC_KEY_ATTRIBUTE]: _cache, ...uncached } = cachedAttributes;
      assert.equal((await signIn(userName, other, uncached)).ok, true, "the other passkey, read from the table");
    });
  }

  test("a full revocation: revoked, its item gone, its key out of the attribute, the owner told once; twice is the same answer and changes nothing", async () => {
    const userName = newUser();
    const authenticator = await enrol(userName);
    const other = await enrol(userName);
    const cachedAttributes = attributesOf(userName);
    const noticesBefore = sent.length;
    const writesBefore = attributeWrites.length;

    const { deps } = revocationDeps();
    const input = { userPoolId: USER_POOL_ID, userName, credentialId: authenticator.credentialId, userAttributes: cachedAttributes };
    assert.equal(await revokePasskey(deps, input), "revoked");

    assert.equal(await credentials.get(authenticator.credentialId), undefined, "the credential item is deleted");
    assert.deepEqual(
      (await credentials.listForUser(userName)).map((passkey) => passkey.credentialId),
      [other.credentialId],
    );
    const cache = attributes.get(userName)?.[PUBLIC_KEY_ATTRIBUTE];
    assert.equal(findCachedPublicKey(cache, authenticator.credentialId), undefined, "the key is out of the attribute");
    assert.ok(findCachedPublicKey(cache, other.credentialId), "the other key stays cached");
    assert.equal(attributeWrites.length - writesBefore, 1, "one attribute write");
    assert.equal(sent.length - noticesBefore, 1, "one notice");
    const notice = sent.at(-1);
    assert.deepEqual(notice?.recipient, { channel: "email", to: `${userName}@example.com` });
    assert.equal(notice?.change.kind, "removed");
    assert.equal(notice?.change.at, NOW + 60_000);
    assert.ok(notice?.change.passkeyName, "the notice names the passkey");
    await assertRefusedBothWays(userName, authenticator, cachedAttributes);

    const itemBefore = await userItem(userName);
    assert.equal(await revokePasskey(deps, { ...input, userAttributes: attributesOf(userName) }), "revoked", "idempotent");
    assert.deepEqual(await userItem(userName), itemBefore, "the tombstone keeps the first revocation's time");
    assert.equal(sent.length - noticesBefore, 1, "the owner is not told twice");
    assert.equal(attributeWrites.length - writesBefore, 1, "no second attribute write");
    assert.equal((await signIn(userName, other, attributesOf(userName))).ok, true, "the other passkey still signs in");
  });

  test("revoking again after a stop half-way finishes the revocation and tells the owner", async () => {
    const userName = newUser();
    const authenticator = await enrol(userName);
    await steps.tombstone(userName, authenticator.credentialId);
    const noticesBefore = sent.length;

    const { deps } = revocationDeps();
    const input = { userPoolId: USER_POOL_ID, userName, credentialId: authenticator.credentialId, userAttributes: attributesOf(userName) };
    assert.equal(await revokePasskey(deps, input), "revoked");

    assert.equal(await credentials.get(authenticator.credentialId), undefined);
    assert.equal(findCachedPublicKey(attributes.get(userName)?.[PUBLIC_KEY_ATTRIBUTE], authenticator.credentialId), undefined);
    assert.equal(sent.length - noticesBefore, 1);
  });

  test("another user's passkey id, or an unknown one, is not_found and nothing changes", async () => {
    const owner = newUser();
    const authenticator = await enrol(owner);
    const stranger = newUser();
    await enrol(stranger);
    const ownerItem = await userItem(owner);
    const strangerItem = await userItem(stranger);
    const noticesBefore = sent.length;
    const writesBefore = attributeWrites.length;

    const { deps } = revocationDeps();
    for (const credentialId of [authenticator.credentialId, "bm8tc3VjaC1wYXNza2V5"]) {
      assert.equal(
        await revokePasskey(deps, { userPoolId: USER_POOL_ID, userName: stranger, credentialId, userAttributes: attributesOf(stranger) }),
        "not_found",
      );
    }

    assert.deepEqual(await userItem(owner), ownerItem);
    assert.deepEqual(await userItem(stranger), strangerItem);
    assert.ok(await credentials.get(authenticator.credentialId), "the owner's credential item stays");
    assert.equal(sent.length, noticesBefore, "no notice");
    assert.equal(attributeWrites.length, writesBefore, "no attribute write");
    assert.equal((await signIn(owner, authenticator, attributesOf(owner))).ok, true, "the owner's passkey still signs in");
  });

  test("a notice that cannot be sent, or an attribute that cannot be rewritten, does not fail the revocation", async () => {
    const userName = newUser();
    const authenticator = await enrol(userName);
    const cachedAttributes = attributesOf(userName);
    failNotices = true;
    failAttributeWrites = true;
    try {
      const { deps, logs } = revocationDeps();
      assert.equal(
        await revokePasskey(deps, { userPoolId: USER_POOL_ID, userName, credentialId: authenticator.credentialId, userAttributes: cachedAttributes }),
        "revoked",
      );
      assert.ok(logs.some((line) => line.level === "error" && /notice not sent/.test(line.message)));
      assert.ok(logs.some((line) => line.level === "warn" && /left in the user's attribute/.test(line.message)));
    } finally {
      failNotices = false;
      failAttributeWrites = false;
    }
    assert.equal(await credentials.get(authenticator.credentialId), undefined);
    await assertRefusedBothWays(userName, authenticator, cachedAttributes);
  });

  test("a passkey whose fingerprint enrolment never wrote (a sign-in would adopt it) is revoked too", async () => {
    const userName = newUser();
    const authenticator = await enrol(userName);
    const cachedAttributes = attributesOf(userName);
    await dynamo.documentClient.send(
      new UpdateCommand({
        TableName: dynamo.tableName,
        Key: { pk: `SIGNIN#${userName}`, sk: "LATEST" },
        UpdateExpression: "REMOVE #p",
        ExpressionAttributeNames: { "#p": `passkey#${authenticator.credentialId}` },
      }),
    );

    const { deps } = revocationDeps();
    assert.equal(
      await revokePasskey(deps, { userPoolId: USER_POOL_ID, userName, credentialId: authenticator.credentialId, userAttributes: cachedAttributes }),
      "revoked",
    );
    await assertRefusedBothWays(userName, authenticator, cachedAttributes);
  });

  test("a revoked id is never vouched for again by an enrolment", async () => {
    const userName = newUser();
    const authenticator = await enrol(userName);
    await steps.tombstone(userName, authenticator.credentialId);

    await assert.rejects(
      signIns.addPasskeyKey(userName, {
        credentialId: authenticator.credentialId,
        keyFingerprint: publicKeyFingerprint(authenticator.publicKeyCose),
        counter: 0,
      }),
      StoreUnavailableError,
    );
    assert.deepEqual((await userItem(userName))?.[`passkey#${authenticator.credentialId}`], { revokedAt: NOW + 60_000 });
  });
});
