/**
 * An HTTP API's CorsConfiguration applied as API Gateway applies it ("Configure CORS for HTTP APIs
 * in API Gateway", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html):
 * - API Gateway answers a preflight (OPTIONS with Origin and Access-Control-Request-Method) itself,
 *   "even if there isn't an OPTIONS route", and without running any authorizer;
 * - to every other request with an Origin it allows, it adds the configured headers, and it
 *   "ignores CORS headers returned from your backend integration";
 * - an origin it does not allow gets no CORS headers, so the browser keeps the answer from the page.
 */
import type { CorsConfiguration } from "./api-definition.ts";

/** Whether `origin` is one of AllowOrigins: exact, "*", or a pattern with a "*" such as https://*.example.com. */
export function originAllowed(cors: CorsConfiguration, origin: string): boolean {
  return cors.allowOrigins.some((allowed) => {
    if (allowed === "*") return true;
    if (!allowed.includes("*")) return allowed.toLowerCase() === origin.toLowerCase();
    const pattern = allowed
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]*");
    return new RegExp(`^${pattern}$`, "i").test(origin);
  });
}

/** The allow-origin value for `origin`: "*" when every origin is allowed (and credentials are not), else the origin itself. */
function allowOriginValue(cors: CorsConfiguration, origin: string): string {
  return cors.allowOrigins.includes("*") && !cors.allowCredentials ? "*" : origin;
}

/** Whether a request is a CORS preflight that API Gateway answers itself. */
export function isPreflight(method: string, headers: Readonly<Record<string, string>>): boolean {
  return method === "OPTIONS" && headers["origin"] !== undefined && headers["access-control-request-method"] !== undefined;
}

/** The headers of the 204 answer to a preflight: the configured ones for an allowed origin, none otherwise. */
export function preflightHeaders(cors: CorsConfiguration, origin: string): Record<string, string> {
  if (!originAllowed(cors, origin)) return {};
  return {
    "access-control-allow-origin": allowOriginValue(cors, origin),
    ...(cors.allowMethods.length === 0 ? {} : { "access-control-allow-methods": cors.allowMethods.join(",") }),
    ...(cors.allowHeaders.length === 0 ? {} : { "access-control-allow-headers": cors.allowHeaders.join(",") }),
    ...(cors.maxAgeSeconds === undefined ? {} : { "access-control-max-age": String(cors.maxAgeSeconds) }),
    ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
  };
}

/** The headers API Gateway adds to an actual response for a request from `origin` (none when it sent no Origin or one not allowed). */
export function responseCorsHeaders(cors: CorsConfiguration | undefined, origin: string | undefined): Record<string, string> {
  if (cors === undefined || origin === undefined || !originAllowed(cors, origin)) return {};
  return {
    "access-control-allow-origin": allowOriginValue(cors, origin),
    ...(cors.exposeHeaders.length === 0 ? {} : { "access-control-expose-headers": cors.exposeHeaders.join(",") }),
    ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
  };
}
