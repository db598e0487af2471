/**
 * Attacks on the passkey API through its handler (the real stores on dynalite, the soft
 * authenticator): what API Gateway's JWT authorizer lets through but must still be refused (an ID
 * token, a token of another app client, claims without a user), another user's passkeys and
 * challenges, a stale session adding a way in, an impostor of a registered credential. Each row
 * asserts the answer, the reason logged, and that the table, the victim's attributes and the
 * owner's notices are exactly as before; the victim's passkeys still sign in afterwards.
 * (Requests the authorizer itself refuses, such as no token or an expired one, never reach the
 * function: the local stack's tests cover them.)
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PasskeyApiRoute } from "@cognito-passwordless/protocol";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { passkeyAuthenticationOptions } from "../../lib/passkey/authentication-options.ts";
import { verifyPasskeyAssertion } from "../../lib/passkey/verify-passkey-assertion.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";
import type { PasskeyApiEventOptions } from "../support/passkey-api-events.ts";
import { accessTokenClaims, idTokenClaims } from "../support/passkey-api-events.ts";
import { type ApiUser, type PasskeyApiWorld, startPasskeyApiWorld } from "../support/passkey-api-world.ts";
import { passkeyConfig, recordingLogger } from "../unit/passkey/passkey-test-kit.ts";

interface Cast {
  readonly victim: ApiUser;
  readonly victimKeys: readonly SoftAuthenticator[];
  readonly attacker: ApiUser;
  /** Creation options the victim asked for and has not used yet. */
  readonly victimChallenge: { challengeId: string; options: Parameters<SoftAuthenticator["register"]>[0] };
}

interface Attack {
  readonly name: string;
  readonly status: number;
  readonly error: string;
  readonly reason: string;
  request(world: PasskeyApiWorld, cast: Cast): { route: PasskeyApiRoute; as: ApiUser; options: PasskeyApiEventOptions };
}

const ROUTES: PasskeyApiRoute[] = ["list", "rename", "remove", "registrationOptions", "add"];

/** A request on each route, with whatever it needs besides the claims. */
function anyRoute(route: PasskeyApiRoute, cast: Cast, claims: Record<string, string>): PasskeyApiEventOptions {
  const id = cast.victimKeys[0]!.credentialId;
  switch (route) {
    case "rename":
      return { claims, id, body: { name: "Owned" } };
    case "remove":
      return { claims, id };
    case "add":
      return { claims, body: { challengeId: cast.victimChallenge.challengeId, response: { id: "x" } } };
    default:
      return { claims };
  }
}

const nowSeconds = (world: PasskeyApiWorld) => Math.floor(world.now / 1000);

const ATTACKS: Attack[] = [
  ...ROUTES.map(
    (route): Attack => ({
      name: `${route} with the victim's ID token (its aud is the app client, so the authorizer lets it through)`,
      status: 401,
      error: "unauthorized",
      reason: "not_an_access_token",
      request: (world, cast) => ({
        route,
        as: cast.victim,
        options: anyRoute(route, cast, idTokenClaims({ userName: cast.victim.userName, authTime: nowSeconds(world) })),
      }),
    }),
  ),
  ...ROUTES.map(
    (route): Attack => ({
      name: `${route} with an access token of another app client naming the victim`,
      status: 401,
      error: "unauthorized",
      reason: "token_of_another_client",
      request: (world, cast) => ({
        route,
        as: cast.victim,
        options: anyRoute(route, cast, accessTokenClaims({ userName: cast.victim.userName, clientId: "a-client-of-another-app", authTime: nowSeconds(world) })),
      }),
    }),
  ),
  ...ROUTES.map(
    (route): Attack => ({
      name: `${route} with no authorizer claims at all (a route left without the authorizer)`,
      status: 401,
      error: "unauthorized",
      reason: "not_an_access_token",
      request: (_world, cast) => ({ route, as: cast.victim, options: anyRoute(route, cast, {}) }),
    }),
  ),
  {
    name: "an access token whose username is missing",
    status: 401,
    error: "unauthorized",
    reason: "username_missing",
    request: (world, cast) => ({
      route: "list",
      as: cast.victim,
      options: { claims: { ...accessTokenClaims({ authTime: nowSeconds(world) }), username: "" } },
    }),
  },
  {
    name: "the attacker renames the victim's passkey",
    status: 404,
    error: "not_found",
    reason: "passkey_not_found",
    request: (_world, cast) => ({ route: "rename", as: cast.attacker, options: { id: cast.victimKeys[0]!.credentialId, body: { name: "Attacker's now" } } }),
  },
  {
    name: "the attacker removes the victim's passkey",
    status: 404,
    error: "not_found",
    reason: "passkey_not_found",
    request: (_world, cast) => ({ route: "remove", as: cast.attacker, options: { id: cast.victimKeys[1]!.credentialId } }),
  },
  ...["..%2F..%2Fadmin", "PASSKEY#x", "a".repeat(1400), "' OR 1=1 --"].map(
    (id): Attack => ({
      name: `a malformed id (${id.slice(0, 20)}) on remove`,
      status: 404,
      error: "not_found",
      reason: "id_malformed",
      request: (_world, cast) => ({ route: "remove", as: cast.victim, options: { id } }),
    }),
  ),
  {
    name: "the attacker adds a passkey to their own account over the victim's challenge",
    status: 400,
    error: "challenge_invalid",
    reason: "challenge_invalid",
    request: (world, cast) => ({
      route: "add",
      as: cast.attacker,
      options: { body: { challengeId: cast.victimChallenge.challengeId, response: world.authenticator().register(cast.victimChallenge.options) } },
    }),
  },
  {
    name: "a session signed in long ago (a stolen refresh token's) asks for registration options",
    status: 403,
    error: "reauthentication_required",
    reason: "sign_in_too_old",
    request: (world, cast) => ({
      route: "registrationOptions",
      as: cast.victim,
      options: { claims: accessTokenClaims({ userName: cast.victim.userName, authTime: nowSeconds(world) - 3600 }) },
    }),
  },
  {
    name: "a session signed in long ago adds a passkey over the victim's own fresh challenge",
    status: 403,
    error: "reauthentication_required",
    reason: "sign_in_too_old",
    request: (world, cast) => ({
      route: "add",
      as: cast.victim,
      options: {
        claims: accessTokenClaims({ userName: cast.victim.userName, authTime: nowSeconds(world) - 3600 }),
        body: { challengeId: cast.victimChallenge.challengeId, response: world.authenticator().register(cast.victimChallenge.options) },
      },
    }),
  },
  {
    name: "a token that claims a sign-in in the future",
    status: 403,
    error: "reauthentication_required",
    reason: "sign_in_too_old",
    request: (world, cast) => ({
      route: "registrationOptions",
      as: cast.victim,
      options: { claims: accessTokenClaims({ userName: cast.victim.userName, authTime: nowSeconds(world) + 3600 }) },
    }),
  },
  {
    name: "a passkey name that hides text with a right-to-left override (it would reach the owner's notice)",
    status: 400,
    error: "invalid_request",
    reason: "name_has_control_characters",
    request: (_world, cast) => ({
      route: "rename",
      as: cast.victim,
      options: { id: cast.victimKeys[0]!.credentialId, body: { name: "Phone\u202E(removed)" } },
    }),
  },
  {
    name: "a body far over 32 KiB",
    status: 413,
    error: "payload_too_large",
    reason: "body_too_large",
    request: (_world, cast) => ({
      route: "add",
      as: cast.victim,
      options: { body: { challengeId: cast.victimChallenge.challengeId, response: { pad: "x".repeat(1_000_000) } } },
    }),
  },
];

describe("attacks on the passkey API", () => {
  let world: PasskeyApiWorld;
  let cast: Cast;
  let signIns: ReturnType<typeof createDynamoSignInRecordStore>;
  let credentials: ReturnType<typeof createDynamoPasskeyStore>;
  let rounds = 0;

  before(async () => {
    world = await startPasskeyApiWorld({ maxPerUser: 5 });
    const tables = { client: world.dynamo.documentClient, tableName: world.dynamo.tableName };
    signIns = createDynamoSignInRecordStore(tables);
    credentials = createDynamoPasskeyStore(tables);
    const victim = world.newUser();
    const attacker = world.newUser();
    const victimKeys = [world.authenticator(), world.authenticator()];
    for (const key of victimKeys) await world.addPasskey(victim, key);
    await world.addPasskey(attacker, world.authenticator());
    cast = { victim, victimKeys, attacker, victimChallenge: await world.registrationOptions(victim) };
  });
  after(() => world.stop());

  async function signsIn(user: ApiUser, authenticator: SoftAuthenticator): Promise<boolean> {
    rounds += 1;
    const config = passkeyConfig();
    const expectedChallenge = Buffer.from(`attack-sign-in-${rounds}`.padEnd(32, ".")).toString("base64url");
    const result = await verifyPasskeyAssertion(
      { config, credentials, signIns, logger: recordingLogger().logger, clock: () => world.now },
      {
        answer: JSON.stringify(authenticator.authenticate(passkeyAuthenticationOptions(config, expectedChallenge))),
        expectedChallenge,
        userName: user.userName,
        clientId: world.config.userPoolClientId,
        userAttributes: world.attributes.get(user.userName) ?? {},
      },
    );
    return result.ok;
  }

  for (const attack of ATTACKS) {
    it(`${attack.name}: ${attack.status} ${attack.error}, nothing changed`, async () => {
      const { route, as, options } = attack.request(world, cast);
      const table = await world.table();
      const attributes = structuredClone([...world.attributes.entries()]);
      const notices = world.notices.length;
      const logsBefore = world.logs.length;

      const response = await world.call(route, as, options);

      assert.deepEqual([response.statusCode, response.body?.["error"]], [attack.status, attack.error], JSON.stringify(response.body));
      assert.deepEqual(await world.table(), table, "the table is unchanged");
      assert.deepEqual([...world.attributes.entries()], attributes, "no attribute changed");
      assert.equal(world.notices.length, notices, "nobody was told anything");
      const refusal = world.logs.slice(logsBefore).find((line) => line.message === "Passkey API request refused");
      assert.equal(refusal?.fields["reason"], attack.reason, "the refusal is logged with its reason");
      assert.equal(refusal?.fields["status"], attack.status);
    });
  }

  it("an impostor of the victim's credential id, enrolled on the attacker's account, is 409 and the victim's passkey stays theirs", async () => {
    const impostor = world.authenticator({ credentialId: cast.victimKeys[0]!.credentialId });
    const { challengeId, options } = await world.registrationOptions(cast.attacker);
    const before = (await world.table()).filter((item) => item["pk"] !== `CHALLENGE#${challengeId}`);
    const response = await world.call("add", cast.attacker, { body: { challengeId, response: impostor.register(options) } });
    assert.deepEqual([response.statusCode, response.body?.["error"]], [409, "credential_already_registered"]);
    assert.deepEqual(await world.table(), before, "only the attacker's own challenge is used up");
  });

  it("after every attack, the victim's passkeys still sign in and are still listed as theirs", async () => {
    for (const key of cast.victimKeys) assert.equal(await signsIn(cast.victim, key), true);
    const listed = await world.call("list", cast.victim);
    assert.deepEqual(
      ((listed.body?.["passkeys"] ?? []) as { id: string }[]).map((passkey) => passkey.id).sort(),
      cast.victimKeys.map((key) => key.credentialId).sort(),
    );
    const theirs = await world.call("list", cast.attacker);
    assert.equal((theirs.body?.["passkeys"] as unknown[] | undefined)?.length, 1, "the attacker sees only their own");
  });

  it("no log line carries a token, a challenge or a body", () => {
    const text = JSON.stringify(world.logs);
    assert.doesNotMatch(text, /Bearer|eyJ/);
    assert.ok(!text.includes(cast.victimChallenge.options.challenge));
    assert.ok(!text.includes("Attacker's now"));
  });
});
