/**
 * Fuzzing PreTokenGeneration (functions/pre-token-generation/index.ts) with V1, V2 and odd token
 * events of every source, hostile client metadata, and a table (mocked) that holds no sign-in
 * record, one of another user or app client, a stale one, a corrupt one, or a good one. Claims are
 * added only from a good record of this very user and client, only on a sign-in, only
 * `auth_methods` and `auth_level`, and never a claim Cognito reserves.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { MalformedEventError } from "../../lib/errors.ts";
import { SIGN_IN_RECORD_LIFETIME_MS } from "../../lib/store/sign-in-records.ts";
import { LEVELS, METHODS, RESERVED_CLAIMS, type StoredRecord, itemOf, storedRecord } from "../support/arbitraries/sign-in-records.ts";
import { type TokenEvent, preTokenCase } from "../support/arbitraries/user-events.ts";
import { CLIENT_ID, USER_NAME, preTokenEventV1, preTokenEventV2 } from "@cognito-passwordless/test-kit/events.ts";
import { setFunctionEnv } from "../support/function-env.ts";
import type { LogCapture } from "../support/log-capture.ts";
import { captureFuzzLogs } from "./fuzz-logs.ts";
import { CONTROL_RUNS, fuzz } from "./fuzz-run.ts";
import { answered, callHandler, timingSummary } from "./handler-invariants.ts";

// The function imports its DynamoDB client lazily; mocking the class catches every client it makes.
const dynamo = mockClient(DynamoDBDocumentClient);
let preToken: (event: TokenEvent) => Promise<TokenEvent>;
let logs: LogCapture;

const MINUTE = 60_000;

/** What the table holds in the current run: an item under some user's key, or nothing, or no answer at all. */
const table: { owner: string; item: Record<string, unknown> | undefined; unavailable: boolean } = { owner: USER_NAME, item: undefined, unavailable: false };

before(async () => {
  setFunctionEnv();
  dynamo.on(GetCommand).callsFake((input: { Key?: Record<string, unknown> }) => {
    if (table.unavailable) throw Object.assign(new Error("connect ECONNREFUSED"), { name: "TimeoutError" });
    return input.Key?.["pk"] === `SIGNIN#${table.owner}` && input.Key["sk"] === "LATEST" && table.item !== undefined ? { Item: table.item } : {};
  });
  preToken = (await import("../../functions/pre-token-generation/index.ts")).handler as typeof preToken;
  logs = captureFuzzLogs();
});
after(() => logs.stop());

/** Whether this record may become claims for this event (docs/protocol.md, Tokens), judged without lib/. */
function recordJustifiesClaims(record: StoredRecord, event: TokenEvent): boolean {
  const callerContext = event.callerContext as unknown as Record<string, unknown> | undefined;
  return (
    event.triggerSource === "TokenGeneration_Authentication" &&
    record.owner === "this user" &&
    typeof event.userName === "string" &&
    record.clientId === callerContext?.["clientId"] &&
    Array.isArray(record.methods) &&
    record.methods.length > 0 &&
    record.methods.every((method) => METHODS.includes(method as string)) &&
    LEVELS.includes(record.level as string) &&
    record.verifiedAt === "age" &&
    record.ageMinutes >= 0 &&
    record.ageMinutes * MINUTE < SIGN_IN_RECORD_LIFETIME_MS
  );
}

/** Every claim set the response adds, whichever shape (V1 or V2) it takes. */
function addedClaims(response: unknown): Record<string, unknown>[] {
  const value = response as Record<string, Record<string, Record<string, unknown> | undefined> | undefined> | null | undefined;
  return [
    value?.["claimsOverrideDetails"]?.["claimsToAddOrOverride"],
    value?.["claimsAndScopeOverrideDetails"]?.["idTokenGeneration"]?.["claimsToAddOrOverride" as never],
    value?.["claimsAndScopeOverrideDetails"]?.["accessTokenGeneration"]?.["claimsToAddOrOverride" as never],
  ].filter((claims): claims is Record<string, unknown> => typeof claims === "object" && claims !== null);
}

async function run(event: TokenEvent, record: StoredRecord | undefined, unavailable = false) {
  const now = Date.now();
  const userName = typeof event.userName === "string" ? event.userName : "";
  Object.assign(table, {
    owner: record?.owner === "another user" ? "another-user" : userName,
    item: record === undefined ? undefined : itemOf(record, now),
    unavailable,
  });
  return callHandler(preToken, event, {
    beforeCall: () => {
      dynamo.resetHistory();
      logs.clear();
    },
  });
}

describe("fuzzing PreTokenGeneration", () => {
  after(() => console.log(timingSummary()));
  it("adds auth_methods and auth_level only from a good record of this user and client on a sign-in, never a reserved claim, and throws only typed errors", async (t) => {
    let withClaims = 0;
    // No record one run in five; the table unreachable one run in twenty.
    const scenario = fc.record({
      event: preTokenCase(),
      record: fc.option(storedRecord(), { nil: undefined, freq: 5 }),
      outage: fc.nat({ max: 19 }).map((draw) => draw === 0),
    });
    await fuzz(
      t,
      fc.asyncProperty(scenario, async ({ event, record, outage }) => {
        const before = (event as { response?: unknown }).response;
        const outcome = await run(event, record, outage);
        if (!outcome.ok) return;
        const claims = addedClaims(outcome.value.response);
        if (outage || record === undefined || !recordJustifiesClaims(record, event)) {
          // Compared as Cognito receives it: JSON (and JSON.stringify walks deep values that deepEqual cannot).
          assert.equal(JSON.stringify(outcome.value.response), JSON.stringify(before), "claims were added without a good record of this sign-in");
          return;
        }
        withClaims += 1;
        assert.ok(claims.length > 0, "a good record of this sign-in gave no claims");
        for (const set of claims) {
          assert.deepEqual(Object.keys(set).sort(), ["auth_level", "auth_methods"], "claims other than auth_methods and auth_level");
          assert.equal(set["auth_methods"], (record.methods as string[]).join(" "));
          assert.equal(set["auth_level"], record.level);
          for (const name of Object.keys(set)) assert.ok(!RESERVED_CLAIMS.includes(name) && !name.startsWith("cognito:"), `reserved claim ${name}`);
        }
      }),
    );
    t.diagnostic(`runs whose tokens got claims: ${withClaims}`);
  });

  // Found by the fuzzer: String(version) threw a TypeError for a version object whose toString is data.
  it("regression: a version object whose toString is data is refused with a typed error, not a TypeError", async () => {
    const event = { ...preTokenEventV1(), version: { toString: "x" } } as unknown as TokenEvent;
    const good: StoredRecord = { owner: "this user", clientId: CLIENT_ID, methods: ["swk"], level: LEVELS[1], ageMinutes: 0, verifiedAt: "age", extra: [] };
    const outcome = await run(event, good);
    assert.ok(!outcome.ok && outcome.error instanceof MalformedEventError, "refused as a malformed event");
  });

  // Found by the fuzzer: a record dated in the future (verifiedAt 1e308) passed the freshness check forever.
  it("regression: a sign-in record dated in the future gives no claims", async () => {
    for (const record of [
      { ageMinutes: -24 * 60, verifiedAt: "age" },
      { ageMinutes: 0, verifiedAt: 1e308 },
    ]) {
      const stored: StoredRecord = { owner: "this user", clientId: CLIENT_ID, methods: ["email_otp"], level: LEVELS[0], extra: [], ...record };
      const { response } = answered(await run(preTokenEventV2(), stored), "PreTokenGeneration must answer");
      assert.deepEqual(addedClaims(response), []);
    }
  });

  it("positive control: a good, fresh record of this user and client gives the claims in V1 and V2 events", async (t) => {
    const good = fc.record({
      methods: fc.subarray(METHODS, { minLength: 1 }),
      level: fc.constantFrom(...LEVELS),
      ageMinutes: fc.integer({ min: 0, max: 14 }),
      v2: fc.boolean(),
    });
    await fuzz(
      t,
      fc.asyncProperty(good, async ({ methods, level, ageMinutes, v2 }) => {
        const event = v2 ? preTokenEventV2() : preTokenEventV1();
        const record: StoredRecord = { owner: "this user", clientId: CLIENT_ID, methods, level, ageMinutes, verifiedAt: "age", extra: [] };
        const { response } = answered(await run(event, record), "PreTokenGeneration must answer a sign-in");
        const claims = addedClaims(response);
        assert.equal(claims.length, v2 ? 2 : 1, "the ID token (and for V2 the access token) get the claims");
        for (const set of claims) assert.deepEqual(set, { auth_methods: methods.join(" "), auth_level: level });
      }),
      CONTROL_RUNS,
    );
  });
});
