/**
 * Attacks on sign-in without a username (docs/protocol.md, "Sign-in without a username"), end to
 * end against the local stack: the challenge from the passkey API's public route, InitiateAuth
 * with the user handle as USERNAME, and the assertion answered with ClientMetadata.passkeyChallenge.
 * The soft authenticator stands in for a browser. Each attack is refused with the reason Verify
 * logs, and leaves the table as it found it but for the challenge it spent: no sign-in record, no
 * passkey counter moved, nothing of any user's changed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { AUTH_CLAIM_NAMES, CLIENT_METADATA, PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import type { SoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { type AttackWorld, startAttackWorld } from "../support/attack-stack.ts";
import { authenticatorFor, enrolPasskey } from "../support/attack-passkeys.ts";
import type { LogLine } from "../support/attack-logs.ts";
import { tokenVerifiers } from "../support/local-stack.ts";

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const VERIFY = "verify-auth-challenge-response";

interface SignInChallenge {
  readonly challengeId: string;
  readonly options: PublicKeyCredentialRequestOptionsJSON;
}

interface Person {
  readonly email: string;
  readonly userName: string;
  readonly authenticator: SoftAuthenticator;
}

/** What the app does first: the public route, no token. */
async function fetchChallenge(world: AttackWorld, headers: Record<string, string> = {}): Promise<SignInChallenge> {
  const { method, path } = PASSKEY_API_ROUTES.signInChallenge;
  const response = await fetch(world.stack.passkeyApiUrl + path, { method, headers });
  assert.equal(response.status, 200);
  return (await response.json()) as SignInChallenge;
}

/** USERNAME as the protocol derives it: the UTF-8 text of the base64url-decoded user handle. */
function usernameOf(assertion: AuthenticationResponseJSON): string {
  assert.ok(assertion.response.userHandle, "a discoverable passkey returns its user handle");
  return Buffer.from(assertion.response.userHandle, "base64url").toString("utf8");
}

/** Steps 2 and 3: InitiateAuth as `userName`, then the assertion with the challenge's id. */
async function finish(world: AttackWorld, userName: string, assertion: AuthenticationResponseJSON, challengeId: string) {
  const started = await world.driver.start(userName);
  return world.driver.answer(started, userName, JSON.stringify(assertion), {
    [CLIENT_METADATA.signInMethod]: "PASSKEY",
    [CLIENT_METADATA.passkeyChallenge]: challengeId,
  });
}

function rejection(reason: string) {
  return (line: LogLine) => line["service"] === VERIFY && line.message === "Answer rejected" && line["reason"] === reason;
}

describe("attacks on sign-in without a username", () => {
  let world: AttackWorld;
  let table: DynamoDBDocumentClient;
  let victim: Person;
  let attacker: Person;

  /** Every item of the table but the challenges, which an attempt is allowed to spend. */
  async function itemsBesideChallenges(): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await table.send(new ScanCommand({ TableName: world.stack.tableName, ConsistentRead: true }));
    return Items.filter((item) => !String(item["pk"]).startsWith("CHALLENGE#")).sort((a, b) => `${a["pk"]}|${a["sk"]}`.localeCompare(`${b["pk"]}|${b["sk"]}`));
  }

  /** The attempt is refused as any wrong answer is, logged with `reason`, and writes nothing but its challenge. */
  async function assertRefused(attempt: () => Promise<unknown>, reason: string): Promise<LogLine> {
    const before = await itemsBesideChallenges();
    const mark = world.logs.mark();
    await assert.rejects(attempt(), INCORRECT);
    const line = await world.logs.waitFor(mark, rejection(reason));
    assert.deepEqual(await itemsBesideChallenges(), before, "nothing written beyond the challenge");
    return line;
  }

  /**
   * A challenge item written straight into the table, as the API would store one but for what a
   * test changes (expired, another RP's, a registration's); returns its id and options over it.
   */
  async function storedChallenge(challengeId: string, seed: string, item: Record<string, unknown>): Promise<SignInChallenge> {
    const { options } = await fetchChallenge(world);
    const challenge = Buffer.from(seed.padEnd(32, "!")).toString("base64url");
    const fields = { purpose: "authentication", rpId: options.rpId, expiresAt: Date.now() + 60_000, ...item };
    await table.send(new PutCommand({ TableName: world.stack.tableName, Item: { pk: `CHALLENGE#${challengeId}`, sk: "CHALLENGE", challenge, ...fields } }));
    return { challengeId, options: { ...options, challenge } };
  }

  async function person(label: string): Promise<Person> {
    const email = world.newEmail(label);
    const userName = await world.driver.signUp(email);
    const authenticator = authenticatorFor(world.stack);
    await enrolPasskey(world.driver, email, authenticator);
    return { email, userName, authenticator };
  }

  before(async () => {
    world = await startAttackWorld();
    const { stack } = world;
    table = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: stack.config.region, endpoint: stack.dynamoEndpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
    );
    victim = await person("usernameless-victim");
    attacker = await person("usernameless-attacker");
  });
  after(async () => {
    table?.destroy();
    await world?.stop();
  });

  it("the genuine sign-in: the user handle is the user's internal username, and the tokens say a passkey signed in", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    const assertion = victim.authenticator.authenticate(options);
    assert.equal(usernameOf(assertion), victim.userName);
    const done = await finish(world, usernameOf(assertion), assertion, challengeId);
    const claims = await tokenVerifiers(world.stack.config).id.verify(done.AuthenticationResult?.IdToken ?? "");
    assert.equal(claims.sub, (await world.driver.attributesOf(victim.userName))["sub"]);
    assert.match(String(claims[AUTH_CLAIM_NAMES.methods]), /^(swk|hwk)$/);
  });

  it("the same challenge twice: the second sign-in is refused, even with a fresh assertion over it", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    await finish(world, victim.userName, victim.authenticator.authenticate(options), challengeId);
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(options), challengeId), "sign_in_challenge_refused");
  });

  it("an assertion replayed with its challenge id in a new session is refused", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    const assertion = victim.authenticator.authenticate(options);
    await finish(world, victim.userName, assertion, challengeId);
    await assertRefused(() => finish(world, victim.userName, assertion, challengeId), "sign_in_challenge_refused");
  });

  it("an expired challenge is refused, though DynamoDB's TTL has not removed it", async () => {
    const { challengeId, options } = await storedChallenge("ZXhwaXJlZC1jaGFsbGVuZ2UtaWQ", "an expired challenge", { expiresAt: Date.now() - 1000 });
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(options), challengeId), "sign_in_challenge_refused");
  });

  it("a challenge issued for another relying party is refused", async () => {
    const { challengeId, options } = await storedChallenge("YW5vdGhlci1ycC1jaGFsbGVuZ2U", "another RP's challenge", { rpId: "other.example" });
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(options), challengeId), "sign_in_challenge_refused");
  });

  it("a challenge id from another sign-in: signed over one challenge, sent with another's id, refused, and that other is spent", async () => {
    const signed = await fetchChallenge(world);
    const other = await fetchChallenge(world);
    const assertion = victim.authenticator.authenticate(signed.options);
    const mark = world.logs.mark();
    await assertRefused(() => finish(world, victim.userName, assertion, other.challengeId), "verification_failed");
    const refused = await world.logs.waitFor(mark, (line) => line.message === "Passkey assertion refused");
    assert.match(String(refused["check"]), /challenge/i);
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(other.options), other.challengeId), "sign_in_challenge_refused");
  });

  it("a registration challenge's id is refused: it was issued to a user, for adding a passkey", async () => {
    const registration = { purpose: "registration", userName: victim.userName };
    const { challengeId, options } = await storedChallenge("cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ", "a registration challenge", registration);
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(options), challengeId), "sign_in_challenge_refused");
  });

  it("an unknown or malformed challenge id is refused", async () => {
    const { options } = await fetchChallenge(world);
    await assertRefused(
      () => finish(world, victim.userName, victim.authenticator.authenticate(options), "bmV2ZXItaXNzdWVkLWlkLTAw"),
      "sign_in_challenge_refused",
    );
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(options), "../../etc"), "sign_in_challenge_malformed");
  });

  it("USERNAME of the victim with an assertion by the attacker's passkey is refused", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    const assertion = attacker.authenticator.authenticate(options);
    assert.equal(usernameOf(assertion), attacker.userName);
    await assertRefused(() => finish(world, victim.userName, assertion, challengeId), "credential_of_another_user");
  });

  it("the attacker's passkey claiming the victim's user handle is refused", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    const forged = attacker.authenticator.authenticate(options, { userHandle: Buffer.from(victim.userName).toString("base64url") });
    await assertRefused(() => finish(world, victim.userName, forged, challengeId), "credential_of_another_user");
  });

  it("an assertion without a user handle names nobody and is refused", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    await assertRefused(
      () => finish(world, victim.userName, victim.authenticator.authenticate(options, { userHandle: null }), challengeId),
      "user_handle_missing",
    );
  });

  it("a user handle that names nobody meets the same refusal as a real user's wrong answer, and spends the challenge", async () => {
    const { challengeId, options } = await fetchChallenge(world);
    const nobody = "0b6f3c1e-4a2d-4f8b-9c7e-5d1a2b3c4d5e";
    const assertion = victim.authenticator.authenticate(options, { userHandle: Buffer.from(nobody).toString("base64url") });
    await assertRefused(() => finish(world, usernameOf(assertion), assertion, challengeId), "user_not_found");
    // Spent: the victim cannot finish with it either.
    await assertRefused(() => finish(world, victim.userName, victim.authenticator.authenticate(options), challengeId), "sign_in_challenge_refused");
  });

  it("the challenge route answers everyone alike: with or without a token or a name, the same status and the same options but the challenge", async () => {
    const shapes = [];
    for (const headers of [{}, { authorization: "Bearer not-a-token" }, { "content-type": "application/json", "x-user": victim.email }]) {
      const { challengeId, options } = await fetchChallenge(world, headers);
      assert.match(challengeId, /^[A-Za-z0-9_-]{22}$/);
      shapes.push({ ...options, challenge: typeof options.challenge });
    }
    for (const shape of shapes) assert.deepEqual(shape, shapes[0]);
    assert.deepEqual(shapes[0]?.allowCredentials, []);
  });

  // Last: it empties the route's bucket.
  it("a flood of challenge requests is throttled by the route's settings: 429 from API Gateway, no item written for it", async () => {
    const challenges = async () => {
      const { Items = [] } = await table.send(new ScanCommand({ TableName: world.stack.tableName, ConsistentRead: true }));
      return Items.filter((item) => String(item["pk"]).startsWith("CHALLENGE#")).length;
    };
    const before = await challenges();
    const { method, path } = PASSKEY_API_ROUTES.signInChallenge;
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, async () => {
        const response = await fetch(world.stack.passkeyApiUrl + path, { method });
        return { status: response.status, body: await response.text() };
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const admitted = answers.filter(({ status }) => status === 200).length;
    const throttled = answers.filter(({ status }) => status === 429);
    // The template's RouteSettings for the route: bursts of 20, 10 requests a second after that.
    assert.ok(admitted <= 20 + Math.ceil(seconds * 10), `${admitted} admitted in ${seconds.toFixed(2)} s`);
    assert.equal(admitted + throttled.length, answers.length, "every answer is a challenge or a 429");
    assert.ok(throttled.length > 0);
    for (const { body } of throttled) assert.deepEqual(JSON.parse(body), { message: "Too Many Requests" });
    assert.equal(await challenges(), before + admitted, "a throttled request writes nothing");
  });
});
