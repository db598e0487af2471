/**
 * What the passkey API's function answers API Gateway (payload format 2.0): a status, a JSON body
 * and its content type; 204 has no body. CORS headers are API Gateway's (the HttpApi's
 * CorsConfiguration), not the function's.
 */
import { PASSKEY_API_ERRORS, type PasskeyApiErrorBody } from "@cognito-passwordless/protocol";
import type { ApiRefusal } from "./api-refusal.ts";

export interface ApiResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

const JSON_HEADERS = Object.freeze({ "content-type": "application/json" });

export function jsonResponse(statusCode: number, body: unknown): ApiResponse {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function noContentResponse(): ApiResponse {
  return { statusCode: 204 };
}

/** `{ error, message }` with the status the contract gives the error. */
export function refusalResponse({ error, message }: Pick<ApiRefusal, "error" | "message">): ApiResponse {
  const body: PasskeyApiErrorBody = { error, message };
  return jsonResponse(PASSKEY_API_ERRORS[error], body);
}
