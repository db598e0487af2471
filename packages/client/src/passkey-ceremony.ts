/**
 * Runs one WebAuthn ceremony and turns what the browser throws into PasskeyCancelledError or
 * PasskeyFailedError. Browsers report "cancelled", "timed out" and "no passkey here" as one
 * NotAllowedError on purpose (a page must not learn which passkeys a device holds), so the
 * client does not pretend to tell them apart.
 */
import { type PasskeyCeremony, PasskeyCancelledError, PasskeyFailedError } from "./errors.ts";

/** DOMException names a person's own dismissal (or a timeout) produces. */
const CANCELLED = new Set(["NotAllowedError", "AbortError"]);

export async function runCeremony<T>(ceremony: PasskeyCeremony, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw ceremonyError(ceremony, error);
  }
}

function ceremonyError(ceremony: PasskeyCeremony, error: unknown): PasskeyCancelledError | PasskeyFailedError {
  // SimpleWebAuthn's WebAuthnError has a `code` and the browser's error as `cause`.
  const webAuthnCode = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const name = cause?.name ?? (error instanceof Error ? error.name : "Error");
  if (CANCELLED.has(name) || webAuthnCode === "ERROR_CEREMONY_ABORTED") return new PasskeyCancelledError(ceremony, { cause: error });
  const reason = webAuthnCode !== undefined && webAuthnCode !== "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY" ? webAuthnCode : name;
  const detail = error instanceof Error ? error.message : String(error);
  return new PasskeyFailedError(ceremony, reason, detail, { cause: error });
}
