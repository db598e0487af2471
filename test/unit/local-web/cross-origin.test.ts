/**
 * Which origins may read what the local web server holds. The outbox shows one-time codes, and the
 * SES/SNS receivers put messages into it: only the demo page's own origin (the server's address,
 * or the localhost / 127.0.0.1 alias of the same port) may read or write them from a browser, so a
 * page the developer happens to visit while `npm start` runs cannot collect codes or plant
 * messages. Requests without an Origin (tests, curl, the SDK in the triggers) are not browsers and
 * keep working. /config.json stays readable from any origin: it holds only public identifiers.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import type { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { WebServer } from "@cognito-passwordless/local/web/server.ts";
import { TEST_CONFIG, startTestWebServer } from "./web-server-fixture.ts";

const EVIL = "https://evil.example";
const CODE = "Your code is 987654";

/** A raw request, for headers fetch will not let a caller choose (Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "GET", headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

describe("the local web server across origins", () => {
  let server: WebServer;
  let outbox: Outbox;
  let port: string;
  /** The origins the demo page has: the server's own URL and the localhost alias people open. */
  let demoOrigins: string[];

  before(async () => {
    ({ server, outbox } = await startTestWebServer());
    port = new URL(server.url).port;
    demoOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    outbox.add({ channel: "email", to: "victim@example.com", subject: "Code", body: CODE, sentAt: "2026-01-01T10:00:00.000Z" });
  });
  after(() => server.close());

  describe("GET /outbox", () => {
    it("refuses a page from another site outright, with no CORS answer and no codes", async () => {
      const response = await fetch(`${server.url}/outbox`, { headers: { origin: EVIL } });
      assert.equal(response.status, 403);
      assert.equal(response.headers.get("access-control-allow-origin"), null);
      assert.doesNotMatch(await response.text(), /987654/);
    });

    it("refuses other local origins too: another port, the opaque origin null", async () => {
      for (const origin of ["http://localhost:5173", `http://localhost:${Number(port) + 1}`, `https://localhost:${port}`, "null"]) {
        const response = await fetch(`${server.url}/outbox`, { headers: { origin } });
        assert.equal(response.status, 403, origin);
        assert.equal(response.headers.get("access-control-allow-origin"), null, origin);
        await response.body?.cancel();
      }
    });

    it("answers the demo page's origin, under either of its names, with CORS for that origin only", async () => {
      for (const origin of demoOrigins) {
        const response = await fetch(`${server.url}/outbox`, { headers: { origin } });
        assert.equal(response.status, 200, origin);
        assert.equal(response.headers.get("access-control-allow-origin"), origin);
        assert.match(response.headers.get("vary") ?? "", /origin/i);
        assert.match(await response.text(), /987654/);
      }
    });

    it("answers a request without an Origin (same-origin GET, curl, tests) as before", async () => {
      const response = await fetch(`${server.url}/outbox`);
      assert.equal(response.status, 200);
      const messages = (await response.json()) as { body: string }[];
      assert.equal(messages.at(-1)?.body, CODE);
      const head = await fetch(`${server.url}/outbox`, { method: "HEAD" });
      assert.equal(head.status, 200);
    });

    it("refuses a request naming another host (DNS rebinding: evil.example resolved to 127.0.0.1)", async () => {
      const rebound = await rawGet(`${server.url}/outbox`, { host: `evil.example:${port}` });
      assert.equal(rebound.status, 403);
      assert.doesNotMatch(rebound.body, /987654/);
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
        const own = await rawGet(`${server.url}/outbox`, { host });
        assert.equal(own.status, 200, host);
        assert.match(own.body, /987654/);
      }
    });
  });

  describe("a CORS preflight for /outbox", () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/outbox`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "content-type" },
      });

    it("from another origin gets no allow headers", async () => {
      for (const origin of [EVIL, "http://localhost:5173"]) {
        const response = await preflight(origin);
        assert.notEqual(response.status, 200);
        assert.notEqual(response.status, 204);
        for (const header of ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"]) {
          assert.equal(response.headers.get(header), null, `${origin}: ${header}`);
        }
        await response.body?.cancel();
      }
    });

    it("from the demo page's origin is allowed, for that origin", async () => {
      for (const origin of demoOrigins) {
        const response = await preflight(origin);
        assert.equal(response.status, 204);
        assert.equal(response.headers.get("access-control-allow-origin"), origin);
        assert.match(response.headers.get("access-control-allow-methods") ?? "", /GET/);
      }
    });
  });

  describe("the SES and SNS receivers", () => {
    // What a foreign page can send without CORS: a form post, which the browser sends with its Origin.
    const formPost = (path: string, body: string, origin?: string) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(origin === undefined ? {} : { origin }) },
        body,
      });
    const sesForm = new URLSearchParams({
      Action: "SendEmail",
      Version: "2010-12-01",
      Source: "attacker@evil.example",
      "Destination.ToAddresses.member.1": "victim@example.com",
      "Message.Subject.Data": "Your code",
      "Message.Body.Text.Data": "Your code is 000000",
    }).toString();
    const snsForm = new URLSearchParams({ Action: "Publish", Version: "2010-03-31", PhoneNumber: "+15550100199", Message: "Your code is 000000" }).toString();

    it("refuse a form posted from another origin, and the outbox is unchanged", async () => {
      const before = outbox.list().length;
      for (const [path, body] of [
        ["/aws/ses", sesForm],
        ["/aws/sns", snsForm],
      ] as const) {
        const response = await formPost(path, body, EVIL);
        assert.equal(response.status, 403, path);
        assert.equal(response.headers.get("access-control-allow-origin"), null);
        await response.body?.cancel();
      }
      assert.equal(outbox.list().length, before);
    });

    it("still take the SDK's requests, which carry no Origin", async () => {
      const before = outbox.list().length;
      const ses = await formPost("/aws/ses", sesForm);
      assert.equal(ses.status, 200);
      await ses.body?.cancel();
      const sns = await formPost("/aws/sns", snsForm);
      assert.equal(sns.status, 200);
      await sns.body?.cancel();
      assert.equal(outbox.list().length, before + 2);
    });
  });

  describe("GET /config.json", () => {
    it("stays readable from any origin: it holds only the public ids an app ships anyway", async () => {
      const response = await fetch(`${server.url}/config.json`, { headers: { origin: EVIL } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(await response.json(), TEST_CONFIG);
    });
  });

  describe("the demo page's files", () => {
    it("are served as before, with no CORS headers", async () => {
      const response = await fetch(`${server.url}/`, { headers: { origin: EVIL } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), null);
      await response.body?.cancel();
    });
  });

  it("names the origins the demo page may call from", () => {
    assert.deepEqual([...((server as WebServer & { origins?: readonly string[] }).origins ?? [])].sort(), [...demoOrigins].sort());
  });
});
