import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { WebServer } from "@cognito-passwordless/local/web/server.ts";
import { TEST_CONFIG, startTestWebServer } from "./web-server-fixture.ts";

describe("the local web server", () => {
  let server: WebServer;
  let outbox: Outbox;

  before(async () => {
    ({ server, outbox } = await startTestWebServer());
  });
  after(() => server.close());

  it("listens on the loopback address it was given, on a free port", () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.url, "http://127.0.0.1:0");
  });

  it("GET /config.json answers the pool's configuration, readable from any origin", async () => {
    const response = await fetch(`${server.url}/config.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await response.json(), TEST_CONFIG);
  });

  it("GET /outbox answers every message sent, newest last", async () => {
    outbox.add({ channel: "email", to: "older@example.com", subject: "Code", body: "Your code is 111111", sentAt: "2026-01-01T10:00:00.000Z" });
    outbox.add({ channel: "sms", to: "+15550100100", body: "Your code is 222222", sentAt: "2026-01-01T10:01:00.000Z" });
    const response = await fetch(`${server.url}/outbox`);
    assert.equal(response.status, 200);
    // Not "*": the codes are for the demo page alone (cross-origin.test.ts); with no Origin, no CORS at all.
    assert.equal(response.headers.get("access-control-allow-origin"), null);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.deepEqual(await response.json(), [
      { channel: "email", to: "older@example.com", subject: "Code", body: "Your code is 111111", sentAt: "2026-01-01T10:00:00.000Z" },
      { channel: "sms", to: "+15550100100", body: "Your code is 222222", sentAt: "2026-01-01T10:01:00.000Z" },
    ]);
  });

  it("answers a CORS preflight for the outbox from the demo page's origin, and not from an app's dev server", async () => {
    const demo = `http://localhost:${new URL(server.url).port}`;
    const response = await fetch(`${server.url}/outbox`, {
      method: "OPTIONS",
      headers: { origin: demo, "access-control-request-method": "GET" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), demo);
    assert.match(response.headers.get("access-control-allow-methods") ?? "", /GET/);
    const other = await fetch(`${server.url}/outbox`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "GET" },
    });
    assert.equal(other.status, 403);
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    await other.body?.cancel();
  });

  it("GET / serves the demo page, which loads its stylesheet and script", async () => {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const html = await response.text();
    assert.match(html, /<title>Passwordless sign-in for Amazon Cognito/);
    assert.match(html, /<script type="module" src="\/demo.js">/);
    assert.match(html, /<link rel="stylesheet" href="\/styles.css">/);
    const css = await fetch(`${server.url}/styles.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
  });

  it("GET /demo.js serves the demo bundled for the browser with the SDK's Cognito client", async () => {
    const response = await fetch(`${server.url}/demo.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/javascript/);
    const script = await response.text();
    assert.match(script, /AWSCognitoIdentityProviderService/);
    assert.match(script, /RespondToAuthChallenge/);
    assert.doesNotMatch(script, /\bfrom\s*["']node:/, "no Node built-ins reach the browser");
  });

  it("answers 404 with a pointer to what exists, and 405 to a write on a read-only path", async () => {
    const missing = await fetch(`${server.url}/nope`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Try \/ \(the demo\), \/config.json or \/outbox/);
    const write = await fetch(`${server.url}/outbox`, { method: "POST", body: "[]" });
    assert.equal(write.status, 405);
    const read = await fetch(`${server.url}/aws/ses`);
    assert.equal(read.status, 405);
  });

  it("stops listening when closed", async () => {
    const { server: other } = await startTestWebServer();
    await other.close();
    await assert.rejects(fetch(`${other.url}/outbox`));
  });
});
