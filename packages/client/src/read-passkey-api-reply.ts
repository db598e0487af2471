/**
 * The passkey API's successful bodies, parsed once at the boundary into the protocol's types;
 * anything else is an UnexpectedResponseError naming what was wrong. Dates stay the ISO 8601
 * strings the API gives.
 */
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { UnexpectedResponseError } from "./errors.ts";
import type { PasskeyApiReply } from "./passkey-api-request.ts";

/** What `POST /passkeys/registration-options` answers. */
export interface RegistrationOptionsReply {
  readonly challengeId: string;
  readonly options: PublicKeyCredentialCreationOptionsJSON;
}

type Fields = Readonly<Record<string, unknown>>;

const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string";

/** `{ passkeys: PasskeySummary[] }`. */
export function readPasskeyList({ body, route }: PasskeyApiReply): PasskeySummary[] {
  const passkeys = isFields(body) ? body["passkeys"] : undefined;
  if (!Array.isArray(passkeys)) throw unexpected(route, "has no passkeys array");
  return passkeys.map((passkey, index) => readPasskeySummary(passkey, `${route} passkeys[${index}]`));
}

/** `{ passkey: PasskeySummary }`. */
export function readPasskeyReply({ body, route }: PasskeyApiReply): PasskeySummary {
  return readPasskeySummary(isFields(body) ? body["passkey"] : undefined, `${route} passkey`);
}

/** `{ challengeId, options }`: only what the browser needs to start is checked; it checks the rest. */
export function readRegistrationOptions({ body, route }: PasskeyApiReply): RegistrationOptionsReply {
  if (!isFields(body)) throw unexpected(route, "is not a JSON object");
  const { challengeId, options } = body;
  if (typeof challengeId !== "string" || challengeId === "") throw unexpected(route, "has no challengeId");
  if (!isFields(options) || typeof options["challenge"] !== "string" || !isFields(options["rp"]) || !isFields(options["user"])) {
    throw unexpected(route, "has no PublicKeyCredentialCreationOptionsJSON in options");
  }
  return { challengeId, options: options as unknown as PublicKeyCredentialCreationOptionsJSON };
}

function readPasskeySummary(value: unknown, where: string): PasskeySummary {
  if (!isFields(value)) throw unexpected(where, "is not a passkey");
  const { id, name, createdAt, lastUsedAt, backedUp, transports, authenticator } = value;
  if (!isText(id) || !isText(name) || !isText(createdAt) || typeof backedUp !== "boolean") throw unexpected(where, "lacks id, name, createdAt or backedUp");
  if (!Array.isArray(transports) || !transports.every(isText)) throw unexpected(where, "has no transports list");
  if ((lastUsedAt !== undefined && !isText(lastUsedAt)) || (authenticator !== undefined && !isText(authenticator))) {
    throw unexpected(where, "has a lastUsedAt or authenticator that is not text");
  }
  return {
    id,
    name,
    createdAt,
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
    backedUp,
    transports,
    ...(authenticator === undefined ? {} : { authenticator }),
  };
}

function unexpected(where: string, what: string): UnexpectedResponseError {
  return new UnexpectedResponseError(`The passkey API's answer to ${where} ${what}.`);
}
