/**
 * A refusal by the passkey API (a status that is not 2xx, and its body) as this client's typed
 * error. The function's refusals carry `{ error, message }` with the status PASSKEY_API_ERRORS
 * gives that code; API Gateway's own (its JWT authorizer's 401, an unknown route's 404,
 * throttling's 429, a failed function's 500) carry only `{ message }`, so those are read by status.
 */
import { PASSKEY_API_ERRORS, type PasskeyApiErrorCode, isPasskeyApiErrorCode } from "@cognito-passwordless/protocol";
import { type PasswordlessError, UnexpectedResponseError } from "./errors.ts";
import {
  InvalidPasskeyNameError,
  NotSignedInError,
  PasskeyAlreadyRegisteredError,
  PasskeyApiUnavailableError,
  PasskeyLimitReachedError,
  PasskeyNotFoundError,
  PasskeyRegistrationRefusedError,
  PasskeysNotOfferedError,
  ReauthenticationRequiredError,
} from "./passkey-manager-errors.ts";

/** What the refused request named, for the errors that say it back. */
export interface RefusedRequest {
  /** `METHOD path`, for messages. */
  readonly route: string;
  /** The passkey id in the path (rename, remove). */
  readonly id?: string | undefined;
  /** The name in the body (rename, add with a name). */
  readonly name?: string | undefined;
}

export function mapPasskeyApiRefusal(status: number, body: unknown, request: RefusedRequest): PasswordlessError {
  const { error, message } = readRefusalBody(body);
  // A code is trusted only with its own status: anything else is not the function speaking.
  if (error !== undefined && PASSKEY_API_ERRORS[error] === status) {
    const known = errorForCode(error, message, request);
    if (known !== undefined) return known;
  }
  if (status === 401) return new NotSignedInError(true, { cause: refusalCause(status, body) });
  if (status === 429 || status >= 500) return new PasskeyApiUnavailableError(status, { cause: refusalCause(status, body) });
  const said = message === undefined ? "" : `: ${message}`;
  const hint = status === 404 && error === undefined ? " (is apiUrl the passkey API's base URL?)" : "";
  return new UnexpectedResponseError(`The passkey API answered ${request.route} with HTTP ${status}${error === undefined ? "" : ` ${error}`}${said}${hint}.`);
}

function errorForCode(error: PasskeyApiErrorCode, message: string | undefined, request: RefusedRequest): PasswordlessError | undefined {
  const cause = { cause: new Error(`${error}: ${message ?? ""}`) };
  switch (error) {
    case "reauthentication_required":
      return new ReauthenticationRequiredError(cause);
    case "unauthorized":
      return new NotSignedInError(true, cause);
    case "not_found":
      return request.id === undefined ? undefined : new PasskeyNotFoundError(request.id, cause);
    case "passkeys_not_offered":
      return new PasskeysNotOfferedError(cause);
    case "passkey_limit_reached":
      return new PasskeyLimitReachedError(cause);
    case "credential_already_registered":
      return new PasskeyAlreadyRegisteredError(cause);
    case "registration_failed":
    case "challenge_invalid":
      return new PasskeyRegistrationRefusedError(error, message ?? "", cause);
    case "invalid_request":
      // The client builds every other field itself, so a refused body that held a name is the name's fault.
      return request.name === undefined ? undefined : new InvalidPasskeyNameError(request.name, cause);
    case "service_unavailable":
      return new PasskeyApiUnavailableError(PASSKEY_API_ERRORS[error], cause);
    case "payload_too_large":
      return undefined;
  }
}

function readRefusalBody(body: unknown): { error?: PasskeyApiErrorCode; message?: string } {
  if (typeof body !== "object" || body === null) return {};
  const { error, message } = body as Record<string, unknown>;
  return {
    ...(isPasskeyApiErrorCode(error) ? { error } : {}),
    ...(typeof message === "string" ? { message } : {}),
  };
}

function refusalCause(status: number, body: unknown): Error {
  return new Error(`HTTP ${status}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`);
}
