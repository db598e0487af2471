/**
 * The local stack's HTTP API against what API Gateway documents for an HTTP API with a JWT
 * authorizer, a CorsConfiguration and Lambda proxy routes (payload format 2.0): a small fixture
 * template (fixtures/http-api) whose one function records every event it gets, in front of a
 * local pool that issues real tokens. What API Gateway refuses must never reach the function.
 * - JWT authorizer: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 *   and its troubleshooting page (401 {"message":"Unauthorized"} with www-authenticate).
 * - Payload 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * - CORS: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 * - Throttling: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { SigningKey } from "@cognito-passwordless/local/cognito/signing-key.ts";
import { type LocalHttpApi, localHttpApi } from "@cognito-passwordless/local/http-api/local-http-api.ts";
import { type HttpApiServer, MAX_PAYLOAD_BYTES, startHttpApiServer } from "@cognito-passwordless/local/http-api/server.ts";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { runBuild } from "../template/fixture-build.ts";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, claimsOf, signUp, startSignIn } from "./sign-in-helpers.ts";

const FIXTURE = join(import.meta.dirname, "fixtures", "http-api");
const APP = "https://app.example";
const DEMO = "http://localhost:3000";
const EVIL = "https://evil.example";

// biome-ignore lint/suspicious/noExplicitAny: the recorded events are API Gateway's JSON, read as each test needs.
type RecordedEvent = Record<string, any>;

describe("the local HTTP API, as API Gateway serves it", () => {
  let dir: string;
  let fake: FakePool;
  let server: HttpApiServer;
  let served: LocalHttpApi;
  let key: SigningKey;
  let eventsFile: string;
  let apiClockOffset = 0;
  /** When set, the API's clock stands at this instant (plus the offset) until the test moves it. */
  let apiClockFrozenAt: number | undefined;
  let tokens: { AccessToken: string; IdToken: string };

  before(async () => {
    // Prepare: the fixture's function built beside a copy of its template, a pool with real tokens.
    dir = mkdtempSync(join(tmpdir(), "http-api-fixture-"));
    copyFileSync(join(FIXTURE, "template.yaml"), join(dir, "template.yaml"));
    runBuild(["--functions", join(FIXTURE, "functions"), "--outdir", join(dir, "dist")]);
    eventsFile = join(dir, "events.jsonl");
    writeFileSync(eventsFile, "");
    fake = await startFakePool({ triggers: SIMPLE_FLOW, dataDir: join(dir, "pool") });
    // The pool's own signing key, to forge tokens that differ from a real one in one claim only.
    key = SigningKey.load(join(dir, "pool", "signing-key.json"));
    server = await startHttpApiServer({ host: "127.0.0.1", port: 0, now: () => (apiClockFrozenAt ?? Date.now()) + apiClockOffset });
    served = localHttpApi({
      template: readTemplate(join(dir, "template.yaml")),
      servers: {
        region: fake.pool.region,
        tableName: "unused",
        dynamoEndpoint: "http://127.0.0.1:9",
        webUrl: "http://127.0.0.1:9",
        cognitoEndpoint: fake.server.url,
        userPoolId: fake.pool.userPoolId,
        clientId: fake.pool.clientId,
      },
      issuer: fake.server.issuer,
      parameters: { EventsFile: eventsFile },
      demoOrigins: [DEMO],
      rootDir: dir,
    });
    server.serve(served);
    await signUp(fake.client, fake.pool.clientId, "api@example.com");
    const started = await startSignIn(fake.client, fake.pool.clientId, "api@example.com");
    const signedIn = await answer(fake.client, fake.pool.clientId, started.Session, "api@example.com", "42");
    tokens = { AccessToken: signedIn.AuthenticationResult!.AccessToken!, IdToken: signedIn.AuthenticationResult!.IdToken! };
  });
  after(async () => {
    await served?.close();
    await server?.close();
    await fake?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    apiClockOffset = 0;
    apiClockFrozenAt = undefined;
  });

  const events = (): RecordedEvent[] =>
    readFileSync(eventsFile, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as RecordedEvent);
  const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** The access token's claims, changed as given, signed with the pool's own key. */
  const forged = (changes: Record<string, unknown>) => key.signJwt({ ...claimsOf(tokens.AccessToken), ...changes });

  /** The request is refused by the authorizer as API Gateway refuses it, and the function never runs. */
  const assertUnauthorized = async (headers: Record<string, string>, description: RegExp) => {
    const before = events().length;
    const response = await call("/things", { headers });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { message: "Unauthorized" });
    const challenge = response.headers.get("www-authenticate") ?? "";
    assert.match(challenge, /^Bearer scope="" error="invalid_token" error_description="[^"]+"$/);
    assert.match(challenge, description);
    assert.equal(events().length, before, "the function was not invoked");
  };

  describe("the JWT authorizer refuses, before the function runs", () => {
    it("a request without a token", () => assertUnauthorized({}, /no token/));

    it("a token that is not a JWT", () => assertUnauthorized(bearer("not-a-jwt"), /malformed/));

    it("a token whose payload was changed after signing", async () => {
      const [header, , signature] = tokens.AccessToken.split(".");
      const changed = Buffer.from(JSON.stringify({ ...claimsOf(tokens.AccessToken), username: "someone-else" })).toString("base64url");
      await assertUnauthorized(bearer(`${header}.${changed}.${signature}`), /signature is invalid/);
    });

    it("a token signed by another key", () => assertUnauthorized(bearer(SigningKey.load().signJwt(claimsOf(tokens.AccessToken))), /kid matches no key/));

    it("a token that is not RSA-signed", async () => {
      const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", kid: key.kid })).toString("base64url")}.${tokens.AccessToken.split(".")[1]}.`;
      await assertUnauthorized(bearer(unsigned), /signing method none is invalid/);
    });

    it("an expired access token", async () => {
      apiClockOffset = 61 * 60 * 1000;
      await assertUnauthorized(bearer(tokens.AccessToken), /the token has expired/);
    });

    it("another app client's access token, signed by this pool", () =>
      assertUnauthorized(bearer(forged({ client_id: "anotherappclient0000000001" })), /the token does not have a valid audience/));

    it("an ID token of another app client (aud is checked, client_id is not looked at)", () =>
      assertUnauthorized(bearer(forged({ aud: "anotherappclient0000000001", client_id: fake.pool.clientId })), /valid audience/));

    it("a token of another issuer", () =>
      assertUnauthorized(bearer(forged({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" })), /valid issuer/));

    it("a token not valid yet, or issued in the future", async () => {
      const soon = Math.floor(Date.now() / 1000) + 600;
      await assertUnauthorized(bearer(forged({ nbf: soon })), /not valid yet/);
      await assertUnauthorized(bearer(forged({ iat: soon })), /issued in the future/);
    });
  });

  describe("a valid access token reaches the function with a payload format 2.0 event", () => {
    it("with the route, the request and the token's claims, every claim a string", async () => {
      // Act
      const response = await call("/things?page=2&tag=a&tag=b", {
        headers: { ...bearer(tokens.AccessToken), "User-Agent": "fidelity-test", "X-Repeated": "one", cookie: "session=abc; theme=dark" },
      });
      // Assess: the answer, as the function gave it.
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-recorded"), "yes");
      assert.deepEqual(response.headers.getSetCookie(), ["first=1; Path=/", "second=2; Path=/"]);
      assert.deepEqual(await response.json(), { env: { USER_POOL_ID: fake.pool.userPoolId, USER_POOL_CLIENT_ID: fake.pool.clientId } });
      // Assess: the event.
      const event = events().at(-1)!;
      assert.equal(event["version"], "2.0");
      assert.equal(event["routeKey"], "GET /things");
      assert.equal(event["rawPath"], "/things");
      assert.equal(event["rawQueryString"], "page=2&tag=a&tag=b");
      assert.deepEqual(event["queryStringParameters"], { page: "2", tag: "a,b" });
      assert.deepEqual(event["cookies"], ["session=abc", "theme=dark"]);
      assert.equal(event["headers"]["cookie"], undefined, "the Cookie header becomes cookies");
      assert.equal(event["headers"]["authorization"], `Bearer ${tokens.AccessToken}`);
      assert.equal(event["headers"]["x-repeated"], "one");
      assert.ok(
        Object.keys(event["headers"]).every((name) => name === name.toLowerCase()),
        "header names are lower case",
      );
      assert.equal(event["pathParameters"], undefined);
      assert.equal(event["body"], undefined);
      assert.equal(event["isBase64Encoded"], false);

      const context = event["requestContext"];
      assert.equal(context["routeKey"], "GET /things");
      assert.equal(context["stage"], "$default");
      assert.equal(context["apiId"], "thingsapi");
      assert.equal(context["accountId"], "000000000000");
      assert.equal(context["requestId"], response.headers.get("apigw-requestid"));
      assert.match(context["time"], /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
      assert.equal(typeof context["timeEpoch"], "number");
      assert.deepEqual(context["http"], { method: "GET", path: "/things", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "fidelity-test" });
      assert.equal(context["domainName"], "127.0.0.1");

      const { claims, scopes } = context["authorizer"]["jwt"];
      assert.equal(scopes, null, "the route names no scopes");
      const original = claimsOf(tokens.AccessToken);
      assert.deepEqual(Object.keys(claims).sort(), Object.keys(original).sort());
      for (const [name, value] of Object.entries(original)) assert.equal(claims[name], String(value), `claim ${name} arrives as a string`);
      assert.match(claims["auth_time"], /^\d+$/);
      assert.equal(claims["token_use"], "access");
      assert.equal(claims["client_id"], fake.pool.clientId);
    });

    it("with path parameters decoded, and a JSON body as text", async () => {
      const response = await call("/things/abc%20def", {
        method: "PATCH",
        headers: { ...bearer(tokens.AccessToken), "content-type": "application/json" },
        body: JSON.stringify({ name: "Laptop" }),
      });
      assert.equal(response.status, 200);
      const event = events().at(-1)!;
      assert.equal(event["routeKey"], "PATCH /things/{id}");
      assert.equal(event["rawPath"], "/things/abc%20def");
      assert.deepEqual(event["pathParameters"], { id: "abc def" });
      assert.equal(event["body"], '{"name":"Laptop"}');
      assert.equal(event["isBase64Encoded"], false);
    });

    it("with a body of a non-text type in base64", async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 255]);
      await call("/things/upload", { method: "POST", headers: { ...bearer(tokens.AccessToken), "content-type": "application/octet-stream" }, body: bytes });
      const event = events().at(-1)!;
      assert.equal(event["routeKey"], "POST /things/upload", "a literal segment wins over a path variable");
      assert.equal(event["isBase64Encoded"], true);
      assert.equal(event["body"], bytes.toString("base64"));
    });

    it("takes the token alone too, without the Bearer prefix", async () => {
      const response = await call("/things", { headers: { authorization: tokens.AccessToken } });
      assert.equal(response.status, 200);
    });
  });

  it("lets this client's ID token through (aud is the client id): the authorizer cannot tell it from an access token, the function must", async () => {
    const response = await call("/things", { headers: bearer(tokens.IdToken) });
    assert.equal(response.status, 200);
    const { claims } = events().at(-1)!["requestContext"]["authorizer"]["jwt"];
    assert.equal(claims["token_use"], "id");
    assert.equal(claims["aud"], fake.pool.clientId);
  });

  describe("answers of the function", () => {
    it("204 is sent without a body", async () => {
      const response = await call("/things/abc", { method: "DELETE", headers: bearer(tokens.AccessToken) });
      assert.equal(response.status, 204);
      assert.equal(await response.text(), "");
    });

    it("a function that throws is API Gateway's 500", async () => {
      const response = await call("/things/fail", { method: "POST", headers: bearer(tokens.AccessToken) });
      assert.equal(response.status, 500);
      assert.deepEqual(await response.json(), { message: "Internal Server Error" });
      assert.equal(events().at(-1)!["routeKey"], "POST /things/fail", "the function ran");
    });

    it("JSON without a statusCode is sent as a 200 application/json answer; a route without an authorizer takes no token", async () => {
      const response = await call("/public");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      assert.deepEqual(await response.json(), { public: true });
      assert.equal(events().at(-1)!["requestContext"]["authorizer"], undefined);
    });
  });

  describe("what API Gateway answers itself", () => {
    it("no route for the method and path: 404 Not Found, nothing invoked", async () => {
      const before = events().length;
      for (const [method, path] of [
        ["GET", "/nothing"],
        ["PUT", "/things"],
        ["GET", "/things/"],
        ["GET", "/things/a/b"],
      ] as const) {
        const response = await call(path, { method, headers: bearer(tokens.AccessToken) });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.deepEqual(await response.json(), { message: "Not Found" });
      }
      assert.equal(events().length, before);
    });

    it("a payload over 10 MB: 413, nothing invoked", async () => {
      const before = events().length;
      const response = await call("/things/upload", {
        method: "POST",
        headers: { ...bearer(tokens.AccessToken), "content-type": "application/octet-stream" },
        body: Buffer.alloc(MAX_PAYLOAD_BYTES + 1),
      });
      assert.equal(response.status, 413);
      assert.equal(events().length, before);
    });
  });

  describe("CORS, as the CorsConfiguration says", () => {
    const preflight = (origin: string) =>
      call("/things/abc", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "PATCH", "access-control-request-headers": "authorization,content-type" },
      });

    it("answers a preflight from an allowed origin itself, without a token and without the function", async () => {
      const before = events().length;
      for (const origin of [APP, "https://admin.app.example", DEMO]) {
        const response = await preflight(origin);
        assert.equal(response.status, 204);
        assert.equal(response.headers.get("access-control-allow-origin"), origin);
        assert.equal(response.headers.get("access-control-allow-methods"), "GET,PATCH,DELETE,POST");
        assert.equal(response.headers.get("access-control-allow-headers"), "authorization,content-type");
        assert.equal(response.headers.get("access-control-max-age"), "600");
      }
      assert.equal(events().length, before);
    });

    it("gives a preflight from any other origin no CORS headers", async () => {
      const response = await preflight(EVIL);
      assert.equal(response.status, 204);
      assert.deepEqual(
        [...response.headers.keys()].filter((name) => name.startsWith("access-control-")),
        [],
      );
    });

    it("adds allow-origin to the function's answers for an allowed origin, in place of the function's own CORS headers", async () => {
      const allowed = await call("/things", { headers: { ...bearer(tokens.AccessToken), origin: APP } });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get("access-control-allow-origin"), APP);
      const other = await call("/things", { headers: { ...bearer(tokens.AccessToken), origin: EVIL } });
      assert.equal(other.status, 200);
      assert.equal(other.headers.get("access-control-allow-origin"), null, "the function's own allow-origin is dropped");
    });

    it("adds allow-origin to the authorizer's 401 too, so the page can read why", async () => {
      const response = await call("/things", { headers: { origin: APP } });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("access-control-allow-origin"), APP);
    });
  });

  describe("throttling, as the route settings say", () => {
    // GET /limited: burst 3 (its event's RouteSettings), rate 2 a second (the API's RouteSettings).
    const limited = (headers: Record<string, string> = {}) => call("/limited", { headers });

    it("answers requests beyond the burst itself with 429 Too Many Requests, without invoking the function", async () => {
      // Prepare: a clock that stands still, so no token comes back during the test.
      apiClockFrozenAt = Date.now();
      const before = events().length;
      // Act
      const statuses: number[] = [];
      for (let index = 0; index < 5; index++) statuses.push((await limited()).status);
      const refused = await limited({ origin: APP });
      // Assess
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal(refused.status, 429);
      assert.deepEqual(await refused.json(), { message: "Too Many Requests" });
      assert.match(refused.headers.get("content-type") ?? "", /^application\/json$/);
      assert.equal(refused.headers.get("access-control-allow-origin"), APP, "a page can read the 429");
      assert.equal(events().length - before, 3, "only the admitted requests reached the function");
    });

    it("admits again as the bucket refills at the rate limit", async () => {
      apiClockFrozenAt = Date.now() + 60_000; // A minute after the last test: the bucket is full again.
      for (let index = 0; index < 3; index++) assert.equal((await limited()).status, 200);
      assert.equal((await limited()).status, 429);
      apiClockOffset = 499;
      assert.equal((await limited()).status, 429, "just under one token after 499 ms at 2 a second");
      apiClockOffset = 500;
      assert.equal((await limited()).status, 200, "one token after 500 ms");
      assert.equal((await limited()).status, 429);
    });

    it("never throttles a preflight, and throttles one route without touching another", async () => {
      apiClockFrozenAt = Date.now() + 120_000;
      for (let index = 0; index < 3; index++) await limited();
      assert.equal((await limited()).status, 429);
      const preflight = await call("/limited", { method: "OPTIONS", headers: { origin: APP, "access-control-request-method": "GET" } });
      assert.equal(preflight.status, 204);
      assert.equal((await call("/public")).status, 200, "another route has its own bucket");
    });
  });
});
