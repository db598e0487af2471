/**
 * Reads the API Gateway event (HTTP API, payload format 2.0) the passkey API's function receives,
 * once, at the boundary: which route, the path's id and the authorizer's claims
 * (readHttpApiEvent), and, once the caller is known, the body's JSON (readJsonBody). The event is
 * untrusted in its body and, defensively, in its shape: a field of the wrong type is a refusal
 * value, never a TypeError further in.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { PASSKEY_API_ROUTES, type PasskeyApiRoute } from "@cognito-passwordless/protocol";
import { type ApiRefusal, refusal } from "./api-refusal.ts";

/**
 * A registration response is under 4 KiB with "none" attestation (lib/passkey/parse-answer.ts
 * takes up to 16 KiB); a name is 64 characters. 32 KiB leaves room for both and keeps a hostile
 * body from costing a parse.
 */
export const MAX_BODY_BYTES = 32 * 1024;

/** Claim values API Gateway passes are short strings; anything longer is no claim of Cognito's. */
const MAX_CLAIM_CHARS = 2048;
const MAX_CLAIMS = 100;

export interface ApiRequest {
  readonly route: PasskeyApiRoute;
  /** `pathParameters.id` as sent: the routes that take one check it (lib/api/credential-id.ts). */
  readonly id: string | undefined;
  /** The JWT authorizer's claims (API Gateway passes them as strings; numbers are made strings here). */
  readonly claims: Readonly<Record<string, string>>;
  /** The browser's user agent: names a passkey added without a name, as enrolment in a sign-in does. */
  readonly userAgent: string | undefined;
}

export type ReadEvent = { readonly ok: true; readonly request: ApiRequest } | { readonly ok: false; readonly refusal: ApiRefusal };

const ROUTE_OF_KEY: ReadonlyMap<string, PasskeyApiRoute> = new Map(
  (Object.entries(PASSKEY_API_ROUTES) as [PasskeyApiRoute, { method: string; path: string }][]).map(([route, { method, path }]) => [
    `${method} ${path}`,
    route,
  ]),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(what: string): ReadEvent {
  return { ok: false, refusal: refusal("invalid_request", "event_malformed", `The request is not an API Gateway HTTP API event: ${what}.`) };
}

/** The authorizer's claims; absent ones make an empty map, which the caller check then refuses. */
function readClaims(requestContext: Record<string, unknown>): Record<string, string> {
  const authorizer = requestContext["authorizer"];
  const jwt = isRecord(authorizer) ? authorizer["jwt"] : undefined;
  const claims = isRecord(jwt) ? jwt["claims"] : undefined;
  const read = Object.create(null) as Record<string, string>;
  if (!isRecord(claims)) return read;
  for (const [name, value] of Object.entries(claims).slice(0, MAX_CLAIMS)) {
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
    if (typeof text === "string" && text.length <= MAX_CLAIM_CHARS) read[name] = text;
  }
  return read;
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
function isJsonMediaType(contentType: unknown): boolean {
  return typeof contentType === "string" && contentType.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** The body's JSON, undefined when there is none. */
export type ReadJsonBody = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly refusal: ApiRefusal };

/**
 * The body's JSON: over 32 KiB is 413 (measured before any decoding or parsing), anything but
 * JSON sent as `application/json` is 400. Read only for a caller already known, so an
 * unauthorized request is answered 401 whatever its body.
 */
export function readJsonBody(event: unknown): ReadJsonBody {
  if (!isRecord(event)) return { ok: true, body: undefined };
  const headers = isRecord(event["headers"]) ? event["headers"] : {};
  const read = readBodyText(event);
  if (!read.ok) return read;
  const { text } = read;
  if (text === undefined) return { ok: true, body: undefined };
  if (!isJsonMediaType(headers["content-type"])) {
    return { ok: false, refusal: refusal("invalid_request", "content_type_not_json", "The body must be JSON, sent with content-type: application/json.") };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, refusal: refusal("invalid_request", "body_not_json", "The body is not valid JSON.") };
  }
}

const TOO_LARGE: ApiRefusal = Object.freeze(refusal("payload_too_large", "body_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes.`));

/** The body as text, undefined when there is none; over 32 KiB is refused before any decoding. */
function readBodyText(
  event: Record<string, unknown>,
): { readonly ok: true; readonly text: string | undefined } | { readonly ok: false; readonly refusal: ApiRefusal } {
  const raw = event["body"];
  if (raw === undefined || raw === null || raw === "") return { ok: true, text: undefined };
  if (typeof raw !== "string") return { ok: false, refusal: refusal("invalid_request", "event_malformed", "The body is not text.") };
  let text = raw;
  if (event["isBase64Encoded"] === true) {
    // Measured before decoding: base64 is 4 characters for 3 bytes.
    if (Math.floor((raw.length * 3) / 4) > MAX_BODY_BYTES + 2) return { ok: false, refusal: TOO_LARGE };
    text = Buffer.from(raw, "base64").toString("utf8");
  }
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) return { ok: false, refusal: TOO_LARGE };
  return { ok: true, text };
}

/** For a route that reads no body: only its size is judged (413 over 32 KiB), never its content. */
export function bodyTooLarge(event: unknown): ApiRefusal | undefined {
  if (!isRecord(event)) return undefined;
  const read = readBodyText(event);
  return read.ok || read.refusal !== TOO_LARGE ? undefined : read.refusal;
}

export function readHttpApiEvent(event: unknown): ReadEvent {
  if (!isRecord(event)) return malformed("it is not an object");
  const routeKey = event["routeKey"];
  if (typeof routeKey !== "string") return malformed("routeKey is missing");
  const route = ROUTE_OF_KEY.get(routeKey);
  // API Gateway sends only the template's routes; anything else was not meant for this function.
  if (route === undefined) return { ok: false, refusal: refusal("not_found", "route_unknown", "There is no such route.") };
  const requestContext = isRecord(event["requestContext"]) ? event["requestContext"] : {};
  const headers = isRecord(event["headers"]) ? event["headers"] : {};
  const pathParameters = isRecord(event["pathParameters"]) ? event["pathParameters"] : {};
  const id = pathParameters["id"];
  const http = isRecord(requestContext["http"]) ? requestContext["http"] : {};
  const userAgent = http["userAgent"] ?? headers["user-agent"];
  return {
    ok: true,
    request: {
      route,
      id: typeof id === "string" ? id : undefined,
      claims: readClaims(requestContext),
      userAgent: typeof userAgent === "string" && userAgent !== "" ? userAgent : undefined,
    },
  };
}
