/**
 * One HTTP API of template.yaml served as API Gateway serves it: CORS preflights answered by the
 * gateway itself (cors.ts), the route picked (route-matching.ts), the JWT authorizer run before
 * anything else (jwt-authorizer.ts), then the route's function invoked with a payload format 2.0
 * event and its answer sent back (payload-v2.ts). What API Gateway answers itself, it answers
 * with its own bodies: 404 {"message":"Not Found"} for no route, 401 {"message":"Unauthorized"}
 * (with www-authenticate) for a refused token, 413 {"message":"Request Entity Too Large"} over
 * its 10 MB payload quota, 429 {"message":"Too Many Requests"} for a route whose token bucket is
 * empty (route-throttle.ts; checked before the authorizer, so a flood of bad tokens is throttled
 * too, and never for a preflight, which the gateway answers before any route), 500 {"message":"Internal Server Error"} when the function failed or
 * answered something unreadable. node:http only.
 * Quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpApiDefinition, JwtAuthorizer } from "./api-definition.ts";
import { isPreflight, preflightHeaders, responseCorsHeaders } from "./cors.ts";
import { JwtAuthorizerEmulation } from "./jwt-authorizer.ts";
import { type ApiRequest, type ApiResponse, newRequestId, payloadV2Event, responseFromOutput } from "./payload-v2.ts";
import { matchRoute } from "./route-matching.ts";
import { RouteThrottle } from "./route-throttle.ts";

/** API Gateway's HTTP API payload quota: 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface HttpApiServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The clock (milliseconds) the authorizer checks exp, nbf and iat against and the routes' token buckets refill by; default Date.now. */
  readonly now?: (() => number) | undefined;
  /**
   * Whether the routes' throttling (DefaultRouteSettings, RouteSettings) is applied; default true.
   * The bench turns it off: it measures the functions under load, not API Gateway's limits.
   */
  readonly throttling?: boolean | undefined;
}

/** What the server serves: one API, and how its functions run. */
export interface ServedApi {
  readonly api: HttpApiDefinition;
  /** requestContext.apiId and accountId of the events. */
  readonly apiId: string;
  readonly accountId: string;
  /**
   * Runs a route's function (by logical id) with the event: resolves to its answer as JSON text,
   * rejects when it threw or overran its timeout.
   */
  readonly invoke: (functionId: string, event: Record<string, unknown>) => Promise<string>;
}

export interface HttpApiServer {
  /** e.g. http://127.0.0.1:9231, no trailing slash: the API's base URL (stage $default). */
  readonly url: string;
  /**
   * Installs the API (the stack does so once the servers its functions call are up, and the
   * template parameters its CORS origins come from are known). Until then every route is 404.
   */
  serve(served: ServedApi): void;
  close(): Promise<void>;
}

const NO_API: ServedApi = {
  api: { logicalId: "none", cors: undefined, routes: [] },
  apiId: "none",
  accountId: "000000000000",
  invoke: () => Promise.reject(new Error("no function")),
};

/** Header names lower case and repeated headers joined with ",", as the event has them; cookies apart. */
function requestHeaders(request: IncomingMessage): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!.toLowerCase();
    const value = request.rawHeaders[index + 1]!;
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((cookie) => cookie.trim())
          .filter((cookie) => cookie !== ""),
      );
    } else {
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
  }
  return { headers, cookies };
}

/** The body, or undefined when it is over the payload quota (the rest is read and dropped, so the 413 can be sent). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks);
}

function sendGatewayJson(response: ServerResponse, status: number, message: string, headers: Record<string, string>): void {
  const body = JSON.stringify({ message });
  response.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/** Headers a function may not set on API Gateway's answer: framing is the gateway's, and with CORS configured so are the CORS headers. */
function integrationHeaders(answer: ApiResponse, dropCors: boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name === "content-length" || name === "transfer-encoding" || name === "connection") continue;
    if (dropCors && name.startsWith("access-control-")) continue;
    kept[name] = value;
  }
  return kept;
}

export function startHttpApiServer(options: HttpApiServerOptions): Promise<HttpApiServer> {
  let served = NO_API;
  const now = options.now ?? Date.now;
  const authorizers = new Map<JwtAuthorizer, JwtAuthorizerEmulation>();
  const authorizerFor = (config: JwtAuthorizer) => {
    const known = authorizers.get(config);
    if (known !== undefined) return known;
    const authorizer = new JwtAuthorizerEmulation(config, now);
    authorizers.set(config, authorizer);
    return authorizer;
  };
  const throttle = new RouteThrottle(now);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // One API for the whole request, even if serve() installs another meanwhile.
    const current = served;
    const { api } = current;
    const timeEpoch = Date.now();
    const requestId = newRequestId();
    const method = (request.method ?? "GET").toUpperCase();
    const target = request.url ?? "/";
    const queryAt = target.indexOf("?");
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? "" : target.slice(queryAt + 1);
    const { headers, cookies } = requestHeaders(request);
    const gateway = { "apigw-requestid": requestId, ...responseCorsHeaders(api.cors, headers["origin"]) };

    if (api.cors !== undefined && isPreflight(method, headers)) {
      request.resume();
      response.writeHead(204, { "apigw-requestid": requestId, ...preflightHeaders(api.cors, headers["origin"]!) });
      response.end();
      return;
    }
    const body = await readBody(request);
    if (body === undefined) return sendGatewayJson(response, 413, "Request Entity Too Large", gateway);
    const match = matchRoute(api.routes, method, rawPath);
    if (match === undefined) return sendGatewayJson(response, 404, "Not Found", gateway);

    const { route } = match;
    // The 429 carries the CORS headers the route's answers get, as the 401 and 404 here do: API
    // Gateway's CORS page says it adds them to integration responses and is silent on its own
    // answers; without them a page could not tell a throttled request from a CORS failure.
    if (options.throttling !== false && route.throttle !== undefined && !throttle.admit(route.routeKey, route.throttle))
      return sendGatewayJson(response, 429, "Too Many Requests", gateway);
    let authorization: { claims: Readonly<Record<string, unknown>>; scopes: readonly string[] } | undefined;
    if (route.authorizer !== undefined) {
      const decision = await authorizerFor(route.authorizer).authorize({ headers, query: new URLSearchParams(rawQueryString) }, route.authorizationScopes);
      if (!decision.ok) {
        return sendGatewayJson(response, decision.status, decision.status === 403 ? "Forbidden" : "Unauthorized", {
          ...gateway,
          "www-authenticate": decision.challenge,
        });
      }
      authorization = decision;
    }

    const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "";
    const apiRequest: ApiRequest = {
      method,
      rawPath,
      rawQueryString,
      headers: {
        ...headers,
        // What API Gateway adds on its way to the integration.
        "x-forwarded-for": headers["x-forwarded-for"] === undefined ? sourceIp : `${headers["x-forwarded-for"]}, ${sourceIp}`,
        "x-forwarded-port": String(request.socket.localPort ?? ""),
        "x-forwarded-proto": "http",
        "x-amzn-trace-id": headers["x-amzn-trace-id"] ?? `Root=1-${Math.floor(timeEpoch / 1000).toString(16)}-${randomBytes(12).toString("hex")}`,
      },
      cookies,
      body,
      sourceIp,
      protocol: `HTTP/${request.httpVersion}`,
    };
    const event = payloadV2Event(apiRequest, match, { accountId: current.accountId, apiId: current.apiId, requestId, timeEpoch }, authorization);
    let answer: ApiResponse | undefined;
    try {
      answer = responseFromOutput(await current.invoke(route.functionId, event));
    } catch (error) {
      console.error(`[http-api] ${route.routeKey}: ${route.functionId} failed: ${(error as { message?: unknown })?.message ?? String(error)}`);
      answer = undefined;
    }
    if (answer === undefined) return sendGatewayJson(response, 500, "Internal Server Error", gateway);
    const noBody = answer.statusCode === 204 || answer.statusCode === 304 || answer.statusCode < 200;
    response.writeHead(answer.statusCode, {
      ...integrationHeaders(answer, api.cors !== undefined),
      ...gateway,
      ...(answer.cookies.length === 0 ? {} : { "set-cookie": [...answer.cookies] }),
      ...(noBody ? {} : { "content-length": answer.body.length }),
    });
    response.end(noBody ? undefined : answer.body);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error("[http-api] a request failed:", error);
      if (!response.headersSent) sendGatewayJson(response, 500, "Internal Server Error", {});
      else response.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        serve: (api) => {
          served = api;
          authorizers.clear();
          throttle.clear();
        },
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
