/**
 * API Gateway's payload format 2.0 for Lambda proxy integrations of HTTP APIs: the event a route's
 * function receives, and how its answer becomes the HTTP response ("Create AWS Lambda proxy
 * integrations for HTTP APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * - header names lower case, repeated headers joined with commas; the Cookie header becomes `cookies`;
 *   repeated query parameters joined with commas; `pathParameters`, `queryStringParameters`,
 *   `cookies` and `body` only when there are some;
 * - a JWT authorizer's claims under requestContext.authorizer.jwt, every value a string (numbers
 *   and booleans as text, lists as "[a b]", as API Gateway flattens them), `scopes` null unless the
 *   route names scopes;
 * - the body as text for text types (text/*, JSON, XML, JavaScript), otherwise base64 with
 *   isBase64Encoded: true;
 * - the answer: `{ statusCode, headers, cookies, body, isBase64Encoded }`; valid JSON without a
 *   statusCode is sent as it is, 200 application/json; anything else is the function's failure.
 */
import { randomBytes } from "node:crypto";
import type { HttpApiRoute } from "./api-definition.ts";
import type { RouteMatch } from "./route-matching.ts";

/** The parts of an HTTP request the event is built from. */
export interface ApiRequest {
  readonly method: string;
  /** The path as received, not decoded. */
  readonly rawPath: string;
  /** Without the "?". */
  readonly rawQueryString: string;
  /** Names lower case, repeated values joined with ","; no Cookie header (see cookies). */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** e.g. HTTP/1.1 */
  readonly protocol: string;
}

export interface ApiContext {
  readonly accountId: string;
  readonly apiId: string;
  readonly requestId: string;
  /** Epoch milliseconds of the request. */
  readonly timeEpoch: number;
}

export interface JwtAuthorization {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly scopes: readonly string[];
}

/** API Gateway's request ids look like "Mc7UVioPPHcEKPA=" (the apigw-requestid header). */
export function newRequestId(): string {
  return randomBytes(11).toString("base64");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** requestContext.time: "12/Mar/2020:19:03:58 +0000". */
export function requestTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** A claim value as the authorizer hands it on: always a string. */
export function claimText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(claimText).join(" ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Whether API Gateway passes a body of this content type as text (else base64). */
export function isTextContent(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type.startsWith("text/") || /^[a-z]+\/([a-z0-9.+-]+\+)?(json|xml)$/.test(type) || type === "application/javascript";
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  const joined: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) joined[name] = name in joined ? `${joined[name]},${value}` : value;
  return joined;
}

function routeAuthorizer(route: HttpApiRoute, authorization: JwtAuthorization | undefined): Record<string, unknown> {
  if (route.authorizer === undefined || authorization === undefined) return {};
  const claims = Object.fromEntries(Object.entries(authorization.claims).map(([name, value]) => [name, claimText(value)]));
  return { authorizer: { jwt: { claims, scopes: route.authorizationScopes.length === 0 ? null : [...authorization.scopes] } } };
}

/** The payload format 2.0 event for a request that reached `match`'s route. */
export function payloadV2Event(request: ApiRequest, match: RouteMatch, context: ApiContext, authorization?: JwtAuthorization): Record<string, unknown> {
  const { route } = match;
  const host = request.headers["host"] ?? "";
  const domainName = host.replace(/:\d+$/, "");
  const hasBody = request.body.length > 0;
  const asText = isTextContent(request.headers["content-type"]);
  const query = queryParameters(request.rawQueryString);
  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(request.cookies.length === 0 ? {} : { cookies: [...request.cookies] }),
    headers: { ...request.headers },
    ...(query === undefined ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      ...routeAuthorizer(route, authorization),
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: request.headers["user-agent"] ?? "",
      },
      requestId: context.requestId,
      routeKey: route.routeKey,
      stage: "$default",
      time: requestTime(context.timeEpoch),
      timeEpoch: context.timeEpoch,
    },
    ...(Object.keys(match.pathParameters).length === 0 ? {} : { pathParameters: { ...match.pathParameters } }),
    ...(hasBody ? { body: asText ? request.body.toString("utf8") : request.body.toString("base64") } : {}),
    isBase64Encoded: hasBody && !asText,
  };
}

export interface ApiResponse {
  readonly statusCode: number;
  /** Names lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Each becomes a set-cookie header. */
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The HTTP response for the function's answer (its JSON text), or undefined when API Gateway could not read it (its 500). */
export function responseFromOutput(output: string): ApiResponse | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(output);
  } catch {
    return undefined;
  }
  if (!isRecord(answer) || answer["statusCode"] === undefined) {
    return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: [], body: Buffer.from(output) };
  }
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded } = answer;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (!isRecord(headers) || !Array.isArray(cookies) || (body !== undefined && body !== null && typeof body !== "string")) return undefined;
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return undefined;
    text[name.toLowerCase()] = String(value);
  }
  const content = typeof body === "string" ? body : "";
  return {
    statusCode,
    headers: text,
    cookies: cookies.map(String),
    body: isBase64Encoded === true ? Buffer.from(content, "base64") : Buffer.from(content, "utf8"),
  };
}
