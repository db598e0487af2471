/**
 * The passkey API through the local stack (its HTTP API: the JWT authorizer on the stack's own
 * keys, payload 2.0 events, the built function in its worker), one request at a time, as a
 * signed-in app calls it with plain HTTP and the user's access token:
 * - warm latency per route (after unreported warm-up requests), measured around each request;
 * - what each request costs, as the difference of two counter snapshots around it: DynamoDB
 *   requests by operation (bench/dynamo-counter.ts), Cognito calls by operation
 *   (bench/cognito-counter.ts) and messages (the outbox: a notice per add and per removal).
 *
 * Users sign up and sign in with an emailed code beforehand (not measured). Each add registers a
 * new passkey made by the software authenticator, over options asked for just before it (not
 * measured with it); each removal revokes one of those, so every add and every removal is a
 * user's real first. Nothing here judges a figure: bench/budgets.ts does.
 */
import { PASSKEY_API_ROUTES, type PasskeyApiRoute } from "@cognito-passwordless/protocol";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import type { CognitoCounter } from "./cognito-counter.ts";
import type { DynamoCounter } from "./dynamo-counter.ts";
import { inParallel, newSignInClient } from "./load-users.ts";
import { codeSignIn, signUpUser } from "./sign-in-flows.ts";
import { type LatencySummary, summarise } from "./stats.ts";

export interface PasskeyApiSettings {
  /** Measured requests per route. */
  readonly iterations: number;
  /** Unreported requests per route first, so the function's worker and its lazy chunks are loaded. */
  readonly warmup: number;
}

/** What one request cost. */
export interface RequestCost {
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  /** DynamoDB requests by operation (GetItem, Query, PutItem, UpdateItem, DeleteItem). */
  readonly dynamoOperations: Readonly<Record<string, number>>;
  readonly cognitoCalls: number;
  readonly cognitoOperations: Readonly<Record<string, number>>;
  readonly messages: number;
}

export interface PasskeyApiRouteResult {
  readonly route: PasskeyApiRoute;
  /** `METHOD path`, as the contract names it. */
  readonly name: string;
  readonly status: number;
  readonly latencyMs: LatencySummary;
  /** The cost of one request: the highest of each count if requests differed. */
  readonly perRequest: RequestCost;
  /** Whether every measured request cost the same counts. */
  readonly deterministic: boolean;
}

interface Counters {
  readonly dynamo: DynamoCounter;
  readonly cognito: CognitoCounter;
}

/** Passkeys one user adds here, below the template's PasskeyMaxPerUser (10). */
const ADDS_PER_USER = 8;
/** Every request has a timeout well inside Lambda's and the client's. */
const REQUEST_TIMEOUT_MS = 4000;

interface Snapshot {
  readonly dynamo: Readonly<Record<string, number>>;
  readonly cognito: Readonly<Record<string, number>>;
  readonly messages: number;
}

function difference(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>>): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) if (count - (before[name] ?? 0) > 0) changed[name] = count - (before[name] ?? 0);
  return changed;
}

const READS = new Set(["GetItem", "Query", "Scan", "BatchGetItem"]);
const sum = (counts: Readonly<Record<string, number>>, which: (name: string) => boolean) =>
  Object.entries(counts).reduce((total, [name, count]) => total + (which(name) ? count : 0), 0);

function costBetween(before: Snapshot, after: Snapshot): RequestCost {
  const dynamoOperations = difference(after.dynamo, before.dynamo);
  const cognitoOperations = difference(after.cognito, before.cognito);
  return {
    dynamoReads: sum(dynamoOperations, (name) => READS.has(name)),
    dynamoWrites: sum(dynamoOperations, (name) => !READS.has(name)),
    dynamoOperations,
    cognitoCalls: sum(cognitoOperations, () => true),
    cognitoOperations,
    messages: after.messages - before.messages,
  };
}

function highest(costs: readonly RequestCost[]): RequestCost {
  const top = (pick: (cost: RequestCost) => number) => Math.max(...costs.map(pick));
  const merge = (pick: (cost: RequestCost) => Readonly<Record<string, number>>) => {
    const names = new Set(costs.flatMap((cost) => Object.keys(pick(cost))));
    return Object.fromEntries([...names].sort().map((name) => [name, top((cost) => pick(cost)[name] ?? 0)]));
  };
  return {
    dynamoReads: top((cost) => cost.dynamoReads),
    dynamoWrites: top((cost) => cost.dynamoWrites),
    dynamoOperations: merge((cost) => cost.dynamoOperations),
    cognitoCalls: top((cost) => cost.cognitoCalls),
    cognitoOperations: merge((cost) => cost.cognitoOperations),
    messages: top((cost) => cost.messages),
  };
}

export async function measurePasskeyApi(
  stack: LocalStack,
  counters: Counters,
  settings: PasskeyApiSettings,
  log: (line: string) => void,
): Promise<PasskeyApiRouteResult[]> {
  const origin = stack.templateParameters["PasskeyAllowedOrigins"] ?? stack.demoUrl;
  const admin = newSignInClient(stack);
  const snapshot = (): Snapshot => ({ dynamo: counters.dynamo.counts().operations, cognito: counters.cognito.counts(), messages: stack.outbox.list().length });
  try {
    const adds = settings.warmup + settings.iterations;
    const userCount = Math.ceil(adds / ADDS_PER_USER) + 1;
    log(`  signing up and signing in ${userCount} users (one emailed code each)`);
    const run = Math.random().toString(36).slice(2, 8);
    const users = await inParallel(userCount, 8, async (index) => {
      const user = await signUpUser(admin.context, { email: `api-${run}-${index}@example.com` });
      return { userName: user.userName, accessToken: (await codeSignIn(admin.context, user, "EMAIL_OTP")).accessToken };
    });

    const call = async (route: PasskeyApiRoute, accessToken: string, options: { id?: string; body?: unknown } = {}) => {
      const { method, path } = PASSKEY_API_ROUTES[route];
      const response = await fetch(`${stack.passkeyApiUrl}${path.replace("{id}", encodeURIComponent(options.id ?? ""))}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      return { status: response.status, json: text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>) };
    };
    const optionsFor = async (accessToken: string) => {
      const answer = await call("registrationOptions", accessToken);
      if (answer.status !== 200) throw new Error(`registration-options answered ${answer.status}: ${JSON.stringify(answer.json)}`);
      return answer.json as { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };
    };

    /** Runs `request` warmup + iterations times, one at a time, timing and costing the measured ones. */
    async function measure(route: PasskeyApiRoute, expected: number, request: (index: number) => Promise<() => Promise<{ status: number }>>) {
      const latencies: number[] = [];
      const costs: RequestCost[] = [];
      for (let index = 0; index < settings.warmup + settings.iterations; index++) {
        const send = await request(index);
        const before = snapshot();
        const started = performance.now();
        const { status } = await send();
        const elapsed = performance.now() - started;
        if (status !== expected) throw new Error(`${route} answered ${status}, expected ${expected}.`);
        if (index < settings.warmup) continue;
        latencies.push(elapsed);
        costs.push(costBetween(before, snapshot()));
      }
      const signatures = new Set(costs.map((cost) => JSON.stringify(cost)));
      const { method, path } = PASSKEY_API_ROUTES[route];
      const result: PasskeyApiRouteResult = {
        route,
        name: `${method} ${path}`,
        status: expected,
        latencyMs: summarise(latencies),
        perRequest: highest(costs),
        deterministic: signatures.size === 1,
      };
      log(`  ${result.name}: p50 ${result.latencyMs.p50.toFixed(1)} ms, p99 ${result.latencyMs.p99.toFixed(1)} ms`);
      return result;
    }

    // The user who lists, renames and asks for options: two passkeys, added through the API.
    const owner = users[0]!;
    const ownPasskeys: string[] = [];
    for (const _ of [1, 2]) {
      const { challengeId, options } = await optionsFor(owner.accessToken);
      const added = await call("add", owner.accessToken, { body: { challengeId, response: createSoftAuthenticator({ origin }).register(options) } });
      ownPasskeys.push(String((added.json?.["passkey"] as { id?: unknown } | undefined)?.id));
    }

    const results: PasskeyApiRouteResult[] = [];
    log(`Bench: passkey API (${settings.iterations} requests per route after ${settings.warmup} unreported)`);
    results.push(await measure("list", 200, async () => () => call("list", owner.accessToken)));
    results.push(
      await measure(
        "rename",
        200,
        async (index) => () => call("rename", owner.accessToken, { id: ownPasskeys[index % 2]!, body: { name: `Laptop ${index}` } }),
      ),
    );
    results.push(await measure("registrationOptions", 200, async () => () => call("registrationOptions", owner.accessToken)));
    const added: { accessToken: string; id: string }[] = [];
    results.push(
      await measure("add", 201, async (index) => {
        const user = users[1 + Math.floor(index / ADDS_PER_USER)]!;
        const { challengeId, options } = await optionsFor(user.accessToken);
        const response = createSoftAuthenticator({ origin }).register(options);
        return async () => {
          const answer = await call("add", user.accessToken, { body: { challengeId, response, name: `Key ${index}` } });
          added.push({ accessToken: user.accessToken, id: String((answer.json?.["passkey"] as { id?: unknown } | undefined)?.id) });
          return answer;
        };
      }),
    );
    results.push(
      await measure("remove", 204, async (index) => {
        const passkey = added[index]!;
        return () => call("remove", passkey.accessToken, { id: passkey.id });
      }),
    );
    return results;
  } finally {
    admin.close();
  }
}
