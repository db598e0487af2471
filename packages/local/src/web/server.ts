/**
 * The local stack's web server (port 3000 by default): the demo page, the configuration an app
 * needs to reach the local pool and the passkey API (GET /config.json), the outbox (GET /outbox), and the local
 * SES and SNS receivers the triggers send through (AWS_ENDPOINT_URL_SES=<url>/aws/ses,
 * AWS_ENDPOINT_URL_SNS=<url>/aws/sns). node:http only: nothing here needs a framework.
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Outbox } from "../outbox/outbox.ts";
import type { QueryReply } from "../outbox/query-protocol.ts";
import { answerSesRequest } from "../outbox/ses-query.ts";
import { answerSnsRequest } from "../outbox/sns-query.ts";
import { demoAsset, prepareDemoBundle } from "./demo-assets.ts";
import { isOwnHost, ownOrigins } from "./own-origins.ts";

export interface LocalConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  cognitoEndpoint: string;
  issuer: string;
  jwksUri: string;
  /** The passkey API's base URL (the template's HTTP API, served by the local stack), no trailing slash. */
  passkeyApiUrl: string;
  /** Present when the pool federates with an IdP: where /oauth2/* are and the provider to name. */
  federation?: { hostedUiUrl: string; identityProvider: string };
}

export interface WebServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  outbox: Outbox;
  config: LocalConfig;
}

export interface WebServer {
  /** Where the server listens, e.g. http://127.0.0.1:3000 (no trailing slash). */
  url: string;
  /**
   * The origins the demo page can have: `url` and its localhost / 127.0.0.1 alias (own-origins.ts).
   * Only these may read the outbox from a browser; the stack gives them to the Cognito endpoint,
   * which answers its admin operations to them alone.
   */
  origins: readonly string[];
  close(): Promise<void>;
}

/** SES's own limit for a raw message is 10 MB (40 MB with v2); nothing the suite sends comes close. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const QUERY_RECEIVERS: Record<string, (body: string) => QueryReply> = {
  "/aws/ses": answerSesRequest,
  "/aws/sns": answerSnsRequest,
};

export function startWebServer(options: WebServerOptions): Promise<WebServer> {
  // Known once the server listens (port 0 in tests); no request arrives before that.
  let origins: readonly string[] = [];
  const server = createServer((request, response) => {
    route(request, response, options, origins).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, `The local web server failed: ${describe(error)}`);
      else response.destroy();
    });
  });
  prepareDemoBundle();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      const url = `http://${host}:${port}`;
      origins = ownOrigins(url);
      resolve({
        url,
        origins,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Browsers and SDK clients keep connections alive; don't let them hold the stop.
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * Who may use each route from a browser. What a page may do across origins is decided by the CORS
 * headers of the answer, so every route states its own:
 * - /outbox holds one-time codes, and /aws/ses, /aws/sns write into it: browsers only from the demo
 *   page's own origins (`origins`), see `refusal` below; other origins get 403 and no CORS headers.
 * - /config.json: any origin, see there.
 * - the demo page's files: no CORS headers (nothing to read across origins; same-origin needs none).
 * Requests without an Origin header (curl, tests, the SDK in the triggers) are not from a page
 * and are answered as they always were.
 */
async function route(request: IncomingMessage, response: ServerResponse, options: WebServerOptions, origins: readonly string[]): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const method = request.method ?? "GET";

  // The SDK appends "/" to an endpoint that has a path: AWS_ENDPOINT_URL_SES=…/aws/ses posts to /aws/ses/.
  const receiver = QUERY_RECEIVERS[path.replace(/\/$/, "")];
  if (receiver !== undefined) {
    if (method !== "POST") return sendText(response, 405, "The local SES and SNS receivers take POST requests from the AWS SDK.", { allow: "POST" });
    // The query protocol is a plain form post, which any page can send without asking CORS: so a
    // page from elsewhere could plant "codes" in the developer's outbox. The SDK sends no Origin.
    const refused = refusal(request, origins);
    if (refused !== undefined)
      return sendText(response, 403, `The local SES and SNS receivers take requests from the AWS SDK, not from ${refused}.`, { vary: "origin" });
    const reply = receiver(await readBody(request));
    for (const message of reply.messages) options.outbox.add(message);
    response.writeHead(reply.status, { "content-type": "text/xml", "x-amzn-requestid": reply.requestId });
    response.end(reply.xml);
    return;
  }

  if (path === "/config.json") {
    // Open to every origin, as before: an app's own dev server (say http://localhost:5173) reads
    // the local pool's ids here. Nothing in it is secret: region, pool id, app client id (a public
    // client, no secret), endpoint, issuer and JWKS address ship in every web app's bundle against
    // a real pool, and they grant nothing the endpoint does not already answer any origin.
    if (method === "OPTIONS") return sendCorsPreflight(response, "*");
    if (method !== "GET" && method !== "HEAD") return sendText(response, 405, `${path} is read-only.`, { allow: "GET" });
    return sendJson(response, options.config, method === "HEAD", "*");
  }

  if (path === "/outbox") {
    // Refused outright, not merely left without CORS headers: the browser would still send a
    // page's GET (it only hides the answer), and a preflight from elsewhere must allow nothing.
    // The demo page reads the outbox same-origin (no Origin header on a GET), so this breaks nothing.
    const refused = refusal(request, origins);
    if (refused !== undefined)
      return sendText(response, 403, `The outbox answers only the demo page (${origins.join(", ")}), not ${refused}.`, { vary: "origin" });
    const origin = request.headers.origin;
    if (method === "OPTIONS") return sendCorsPreflight(response, origin);
    if (method !== "GET" && method !== "HEAD") return sendText(response, 405, `${path} is read-only.`, { allow: "GET" });
    return sendJson(response, options.outbox.list(), method === "HEAD", origin);
  }

  const asset = demoAsset(path);
  if (asset !== undefined && (method === "GET" || method === "HEAD")) {
    const { contentType, body } = await asset;
    response.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
    response.end(method === "HEAD" ? undefined : body);
    return;
  }
  sendText(response, 404, `Nothing at ${path}. Try / (the demo), /config.json or /outbox.`);
}

/**
 * Why a request to a route holding codes or changing them is refused, or undefined when it is
 * not: it comes from a page of another origin (a browser always sends Origin on a cross-origin
 * fetch, a preflight and a form post), or names another host (a re-pointed DNS name, whose pages
 * the browser counts as same-origin and whose GETs carry no Origin).
 */
function refusal(request: IncomingMessage, origins: readonly string[]): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && !origins.includes(origin)) return "a page from another origin";
  if (!isOwnHost(request.headers.host, origins)) return "a request for another host";
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`the request body is over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * The CORS headers of an answer readable from `allowOrigin` ("*" for any origin, one origin for the
 * demo page's own), or none when it is undefined (no Origin: no browser reading across origins).
 */
function corsHeaders(allowOrigin: string | undefined): Record<string, string> {
  if (allowOrigin === undefined) return {};
  return {
    "access-control-allow-origin": allowOrigin,
    "access-control-allow-methods": "GET, HEAD, OPTIONS",
    "access-control-allow-headers": "content-type",
    // An answer for one origin must not be reused for another by a cache.
    ...(allowOrigin === "*" ? {} : { vary: "origin" }),
  };
}

function sendCorsPreflight(response: ServerResponse, allowOrigin: string | undefined): void {
  response.writeHead(204, { ...corsHeaders(allowOrigin), ...(allowOrigin === undefined ? {} : { "access-control-max-age": "600" }) });
  response.end();
}

function sendJson(response: ServerResponse, value: unknown, headOnly: boolean, allowOrigin: string | undefined): void {
  const body = JSON.stringify(value);
  response.writeHead(200, {
    ...corsHeaders(allowOrigin),
    ...(allowOrigin === "*" ? {} : { vary: "origin" }),
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    // Never run as a script by a page that loads it with <script src> (no CORS needed for that).
    "x-content-type-options": "nosniff",
    "content-length": Buffer.byteLength(body),
  });
  response.end(headOnly ? undefined : body);
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(`${text}\n`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
