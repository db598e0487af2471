/**
 * Reads a challenge's public parameters (all strings, as Cognito passes them) into the typed
 * round they describe, once, at the boundary: a missing or malformed parameter is an
 * UnexpectedResponseError naming it, never a half-read round.
 */
import { type CodeMethod, PUBLIC_PARAMETERS as P, type SignInMethod, isCodeMethod, isRound, isSignInMethod } from "@cognito-passwordless/protocol";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { UnexpectedResponseError } from "./errors.ts";

/** A round's parameters, typed. */
export type RoundParameters =
  | {
      readonly round: "SELECT_METHOD";
      readonly methods: readonly SignInMethod[];
      readonly passkeyOptions: PublicKeyCredentialRequestOptionsJSON | undefined;
    }
  | { readonly round: CodeMethod; readonly destination: string; readonly codeLength: number; readonly expiresAt: Date }
  | { readonly round: "PASSKEY_REGISTRATION"; readonly options: PublicKeyCredentialCreationOptionsJSON };

export function readRound(parameters: Readonly<Record<string, string>>): RoundParameters {
  const type = parameters[P.type];
  if (!isRound(type)) throw new UnexpectedResponseError(`The challenge's ${P.type} is ${JSON.stringify(type)}, not a round of this suite.`);
  if (type === "SELECT_METHOD") {
    // Methods this client does not know (a newer deployment) are left out rather than failing.
    const methods = required(parameters, P.methods).split(",").filter(isSignInMethod);
    const json = parameters[P.passkeyOptions];
    const passkeyOptions = json === undefined ? undefined : webAuthnOptions<PublicKeyCredentialRequestOptionsJSON>(json, P.passkeyOptions);
    return { round: type, methods, passkeyOptions };
  }
  if (isCodeMethod(type)) {
    const codeLength = Number(required(parameters, P.codeLength));
    if (!Number.isInteger(codeLength) || codeLength < 1) throw malformed(P.codeLength, parameters[P.codeLength]);
    const expiresAt = new Date(required(parameters, P.expiresAt));
    if (Number.isNaN(expiresAt.getTime())) throw malformed(P.expiresAt, parameters[P.expiresAt]);
    return { round: type, destination: required(parameters, P.destination), codeLength, expiresAt };
  }
  const options = webAuthnOptions<PublicKeyCredentialCreationOptionsJSON>(required(parameters, P.options), P.options);
  if (typeof options.rp !== "object" || typeof options.user !== "object") throw malformed(P.options, "without rp or user");
  return { round: type, options };
}

function required(parameters: Readonly<Record<string, string>>, name: string): string {
  const value = parameters[name];
  if (value === undefined) throw new UnexpectedResponseError(`The ${parameters[P.type]} round has no ${name} parameter.`);
  return value;
}

function webAuthnOptions<T>(json: string, name: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw malformed(name, "not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as { challenge?: unknown }).challenge !== "string") {
    throw malformed(name, "no challenge");
  }
  return parsed as T;
}

function malformed(name: string, value: string | undefined): UnexpectedResponseError {
  return new UnexpectedResponseError(`The challenge's ${name} parameter is malformed (${String(value).slice(0, 80)}).`);
}
