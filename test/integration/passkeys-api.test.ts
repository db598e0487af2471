/**
 * The passkey API through its handler factory, against the real stores on dynalite and the soft
 * authenticator: each route's success and its refusals, with what the table, the user's
 * attributes and the owner's notices hold afterwards, and whether the passkey still signs in.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { passkeyAuthenticationOptions } from "../../lib/passkey/authentication-options.ts";
import { KNOWN_AUTHENTICATORS } from "../../lib/passkey/known-authenticators.ts";
import { PUBLIC_KEY_ATTRIBUTE, findCachedPublicKey, publicKeyFingerprint } from "../../lib/passkey/public-key-cache.ts";
import { verifyPasskeyAssertion } from "../../lib/passkey/verify-passkey-assertion.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";
import { accessTokenClaims, idTokenClaims } from "../support/passkey-api-events.ts";
import { type ApiUser, type PasskeyApiWorld, startPasskeyApiWorld } from "../support/passkey-api-world.ts";
import { passkeyConfig, recordingLogger } from "../unit/passkey/passkey-test-kit.ts";

const ICLOUD = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const MINUTE = 60_000;

describe("the passkey API (handler factory, real stores on dynalite)", () => {
  let world: PasskeyApiWorld;
  let credentials: ReturnType<typeof createDynamoPasskeyStore>;
  let signIns: ReturnType<typeof createDynamoSignInRecordStore>;

  before(async () => {
    world = await startPasskeyApiWorld({ maxPerUser: 3 });
    const tables = { client: world.dynamo.documentClient, tableName: world.dynamo.tableName };
    credentials = createDynamoPasskeyStore(tables);
    signIns = createDynamoSignInRecordStore(tables);
  });
  after(() => world.stop());

  let signInRounds = 0;
  /** A passkey sign-in as Verify runs it, with the user's attributes as Cognito holds them now (or these). */
  async function signIn(user: ApiUser, authenticator: SoftAuthenticator, userAttributes = world.attributes.get(user.userName) ?? {}) {
    signInRounds += 1;
    const config = passkeyConfig();
    const expectedChallenge = Buffer.from(`sign-in-challenge-${signInRounds}`.padEnd(32, ".")).toString("base64url");
    return verifyPasskeyAssertion(
      { config, credentials, signIns, logger: recordingLogger().logger, clock: () => world.now },
      {
        answer: JSON.stringify(authenticator.authenticate(passkeyAuthenticationOptions(config, expectedChallenge))),
        expectedChallenge,
        userName: user.userName,
        clientId: world.config.userPoolClientId,
        userAttributes,
      },
    );
  }

  async function listOf(user: ApiUser): Promise<PasskeySummary[]> {
    const response = await world.call("list", user);
    assert.equal(response.statusCode, 200);
    return (response.body as { passkeys: PasskeySummary[] }).passkeys;
  }

  async function credentialItem(credentialId: string) {
    const { Item } = await world.dynamo.documentClient.send(
      new GetCommand({ TableName: world.dynamo.tableName, Key: { pk: `PASSKEY#${credentialId}`, sk: "PASSKEY" }, ConsistentRead: true }),
    );
    return Item;
  }

  async function userItem(user: ApiUser) {
    const { Item } = await world.dynamo.documentClient.send(
      new GetCommand({ TableName: world.dynamo.tableName, Key: { pk: `SIGNIN#${user.userName}`, sk: "LATEST" }, ConsistentRead: true }),
    );
    return Item;
  }

  /** The refusal's status and error, and the table, attributes and notices exactly as before it. */
  async function assertRefusedUnchanged(run: () => Promise<{ statusCode: number; body: Record<string, unknown> | undefined }>, status: number, error: string) {
    const table = await world.table();
    const writes = world.attributeWrites.length;
    const notices = world.notices.length;
    const response = await run();
    assert.deepEqual([response.statusCode, response.body?.["error"]], [status, error], JSON.stringify(response.body));
    assert.equal(typeof response.body?.["message"], "string");
    assert.deepEqual(await world.table(), table, "the table is unchanged");
    assert.equal(world.attributeWrites.length, writes, "no attribute written");
    assert.equal(world.notices.length, notices, "nobody told");
  }

  describe("GET /passkeys", () => {
    test("a user sees their own passkeys only, newest first, with name, dates, transports, sync state and the authenticator's name", async () => {
      const jane = world.newUser();
      const other = world.newUser();
      const synced = world.authenticator({ aaguid: ICLOUD, synced: true });
      const key = world.authenticator({ transports: ["usb"] });
      await world.addPasskey(jane, synced);
      world.now += MINUTE;
      await world.addPasskey(jane, key, "Desk key");
      await world.addPasskey(other, world.authenticator());

      const listed = await listOf(jane);
      assert.deepEqual(listed, [
        { id: key.credentialId, name: "Desk key", createdAt: new Date(world.now).toISOString(), backedUp: false, transports: ["usb"] },
        {
          id: synced.credentialId,
          name: KNOWN_AUTHENTICATORS[ICLOUD],
          createdAt: new Date(world.now - MINUTE).toISOString(),
          backedUp: true,
          transports: ["internal", "hybrid"],
          authenticator: "iCloud Keychain",
        },
      ]);
      assert.deepEqual((await world.call("list", world.newUser())).body, { passkeys: [] }, "a user without passkeys gets an empty list");
    });

    test("last use is the latest sign-in the user's item recorded", async () => {
      const jane = world.newUser();
      const authenticator = world.authenticator();
      await world.addPasskey(jane, authenticator);
      assert.equal((await listOf(jane))[0]?.lastUsedAt, undefined, "never used yet");
      world.now += 5 * MINUTE;
      assert.equal((await signIn(jane, authenticator)).ok, true);
      assert.equal((await listOf(jane))[0]?.lastUsedAt, new Date(world.now).toISOString());
    });

    test("a revoked passkey is never listed, even while a stopped revocation left its credential item", async () => {
      const jane = world.newUser();
      const revoked = world.authenticator();
      const kept = world.authenticator();
      await world.addPasskey(jane, revoked);
      await world.addPasskey(jane, kept);
      // The revocation's first write only (lib/passkey/revoke-passkey.ts, step 1).
      assert.equal(await signIns.revokePasskeyKey(jane.userName, revoked.credentialId, world.now, { ownedByUser: true }), "revoked");
      assert.ok(await credentialItem(revoked.credentialId), "the credential item is still there");
      assert.deepEqual(
        (await listOf(jane)).map((passkey) => passkey.id),
        [kept.credentialId],
      );
    });
  });

  describe("PATCH /passkeys/{id}", () => {
    test("renames the caller's own passkey in one write, trimmed, and answers its summary", async () => {
      const jane = world.newUser();
      const authenticator = world.authenticator();
      await world.addPasskey(jane, authenticator);
      const before = await credentialItem(authenticator.credentialId);

      const response = await world.call("rename", jane, { id: authenticator.credentialId, body: { name: "  Work laptop  " } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers?.["content-type"], "application/json");
      const passkey = (response.body as { passkey: PasskeySummary }).passkey;
      assert.equal(passkey.id, authenticator.credentialId);
      assert.equal(passkey.name, "Work laptop");
      assert.deepEqual(await credentialItem(authenticator.credentialId), { ...before, friendlyName: "Work laptop" }, "only the name changed");
      assert.equal((await listOf(jane))[0]?.name, "Work laptop");
      assert.equal((await signIn(jane, authenticator)).ok, true, "it still signs in");
    });

    test("another user's passkey, an unknown id and a malformed id are all 404, and nothing changes", async () => {
      const owner = world.newUser();
      const stranger = world.newUser();
      const authenticator = world.authenticator();
      await world.addPasskey(owner, authenticator);
      await world.addPasskey(stranger, world.authenticator());
      for (const id of [authenticator.credentialId, "bm8tc3VjaC1wYXNza2V5", "not base64url!", "A".repeat(1365)]) {
        await assertRefusedUnchanged(() => world.call("rename", stranger, { id, body: { name: "Mine now" } }), 404, "not_found");
      }
      assert.equal((await listOf(owner))[0]?.name, "Safari on macOS", "the owner's name stays");
    });

    test("a name that is empty, too long, not a string or holds control or format characters is refused, nothing changed", async () => {
      const jane = world.newUser();
      const authenticator = world.authenticator();
      await world.addPasskey(jane, authenticator);
      for (const name of ["", "   ", "x".repeat(65), 42, null, "line\nbreak", "right\u202Eto-left", "zero\u200Bwidth", "lone \uD800 surrogate"]) {
        await assertRefusedUnchanged(() => world.call("rename", jane, { id: authenticator.credentialId, body: { name } }), 400, "invalid_request");
      }
      await assertRefusedUnchanged(() => world.call("rename", jane, { id: authenticator.credentialId, body: "{not json" }), 400, "invalid_request");
      const longest = "é".repeat(64);
      assert.equal((await world.call("rename", jane, { id: authenticator.credentialId, body: { name: longest } })).statusCode, 200, "64 characters is fine");
    });
  });

  describe("DELETE /passkeys/{id}", () => {
    test("revokes the passkey at once: 204, the next assertion refused both ways, its item and cached key gone, the owner told", async () => {
      const jane = world.newUser();
      const removed = world.authenticator();
      const kept = world.authenticator();
      await world.addPasskey(jane, removed);
      await world.addPasskey(jane, kept);
      const cachedAttributes = { ...world.attributes.get(jane.userName) };
      const noticesBefore = world.notices.length;

      const response = await world.call("remove", jane, { id: removed.credentialId });
      assert.deepEqual(response, { statusCode: 204, headers: undefined, body: undefined });

      assert.equal(await credentialItem(removed.credentialId), undefined, "its credential item is deleted");
      assert.deepEqual((await userItem(jane))?.[`passkey#${removed.credentialId}`], { revokedAt: world.now }, "its tombstone");
      const cache = world.attributes.get(jane.userName)?.[PUBLIC_KEY_ATTRIBUTE];
      assert.equal(findCachedPublicKey(cache, removed.credentialId), undefined, "its key is out of custom:passkeys");
      assert.ok(findCachedPublicKey(cache, kept.credentialId), "the other key stays cached");
      assert.equal((await signIn(jane, removed, cachedAttributes)).ok, false, "refused with the key an older event still caches");
      assert.equal((await signIn(jane, removed)).ok, false, "refused with the key read from the table");
      assert.equal((await signIn(jane, kept)).ok, true, "the other passkey still signs in");
      assert.deepEqual(
        (await listOf(jane)).map((passkey) => passkey.id),
        [kept.credentialId],
      );
      assert.deepEqual(
        world.notices.slice(noticesBefore).map(({ recipient, change }) => [recipient.to, change.kind]),
        [[jane.email, "removed"]],
      );

      const table = await world.table();
      assert.equal((await world.call("remove", jane, { id: removed.credentialId })).statusCode, 204, "removing it again is the same answer");
      assert.deepEqual(await world.table(), table, "and changes nothing");
      assert.equal(world.notices.length - noticesBefore, 1, "nor tells anyone again");
    });

    test("another user's passkey, an unknown id and a malformed id are all 404, and nothing changes", async () => {
      const owner = world.newUser();
      const stranger = world.newUser();
      const authenticator = world.authenticator();
      await world.addPasskey(owner, authenticator);
      for (const id of [authenticator.credentialId, "bm8tc3VjaC1wYXNza2V5", "..%2F..", "x".repeat(2000)]) {
        await assertRefusedUnchanged(() => world.call("remove", stranger, { id }), 404, "not_found");
      }
      assert.equal((await signIn(owner, authenticator)).ok, true, "the owner's passkey still signs in");
    });
  });

  describe("POST /passkeys/registration-options and POST /passkeys", () => {
    test("options exclude the user's passkeys, name the account by its email and carry the same user handle as enrolment", async () => {
      const jane = world.newUser();
      const first = world.authenticator();
      await world.addPasskey(jane, first);
      const { challengeId, options } = await world.registrationOptions(jane);
      assert.match(challengeId, /^[A-Za-z0-9_-]{22}$/);
      assert.deepEqual(
        options.excludeCredentials?.map((credential) => credential.id),
        [first.credentialId],
      );
      assert.equal(options.user.name, jane.email);
      assert.equal(options.user.id, Buffer.from(jane.userName).toString("base64url"), "the sub, as lib/passkey/user-handle.ts makes it");
      assert.equal(options.rp.id, "example.com");
      assert.equal(options.authenticatorSelection?.residentKey, "required");
      const stored = (await world.table()).find((item) => item["pk"] === `CHALLENGE#${challengeId}`);
      assert.deepEqual(stored, {
        pk: `CHALLENGE#${challengeId}`,
        sk: "CHALLENGE",
        challenge: options.challenge,
        purpose: "registration",
        userName: jane.userName,
        rpId: options.rp.id,
        expiresAt: world.now + 120_000,
        ttl: Math.floor((world.now + 120_000) / 1000),
      });
    });

    test("a passkey added while signed in is stored as enrolment stores it, announced, and signs in", async () => {
      const jane = world.newUser();
      const authenticator = world.authenticator({ aaguid: ICLOUD, synced: true });
      const passkey = await world.addPasskey(jane, authenticator, "My phone");
      assert.deepEqual(passkey, {
        id: authenticator.credentialId,
        name: "My phone",
        createdAt: new Date(world.now).toISOString(),
        backedUp: true,
        transports: ["internal", "hybrid"],
        authenticator: "iCloud Keychain",
      });
      const item = await credentialItem(authenticator.credentialId);
      assert.equal(item?.["userName"], jane.userName);
      assert.equal(item?.["userHandle"], Buffer.from(jane.userName).toString("base64url"));
      assert.equal(item?.["friendlyName"], "My phone");
      const state = (await userItem(jane))?.[`passkey#${authenticator.credentialId}`] as Record<string, unknown>;
      assert.equal(state["fingerprint"], publicKeyFingerprint(String(item?.["publicKey"])), "the user's item vouches for its key");
      assert.ok(findCachedPublicKey(world.attributes.get(jane.userName)?.[PUBLIC_KEY_ATTRIBUTE], authenticator.credentialId), "its key is cached");
      assert.deepEqual(
        world.notices.filter(({ recipient }) => recipient.to === jane.email).map(({ change }) => [change.kind, change.passkeyName]),
        [["added", "My phone"]],
      );
      assert.deepEqual(await signIn(jane, authenticator), { ok: true, method: "swk" });
    });

    test("without a name, the passkey is named as enrolment names it: the provider, else the browser", async () => {
      const jane = world.newUser();
      assert.equal((await world.addPasskey(jane, world.authenticator())).name, "Safari on macOS");
    });

    test("a challenge is used once: a replay is challenge_invalid and changes nothing", async () => {
      const jane = world.newUser();
      const { challengeId, options } = await world.registrationOptions(jane);
      const response = world.authenticator().register(options);
      assert.equal((await world.call("add", jane, { body: { challengeId, response } })).statusCode, 201);
      assert.equal(
        (await world.table()).find((item) => item["pk"] === `CHALLENGE#${challengeId}`),
        undefined,
        "the add deleted it",
      );
      const again = world.authenticator().register(options);
      await assertRefusedUnchanged(() => world.call("add", jane, { body: { challengeId, response: again } }), 400, "challenge_invalid");
    });

    test("an expired challenge is challenge_invalid and changes nothing", async () => {
      const jane = world.newUser();
      const { challengeId, options } = await world.registrationOptions(jane);
      world.now += 120_000;
      // A newer sign-in: only the challenge's age is at stake here.
      const claims = accessTokenClaims({ userName: jane.userName, authTime: Math.floor(world.now / 1000) - 10 });
      await assertRefusedUnchanged(
        () => world.call("add", jane, { claims, body: { challengeId, response: world.authenticator().register(options) } }),
        400,
        "challenge_invalid",
      );
    });

    test("another user's challenge is challenge_invalid, changes nothing, and stays its owner's to use", async () => {
      const owner = world.newUser();
      const thief = world.newUser();
      const { challengeId, options } = await world.registrationOptions(owner);
      await assertRefusedUnchanged(
        () => world.call("add", thief, { body: { challengeId, response: world.authenticator().register(options) } }),
        400,
        "challenge_invalid",
      );
      for (const id of ["unknown-challenge-id-0000", "short", "../../etc"]) {
        await assertRefusedUnchanged(
          () => world.call("add", owner, { body: { challengeId: id, response: world.authenticator().register(options) } }),
          400,
          "challenge_invalid",
        );
      }
      assert.equal((await world.call("add", owner, { body: { challengeId, response: world.authenticator().register(options) } })).statusCode, 201);
    });

    test("a sign-in older than the configured age is 403 reauthentication_required on both routes, and nothing is written", async () => {
      const jane = world.newUser();
      const { challengeId, options } = await world.registrationOptions(jane);
      const stale = accessTokenClaims({ userName: jane.userName, authTime: Math.floor(world.now / 1000) - 301 });
      await assertRefusedUnchanged(() => world.call("registrationOptions", jane, { claims: stale }), 403, "reauthentication_required");
      await assertRefusedUnchanged(
        () => world.call("add", jane, { claims: stale, body: { challengeId, response: world.authenticator().register(options) } }),
        403,
        "reauthentication_required",
      );
      const { auth_time: _authTime, ...noAuthTime } = stale;
      await assertRefusedUnchanged(() => world.call("registrationOptions", jane, { claims: noAuthTime }), 403, "reauthentication_required");
      const recent = accessTokenClaims({ userName: jane.userName, authTime: Math.floor(world.now / 1000) - 300 });
      assert.equal((await world.call("registrationOptions", jane, { claims: recent })).statusCode, 200, "exactly the configured age is recent");
    });

    test("an ID token, or an access token of another app client, is 401 unauthorized and changes nothing", async () => {
      const jane = world.newUser();
      const authenticator = world.authenticator();
      await world.addPasskey(jane, authenticator);
      const now = Math.floor(world.now / 1000);
      for (const claims of [
        idTokenClaims({ userName: jane.userName, authTime: now }),
        accessTokenClaims({ userName: jane.userName, authTime: now, clientId: "another-client" }),
      ]) {
        await assertRefusedUnchanged(() => world.call("registrationOptions", jane, { claims }), 401, "unauthorized");
        await assertRefusedUnchanged(() => world.call("list", jane, { claims }), 401, "unauthorized");
        await assertRefusedUnchanged(() => world.call("remove", jane, { claims, id: authenticator.credentialId }), 401, "unauthorized");
      }
    });

    test("the per-user limit holds for adds through the API: at the options and at the add", async () => {
      const jane = world.newUser();
      await world.addPasskey(jane, world.authenticator());
      await world.addPasskey(jane, world.authenticator());
      const early = await world.registrationOptions(jane);
      await world.addPasskey(jane, world.authenticator());
      await assertRefusedUnchanged(() => world.call("registrationOptions", jane), 409, "passkey_limit_reached");
      const table = await world.table();
      const response = await world.call("add", jane, { body: { challengeId: early.challengeId, response: world.authenticator().register(early.options) } });
      assert.deepEqual([response.statusCode, response.body?.["error"]], [409, "passkey_limit_reached"]);
      const after = await world.table();
      assert.deepEqual(
        after,
        table.filter((item) => item["pk"] !== `CHALLENGE#${early.challengeId}`),
        "only the challenge is used up",
      );
      assert.equal((await listOf(jane)).length, 3);
    });

    test("a passkey registered already is 409, another's or one's own", async () => {
      const owner = world.newUser();
      const other = world.newUser();
      const authenticator = world.authenticator({ honourExcludeCredentials: false });
      await world.addPasskey(owner, authenticator);
      for (const user of [owner, other]) {
        // A later moment: the store takes the very same put (user, key, time) for its own retry.
        world.now += 1;
        const { challengeId, options } = await world.registrationOptions(user);
        const response = await world.call("add", user, { body: { challengeId, response: authenticator.register(options) } });
        assert.deepEqual([response.statusCode, response.body?.["error"]], [409, "credential_already_registered"]);
      }
      assert.equal((await credentialItem(authenticator.credentialId))?.["userName"], owner.userName);
    });

    test("a passkey removed earlier, offered again, is 409 credential_already_registered: nothing stays behind, nobody is told, the limit is untouched", async () => {
      const jane = world.newUser();
      const authenticator = world.authenticator();
      const kept = world.authenticator();
      await world.addPasskey(jane, authenticator);
      await world.addPasskey(jane, kept);
      assert.equal((await world.call("remove", jane, { id: authenticator.credentialId })).statusCode, 204);

      // The same authenticator offers the same credential again (nothing excludes it: its item is gone).
      const table = await world.table();
      const writes = world.attributeWrites.length;
      const notices = world.notices.length;
      world.now += 1;
      const { challengeId, options } = await world.registrationOptions(jane);
      assert.deepEqual(
        options.excludeCredentials?.map((credential) => credential.id),
        [kept.credentialId],
      );
      const response = await world.call("add", jane, { body: { challengeId, response: authenticator.register(options) } });
      assert.deepEqual([response.statusCode, response.body?.["error"]], [409, "credential_already_registered"], JSON.stringify(response.body));
      assert.deepEqual(await world.table(), table, "no credential item, no fingerprint, and the challenge used up");
      assert.equal(world.attributeWrites.length, writes, "custom:passkeys untouched");
      assert.equal(world.notices.length, notices, "no notice of a passkey that was not added");
      assert.deepEqual(
        (await listOf(jane)).map((passkey) => passkey.id),
        [kept.credentialId],
      );
      assert.equal((await signIn(jane, authenticator)).ok, false, "it still signs in no more");
      // Two more fit under the limit of 3: the refused one counts for nothing.
      await world.addPasskey(jane, world.authenticator());
      assert.equal((await world.call("registrationOptions", jane)).statusCode, 200);
    });

    test("a registration that does not verify is 400 registration_failed; a response of the wrong shape 400 invalid_request", async () => {
      const jane = world.newUser();
      for (const [tamper, error] of [
        [{ origin: "https://evil.example" }, "registration_failed"],
        [{ rpId: "evil.example" }, "registration_failed"],
        [{ flags: 0x41 }, "registration_failed"],
      ] as const) {
        const { challengeId, options } = await world.registrationOptions(jane);
        const response = await world.call("add", jane, { body: { challengeId, response: world.authenticator().register(options, tamper) } });
        assert.deepEqual([response.statusCode, response.body?.["error"]], [400, error], JSON.stringify(tamper));
      }
      const { challengeId } = await world.registrationOptions(jane);
      const response = await world.call("add", jane, { body: { challengeId, response: { id: "x" } } });
      assert.deepEqual([response.statusCode, response.body?.["error"]], [400, "invalid_request"]);
      assert.deepEqual(await listOf(jane), [], "nothing was added");
    });

    test("a name out of bounds is refused before the challenge is used: the same challenge then adds the passkey", async () => {
      const jane = world.newUser();
      const { challengeId, options } = await world.registrationOptions(jane);
      const response = world.authenticator().register(options);
      await assertRefusedUnchanged(() => world.call("add", jane, { body: { challengeId, response, name: "\u0007bell" } }), 400, "invalid_request");
      assert.equal((await world.call("add", jane, { body: { challengeId, response, name: "Fine" } })).statusCode, 201);
    });
  });
});
