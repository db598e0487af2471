/**
 * The JSON bodies the passkey API takes, read into types once (STYLE, convention 10). Unknown
 * fields are ignored, as in every JSON API a client may be newer than; a field of the wrong type
 * is `400 invalid_request`.
 */
import { type ApiRefusal, refusal } from "./api-refusal.ts";
import { PASSKEY_NAME_RULE, checkPasskeyName } from "./passkey-name.ts";

export interface RenameBody {
  readonly name: string;
}

export interface AddBody {
  readonly challengeId: string;
  /** RegistrationResponseJSON as the browser gave it; lib/passkey/parse-answer.ts reads it. */
  readonly response: Record<string, unknown>;
  readonly name?: string | undefined;
}

export type ReadBody<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly refusal: ApiRefusal };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(message: string): ReadBody<never> {
  return { ok: false, refusal: refusal("invalid_request", "body_invalid", message) };
}

function readName(value: unknown): { readonly ok: true; readonly name: string } | { readonly ok: false; readonly refusal: ApiRefusal } {
  const checked = checkPasskeyName(value);
  if (checked.ok) return checked;
  return { ok: false, refusal: refusal("invalid_request", checked.reason, PASSKEY_NAME_RULE) };
}

/** `PATCH /passkeys/{id}`: `{ name }`. */
export function readRenameBody(body: unknown): ReadBody<RenameBody> {
  if (!isRecord(body)) return invalid("The body should be a JSON object: { name }.");
  const name = readName(body["name"]);
  return name.ok ? { ok: true, body: { name: name.name } } : name;
}

/** `POST /passkeys`: `{ challengeId, response, name? }`. */
export function readAddBody(body: unknown): ReadBody<AddBody> {
  if (!isRecord(body)) return invalid("The body should be a JSON object: { challengeId, response, name? }.");
  const { challengeId, response, name } = body;
  if (typeof challengeId !== "string" || challengeId === "") return invalid("challengeId should be the id registration-options gave.");
  if (!isRecord(response)) return invalid("response should be the RegistrationResponseJSON of navigator.credentials.create().");
  if (name === undefined || name === null) return { ok: true, body: { challengeId, response } };
  const checked = readName(name);
  return checked.ok ? { ok: true, body: { challengeId, response, name: checked.name } } : checked;
}
