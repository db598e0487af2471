/**
 * A stand-in for `fetch` against the passkey API: records each request (method, URL, headers,
 * parsed body) and answers from a queue with what the API or API Gateway would send.
 */
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import type { Fetch } from "../../src/passkey-api-request.ts";

export const API_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com";
export const ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.access.token";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A reply to queue: a Response, or an error fetch rejects with (no HTTP answer). */
export type FakeReply = Response | Error;

export function fakePasskeyApi(...replies: FakeReply[]) {
  const requests: RecordedRequest[] = [];
  const fetch: Fetch = async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : init.body;
    requests.push({ method: init.method ?? "GET", url: input, headers, body });
    const reply = replies.shift();
    if (reply === undefined) throw new Error("The fake passkey API has no reply queued.");
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch, requests, replies };
}

/** A JSON answer, as the function gives them. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A refusal by the function: `{ error, message }`. */
export const refusal = (status: number, error: string, message = `${error} from the passkey API`) => json(status, { error, message });

/** What API Gateway's JWT authorizer answers for a refused token: no `error` field. */
export const gatewayUnauthorized = () =>
  json(401, { message: "Unauthorized" }, { "www-authenticate": 'Bearer scope="" error="invalid_token" error_description="the token has expired"' });

export const noContent = () => new Response(null, { status: 204 });

export function passkey(overrides: Partial<PasskeySummary> = {}): PasskeySummary {
  return {
    id: "Y3JlZC1waG9uZQ",
    name: "Jane's phone",
    createdAt: "2026-11-30T09:00:00.000Z",
    lastUsedAt: "2026-12-01T09:30:00.000Z",
    backedUp: true,
    transports: ["internal", "hybrid"],
    authenticator: "Google Password Manager",
    ...overrides,
  };
}
