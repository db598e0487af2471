/**
 * The local stack's web server (port 3000 by default): the demo page, the configuration an app
 * needs to reach the local pool (GET /config.json), the outbox (GET /outbox), and the local
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

export interface LocalConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  cognitoEndpoint: string;
  issuer: string;
  jwksUri: string;
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
  close(): Promise<void>;
}

/** SES's own limit for a raw message is 10 MB (40 MB with v2); nothing the suite sends comes close. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const QUERY_RECEIVERS: Record<string, (body: string) => QueryReply> = {
  "/aws/ses": answerSesRequest,
  "/aws/sns": answerSnsRequest,
};

export function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
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
      resolve({
        url: `http://${host}:${port}`,
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

async function route(request: IncomingMessage, response: ServerResponse, options: WebServerOptions): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const method = request.method ?? "GET";

  // The SDK appends "/" to an endpoint that has a path: AWS_ENDPOINT_URL_SES=…/aws/ses posts to /aws/ses/.
  const receiver = QUERY_RECEIVERS[path.replace(/\/$/, "")];
  if (receiver !== undefined) {
    if (method !== "POST") return sendText(response, 405, "The local SES and SNS receivers take POST requests from the AWS SDK.", { allow: "POST" });
    const reply = receiver(await readBody(request));
    for (const message of reply.messages) options.outbox.add(message);
    response.writeHead(reply.status, { "content-type": "text/xml", "x-amzn-requestid": reply.requestId });
    response.end(reply.xml);
    return;
  }

  if (path === "/config.json" || path === "/outbox") {
    if (method === "OPTIONS") return sendCorsPreflight(response);
    if (method !== "GET" && method !== "HEAD") return sendText(response, 405, `${path} is read-only.`, { allow: "GET" });
    return sendJson(response, path === "/config.json" ? options.config : options.outbox.list(), method === "HEAD");
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

/** Open to every origin: an app's own dev server may read the pool's ids and the outbox. */
const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "content-type",
};

function sendCorsPreflight(response: ServerResponse): void {
  response.writeHead(204, { ...CORS_HEADERS, "access-control-max-age": "600" });
  response.end();
}

function sendJson(response: ServerResponse, value: unknown, headOnly: boolean): void {
  const body = JSON.stringify(value);
  response.writeHead(200, {
    ...CORS_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
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
