/**
 * readHttpApiEvent and readJsonBody: API Gateway's payload 2.0 event read once into the route, the
 * path's id, the claims and the body's JSON; whatever is not that becomes a refusal value, never
 * an exception.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PASSKEY_API_ROUTES, type PasskeyApiRoute } from "@cognito-passwordless/protocol";
import { MAX_BODY_BYTES, readHttpApiEvent, readJsonBody } from "../../../lib/api/http-api-event.ts";
import { accessTokenClaims, passkeyApiEvent } from "../../support/passkey-api-events.ts";

function refusalOf(event: unknown) {
  const read = readHttpApiEvent(event);
  assert.equal(read.ok, false, "refused");
  return read.ok ? undefined : { error: read.refusal.error, reason: read.refusal.reason };
}

function requestOf(event: unknown) {
  const read = readHttpApiEvent(event);
  assert.ok(read.ok, read.ok ? "" : read.refusal.reason);
  return read.request;
}

function bodyOf(event: unknown): unknown {
  const read = readJsonBody(event);
  assert.ok(read.ok, read.ok ? "" : read.refusal.reason);
  return read.body;
}

function bodyRefusalOf(event: unknown) {
  const read = readJsonBody(event);
  assert.equal(read.ok, false, "refused");
  return read.ok ? undefined : { error: read.refusal.error, reason: read.refusal.reason };
}

describe("reading the HTTP API event", () => {
  for (const route of Object.keys(PASSKEY_API_ROUTES) as PasskeyApiRoute[]) {
    it(`the route key "${PASSKEY_API_ROUTES[route].method} ${PASSKEY_API_ROUTES[route].path}" is the ${route} route`, () => {
      assert.equal(requestOf(passkeyApiEvent(route, { id: "Y3JlZA" })).route, route);
    });
  }

  it("reads the path's id, the claims as strings and the user agent, and the body's JSON", () => {
    const event = passkeyApiEvent("rename", { id: "Y3JlZGVudGlhbA", body: { name: "Laptop" } });
    const claims = event.requestContext.authorizer!.jwt.claims as Record<string, unknown>;
    claims["auth_time"] = 1768467600;
    const request = requestOf(event);
    assert.equal(request.id, "Y3JlZGVudGlhbA");
    assert.deepEqual(bodyOf(event), { name: "Laptop" });
    assert.equal(request.claims["auth_time"], "1768467600", "a number claim is read as API Gateway's string form");
    assert.equal(request.claims["token_use"], "access");
    assert.match(request.userAgent ?? "", /Safari/);
  });

  it("decodes a base64 body", () => {
    assert.deepEqual(bodyOf(passkeyApiEvent("rename", { id: "eA", body: { name: "Ünïcode" }, base64: true })), { name: "Ünïcode" });
  });

  it("has no body when there is none, or it is empty", () => {
    assert.equal(bodyOf(passkeyApiEvent("list")), undefined);
    assert.equal(bodyOf({ ...passkeyApiEvent("registrationOptions"), body: "" }), undefined);
  });

  it("takes content-type application/json with parameters, in any case", () => {
    const event = passkeyApiEvent("rename", { id: "eA", body: { name: "a" }, headers: { "content-type": "Application/JSON; charset=utf-8" } });
    assert.deepEqual(bodyOf(event), { name: "a" });
  });

  it("a body over 32 KiB is 413, measured in bytes, before any parse, base64 or not", () => {
    const just = "x".repeat(MAX_BODY_BYTES - 2);
    assert.equal(bodyOf(passkeyApiEvent("rename", { id: "eA", body: `"${just}"` })), just, "exactly 32 KiB is taken");
    const over = { error: "payload_too_large", reason: "body_too_large" };
    assert.deepEqual(bodyRefusalOf(passkeyApiEvent("rename", { id: "eA", body: `"${just}x"` })), over);
    assert.deepEqual(bodyRefusalOf(passkeyApiEvent("rename", { id: "eA", body: `"${"é".repeat(MAX_BODY_BYTES / 2)}"` })), over, "é is two bytes");
    assert.deepEqual(bodyRefusalOf(passkeyApiEvent("add", { body: `"${just}x"`, base64: true })), over);
    assert.deepEqual(bodyRefusalOf(passkeyApiEvent("list", { body: "x".repeat(MAX_BODY_BYTES + 1) })), over, "on every route");
  });

  it("a body that is not JSON, or not sent as JSON, is 400 invalid_request", () => {
    assert.deepEqual(bodyRefusalOf(passkeyApiEvent("rename", { id: "eA", body: "{name:" })), { error: "invalid_request", reason: "body_not_json" });
    assert.deepEqual(bodyRefusalOf(passkeyApiEvent("add", { body: { a: 1 }, headers: { "content-type": "text/plain" } })), {
      error: "invalid_request",
      reason: "content_type_not_json",
    });
    const noType = passkeyApiEvent("add", { body: { a: 1 } }) as { headers: Record<string, string> };
    delete noType.headers["content-type"];
    assert.deepEqual(bodyRefusalOf(noType), { error: "invalid_request", reason: "content_type_not_json" });
  });

  it("a route the template does not declare is 404, and what is no API Gateway event is 400", () => {
    assert.deepEqual(refusalOf({ ...passkeyApiEvent("list"), routeKey: "PUT /passkeys" }), { error: "not_found", reason: "route_unknown" });
    assert.deepEqual(refusalOf({ ...passkeyApiEvent("list"), routeKey: "$default" }), { error: "not_found", reason: "route_unknown" });
    for (const event of [null, "GET /passkeys", [], {}, { routeKey: 7 }]) {
      assert.deepEqual(refusalOf(event), { error: "invalid_request", reason: "event_malformed" }, JSON.stringify(event));
    }
    assert.deepEqual(bodyRefusalOf({ ...passkeyApiEvent("rename", { id: "eA" }), body: { name: "x" } }), {
      error: "invalid_request",
      reason: "event_malformed",
    });
  });

  it("claims of the wrong type or too long are dropped; no authorizer means no claims", () => {
    const event = passkeyApiEvent("list", { claims: { ...accessTokenClaims(), weird: "x".repeat(3000) } });
    const claims = event.requestContext.authorizer!.jwt.claims as Record<string, unknown>;
    claims["groups"] = ["a", "b"];
    claims["nested"] = { a: 1 };
    const read = requestOf(event).claims;
    assert.equal(read["weird"], undefined);
    assert.equal(read["groups"], undefined);
    assert.equal(read["nested"], undefined);
    assert.equal(read["username"], accessTokenClaims().username);
    const { requestContext, ...rest } = passkeyApiEvent("list");
    assert.deepEqual(Object.keys(requestOf({ ...rest, requestContext: { ...requestContext, authorizer: undefined } }).claims), []);
    assert.deepEqual(Object.keys(requestOf(rest).claims), []);
  });

  it("a prototype-polluting claim name stays a plain claim", () => {
    const event = passkeyApiEvent("list");
    const claims = requestOf(JSON.parse(JSON.stringify(event).replace('"username"', '"__proto__":"polluted","username"'))).claims;
    assert.equal(Object.getPrototypeOf(claims), null);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  });
});
