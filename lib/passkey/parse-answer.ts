/**
 * Turns the ANSWER string of a passkey round into WebAuthn's response JSON, once, at the boundary.
 * Only the fields WebAuthn defines are kept; anything else in the answer is dropped.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { PasskeyRejection } from "./passkey-results.ts";

/**
 * An assertion is well under 2 KiB and a "none" attestation under 4 KiB; 16 KiB leaves room for
 * long RSA keys and extensions while keeping a hostile answer from costing a parse.
 */
export const MAX_ANSWER_BYTES = 16 * 1024;

/** WebAuthn allows credential ids up to 1023 bytes, which is 1364 base64url characters. */
const MAX_CREDENTIAL_ID_CHARS = 1364;
const MAX_TRANSPORTS = 8;
const MAX_TRANSPORT_CHARS = 32;

export type ParsedAnswer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: Extract<PasskeyRejection, "malformed_answer" | "answer_too_large"> };

const MALFORMED = { ok: false, reason: "malformed_answer" } as const;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBase64Url(value: unknown, maxChars = MAX_ANSWER_BYTES): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxChars && /^[A-Za-z0-9_-]+={0,2}$/.test(value);
}

function readJson(answer: unknown): ParsedAnswer<JsonObject> {
  if (typeof answer !== "string") return MALFORMED;
  // Measured before parsing: the size check is what keeps JSON.parse cheap.
  if (Buffer.byteLength(answer, "utf8") > MAX_ANSWER_BYTES) return { ok: false, reason: "answer_too_large" };
  let value: unknown;
  try {
    value = JSON.parse(answer);
  } catch {
    return MALFORMED;
  }
  return isObject(value) ? { ok: true, value } : MALFORMED;
}

/** null is how some clients say "not reported". */
function readAttachment(value: unknown): "platform" | "cross-platform" | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  return value === "platform" || value === "cross-platform" ? value : "invalid";
}

/** The fields both ceremonies share: id, rawId, type, attachment, extension results. */
function readCredentialFields(value: JsonObject) {
  const { id, rawId, type, authenticatorAttachment, clientExtensionResults, response } = value;
  if (!isBase64Url(id, MAX_CREDENTIAL_ID_CHARS) || !isBase64Url(rawId, MAX_CREDENTIAL_ID_CHARS) || type !== "public-key") return undefined;
  const attachment = readAttachment(authenticatorAttachment);
  if (attachment === "invalid") return undefined;
  if (clientExtensionResults !== undefined && !isObject(clientExtensionResults)) return undefined;
  if (!isObject(response)) return undefined;
  return {
    common: {
      id,
      rawId,
      type,
      // Some clients omit it; WebAuthn's JSON always has it, so an absent one is an empty one.
      clientExtensionResults: clientExtensionResults ?? {},
      ...(attachment === undefined ? {} : { authenticatorAttachment: attachment }),
    },
    response,
  } as const;
}

export function parseAuthenticationAnswer(answer: unknown): ParsedAnswer<AuthenticationResponseJSON> {
  const json = readJson(answer);
  if (!json.ok) return json;
  const fields = readCredentialFields(json.value);
  if (fields === undefined) return MALFORMED;
  const { clientDataJSON, authenticatorData, signature, userHandle } = fields.response;
  if (!isBase64Url(clientDataJSON) || !isBase64Url(authenticatorData) || !isBase64Url(signature)) return MALFORMED;
  // An empty or null user handle is how some clients say "none".
  if (userHandle !== undefined && userHandle !== null && userHandle !== "" && !isBase64Url(userHandle)) return MALFORMED;
  return {
    ok: true,
    value: {
      ...fields.common,
      response: { clientDataJSON, authenticatorData, signature, ...(isBase64Url(userHandle) ? { userHandle } : {}) },
    },
  };
}

export function parseRegistrationAnswer(answer: unknown): ParsedAnswer<RegistrationResponseJSON> {
  const json = readJson(answer);
  if (!json.ok) return json;
  const fields = readCredentialFields(json.value);
  if (fields === undefined) return MALFORMED;
  const { clientDataJSON, attestationObject, transports } = fields.response;
  if (!isBase64Url(clientDataJSON) || !isBase64Url(attestationObject)) return MALFORMED;
  if (transports !== undefined && !isTransportList(transports)) return MALFORMED;
  return {
    ok: true,
    value: {
      ...fields.common,
      response: { clientDataJSON, attestationObject, ...(transports === undefined ? {} : { transports: [...new Set(transports)] }) },
    },
  };
}

function isTransportList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_TRANSPORTS &&
    value.every((transport) => typeof transport === "string" && /^[a-z-]{1,32}$/.test(transport) && transport.length <= MAX_TRANSPORT_CHARS)
  );
}
