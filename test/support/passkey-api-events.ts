/**
 * API Gateway events (HTTP API, payload format 2.0) for the passkey API's routes, of the shape API
 * Gateway sends behind a JWT authorizer: the route key, the path's id, lower-case headers, the
 * verified token's claims as strings, and the body as text. A public route (no authorizer) has
 * neither an Authorization header nor `requestContext.authorizer`, unless claims are given. The tests and
 * scripts/generate-events.ts build events here instead of copying JSON.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { PASSKEY_API_ROUTES, type PasskeyApiRoute, isPublicPasskeyApiRoute } from "@cognito-passwordless/protocol";
import { CLIENT_ID, USER_NAME } from "@cognito-passwordless/test-kit/events.ts";

export { CLIENT_ID as API_CLIENT_ID, USER_NAME as API_USER_NAME };

/** The claims of a Cognito access token as the authorizer passes them on (every value a string). */
export function accessTokenClaims(
  options: { userName?: string; clientId?: string; authTime?: number; tokenUse?: string; sub?: string } = {},
): Record<string, string> {
  const authTime = options.authTime ?? Math.floor(Date.UTC(2026, 0, 15, 9, 0, 0) / 1000);
  return {
    sub: options.sub ?? options.userName ?? USER_NAME,
    iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01",
    client_id: options.clientId ?? CLIENT_ID,
    origin_jti: "b6a7c1d2-3e4f-4a5b-8c9d-0e1f2a3b4c5d",
    event_id: "0f1e2d3c-4b5a-4968-8776-655443322110",
    token_use: options.tokenUse ?? "access",
    scope: "aws.cognito.signin.user.admin",
    auth_time: String(authTime),
    exp: String(authTime + 3600),
    iat: String(authTime),
    jti: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    username: options.userName ?? USER_NAME,
  };
}

/** An ID token's claims: what the authorizer lets through too, since its `aud` is the app client. */
export function idTokenClaims(options: { userName?: string; authTime?: number } = {}): Record<string, string> {
  const { client_id: clientId, username, scope: _scope, ...rest } = accessTokenClaims(options);
  return { ...rest, aud: clientId ?? CLIENT_ID, token_use: "id", "cognito:username": username ?? USER_NAME, email: "jane.doe@example.com" };
}

export interface PasskeyApiEventOptions {
  /** The authorizer's claims; accessTokenClaims() by default. */
  readonly claims?: Record<string, string>;
  /** `{id}` of the routes that take one. */
  readonly id?: string;
  /** JSON-encoded unless a string is given as it is. */
  readonly body?: unknown;
  readonly base64?: boolean;
  readonly headers?: Record<string, string>;
  readonly timeEpoch?: number;
}

/** The payload 2.0 event API Gateway gives the function for one request on `route`. */
export function passkeyApiEvent(route: PasskeyApiRoute, options: PasskeyApiEventOptions = {}) {
  const { method, path } = PASSKEY_API_ROUTES[route];
  const rawPath = options.id === undefined ? path : path.replace("{id}", options.id);
  const text = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const userAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
  const timeEpoch = options.timeEpoch ?? Date.UTC(2026, 0, 15, 9, 2, 0);
  const authorized = options.claims !== undefined || !isPublicPasskeyApiRoute(route);
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath,
    rawQueryString: "",
    headers: {
      accept: "application/json",
      ...(authorized ? { authorization: "Bearer eyJraWQiOiJleGFtcGxlIiwiYWxnIjoiUlMyNTYifQ.e30.c2lnbmF0dXJl" } : {}),
      host: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
      origin: "https://example.com",
      "user-agent": userAgent,
      ...(text === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }),
      ...options.headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3d4e5",
      ...(authorized ? { authorizer: { jwt: { claims: options.claims ?? accessTokenClaims(), scopes: null } } } : {}),
      domainName: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "a1b2c3d4e5",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.10", userAgent },
      requestId: "Q2h1bmtzT2ZSZXF1ZXN0SWQ=",
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: new Date(timeEpoch).toUTCString(),
      timeEpoch,
    },
    ...(options.id === undefined ? {} : { pathParameters: { id: options.id } }),
    ...(text === undefined ? {} : { body: options.base64 === true ? Buffer.from(text).toString("base64") : text }),
    isBase64Encoded: options.base64 === true,
  };
}
