/**
 * One call to the passkey API: the route from PASSKEY_API_ROUTES against the base URL, the
 * caller's access token as `Authorization: Bearer`, a JSON body, and every answer that is not
 * 2xx (or no answer at all) thrown as this client's typed error (map-passkey-api-refusal.ts).
 */
import { PASSKEY_API_ROUTES, type PasskeyApiRoute } from "@cognito-passwordless/protocol";
import { UnexpectedResponseError } from "./errors.ts";
import { mapPasskeyApiRefusal } from "./map-passkey-api-refusal.ts";
import { NotSignedInError, PasskeyApiUnavailableError } from "./passkey-manager-errors.ts";

/** The access token of the signed-in user (sync or async); undefined or "" when nobody is signed in. */
export type AccessTokenGetter = () => string | undefined | Promise<string | undefined>;

/** `fetch` as the client calls it: the platform's by default. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface PasskeyApi {
  readonly baseUrl: string;
  readonly accessToken: AccessTokenGetter;
  readonly fetch: Fetch;
}

export interface PasskeyApiCall {
  readonly route: PasskeyApiRoute;
  /** The `{id}` of the path (rename, remove). */
  readonly id?: string | undefined;
  readonly body?: Readonly<Record<string, unknown>> | undefined;
}

/** A 2xx answer: its parsed JSON body (undefined when it has none, as 204 has) and the route, for messages. */
export interface PasskeyApiReply {
  readonly body: unknown;
  /** `METHOD path`. */
  readonly route: string;
}

export async function callPasskeyApi(api: PasskeyApi, call: PasskeyApiCall): Promise<PasskeyApiReply> {
  const { method, path } = PASSKEY_API_ROUTES[call.route];
  const route = `${method} ${path}`;
  const token = await api.accessToken();
  if (typeof token !== "string" || token === "") throw new NotSignedInError(false);
  const url = api.baseUrl + (call.id === undefined ? path : path.replace("{id}", encodeURIComponent(call.id)));
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await api.fetch(url, { method, headers, ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }) });
  } catch (error) {
    // fetch rejects (a TypeError) only when no HTTP answer could be read: offline, DNS, CORS.
    throw new PasskeyApiUnavailableError(undefined, { cause: error });
  }
  const body = await readJson(response);
  if (!response.ok) {
    const name = typeof call.body?.["name"] === "string" ? call.body["name"] : undefined;
    throw mapPasskeyApiRefusal(response.status, body === INVALID_JSON ? undefined : body, { route, id: call.id, name });
  }
  if (body === INVALID_JSON) throw new UnexpectedResponseError(`The passkey API answered ${route} with HTTP ${response.status} and a body that is not JSON.`);
  return { body, route };
}

export const INVALID_JSON = Symbol("invalid JSON");

/** The body as JSON, undefined when empty, INVALID_JSON when it is something else. */
export async function readJson(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return INVALID_JSON;
  }
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

/** The base URL without a trailing slash, or a TypeError naming what it should be. */
export function passkeyApiBaseUrl(apiUrl: unknown, factory: string, option = "apiUrl"): string {
  let url: URL | undefined;
  try {
    url = new URL(String(apiUrl));
  } catch {
    url = undefined;
  }
  if (typeof apiUrl !== "string" || url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "") {
    throw new TypeError(
      `${factory}: ${option} must be the passkey API's base URL (the stack's PasskeyApiUrl output), such as https://abc123.execute-api.eu-west-1.amazonaws.com.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}
