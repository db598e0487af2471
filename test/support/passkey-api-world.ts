/**
 * The passkey API's handler built through its factory (lib/handlers/passkeys-api.ts) over the real
 * stores on dynalite, with a user pool in memory (attributes as AdminGetUser gives them, and the
 * writes of `custom:passkeys`), a recording notifier and a clock the test moves. What the
 * integration and attack tests of the API share: users, requests as API Gateway sends them, a
 * passkey added through the API with the soft authenticator, and the whole table as a value.
 */
import assert from "node:assert/strict";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { PasskeyApiRoute, PasskeySummary } from "@cognito-passwordless/protocol";
import { createSoftAuthenticator, type SoftAuthenticator, type SoftAuthenticatorOptions } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import type { ApiResponse } from "../../lib/api/api-response.ts";
import type { PasskeyApiConfig } from "../../lib/config.ts";
import { createPasskeysApiHandler } from "../../lib/handlers/passkeys-api.ts";
import type { NoticeRecipient } from "../../lib/notify/notice-recipient.ts";
import type { PasskeyChange } from "../../lib/notify/passkey-notice.ts";
import { PUBLIC_KEY_ATTRIBUTE } from "../../lib/passkey/public-key-cache.ts";
import { createDynamoPasskeyChallengeStore } from "../../lib/store/passkey-challenges.ts";
import { createDynamoPasskeyStore } from "../../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../../lib/store/sign-in-records.ts";
import { passkeyConfig, recordingLogger, type RecordedLog, USER_POOL_ID } from "../unit/passkey/passkey-test-kit.ts";
import { type LocalDynamo, startDynamo } from "./dynamo.ts";
import { API_CLIENT_ID, accessTokenClaims, type PasskeyApiEventOptions, passkeyApiEvent } from "./passkey-api-events.ts";

/** The API's time at the start of each test file: 15 January 2026, 09:30 UTC. */
export const API_NOW = Date.UTC(2026, 0, 15, 9, 30, 0);
export const ORIGIN = "https://example.com";

export interface ApiUser {
  readonly userName: string;
  readonly email: string;
}

export interface ParsedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly body: Record<string, unknown> | undefined;
}

export interface PasskeyApiWorld {
  readonly dynamo: LocalDynamo;
  readonly config: PasskeyApiConfig;
  /** Each user's attributes, as Cognito holds them. */
  readonly attributes: Map<string, Record<string, string>>;
  readonly attributeWrites: { userName: string; value: string }[];
  readonly notices: { recipient: NoticeRecipient; change: PasskeyChange }[];
  readonly logs: RecordedLog[];
  /** Epoch ms; tests move it. */
  now: number;
  newUser(): ApiUser;
  /** One request on `route` as `user` (an access token signed in a minute ago, unless claims are given). */
  call(route: PasskeyApiRoute, user: ApiUser | undefined, options?: PasskeyApiEventOptions): Promise<ParsedResponse>;
  /** Options, the authenticator's answer, and the add: the passkey it made. */
  addPasskey(user: ApiUser, authenticator: SoftAuthenticator, name?: string): Promise<PasskeySummary>;
  registrationOptions(user: ApiUser): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }>;
  authenticator(options?: SoftAuthenticatorOptions): SoftAuthenticator;
  /** Every item of the table, sorted by key: to assert a refusal changed nothing. */
  table(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export function parseResponse(response: ApiResponse): ParsedResponse {
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    body: response.body === undefined ? undefined : (JSON.parse(response.body) as Record<string, unknown>),
  };
}

export async function startPasskeyApiWorld(options: { maxPerUser?: number } = {}): Promise<PasskeyApiWorld> {
  const dynamo = await startDynamo();
  const { logger, lines } = recordingLogger();
  const config: PasskeyApiConfig = { userPoolId: USER_POOL_ID, userPoolClientId: API_CLIENT_ID, reauthMaxAgeSeconds: 300 };
  const attributes = new Map<string, Record<string, string>>();
  const attributeWrites: PasskeyApiWorld["attributeWrites"] = [];
  const notices: PasskeyApiWorld["notices"] = [];
  let users = 0;
  const tables = { client: dynamo.documentClient, tableName: dynamo.tableName };

  const world: PasskeyApiWorld = {
    dynamo,
    config,
    attributes,
    attributeWrites,
    notices,
    logs: lines,
    now: API_NOW,
    newUser() {
      users += 1;
      // Cognito's internal usernames are UUIDs when sign-in is by email or phone.
      const userName = `${String(users).padStart(8, "0")}-5b6d-4e7f-9a0b-1c2d3e4f5a6b`;
      const email = `user${users}@example.com`;
      attributes.set(userName, { sub: userName, email, email_verified: "true" });
      return { userName, email };
    },
    async call(route, user, eventOptions = {}) {
      const claims = eventOptions.claims ?? accessTokenClaims({ userName: user?.userName ?? "nobody", authTime: Math.floor(world.now / 1000) - 60 });
      return parseResponse(await handler(passkeyApiEvent(route, { ...eventOptions, claims })));
    },
    async registrationOptions(user) {
      const response = await world.call("registrationOptions", user);
      assert.equal(response.statusCode, 200, JSON.stringify(response.body));
      return response.body as unknown as { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };
    },
    async addPasskey(user, authenticator, name) {
      const { challengeId, options } = await world.registrationOptions(user);
      const response = await world.call("add", user, {
        body: { challengeId, response: authenticator.register(options), ...(name === undefined ? {} : { name }) },
      });
      assert.equal(response.statusCode, 201, JSON.stringify(response.body));
      return (response.body as { passkey: PasskeySummary }).passkey;
    },
    authenticator(authenticatorOptions = {}) {
      return createSoftAuthenticator({ origin: ORIGIN, ...authenticatorOptions });
    },
    async table() {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.documentClient.send(new ScanCommand({ TableName: dynamo.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      const key = (item: Record<string, unknown>) => `${String(item["pk"])}\u0000${String(item["sk"])}`;
      return items.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    },
    stop: () => dynamo.stop(),
  };

  const handler = createPasskeysApiHandler({
    api: config,
    passkey: passkeyConfig({ maxPerUser: options.maxPerUser ?? 3 }),
    credentials: createDynamoPasskeyStore(tables),
    signIns: createDynamoSignInRecordStore(tables),
    challenges: createDynamoPasskeyChallengeStore(tables),
    users: {
      async read(userPoolId, userName) {
        assert.equal(userPoolId, USER_POOL_ID);
        const found = attributes.get(userName);
        return found === undefined ? undefined : { ...found };
      },
    },
    publicKeyAttribute: {
      async write(userPoolId, userName, value) {
        assert.equal(userPoolId, USER_POOL_ID);
        attributeWrites.push({ userName, value });
        attributes.set(userName, { ...attributes.get(userName), [PUBLIC_KEY_ATTRIBUTE]: value });
      },
    },
    notices: {
      async notify(recipient, change) {
        notices.push({ recipient, change });
      },
    },
    appName: "Example App",
    logger,
    clock: () => world.now,
  });
  return world;
}
