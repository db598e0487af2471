/**
 * Turns an SES or SNS failure into a DeliveryFailedError that is safe to log.
 *
 * The services' own messages can quote the recipient: SES in its sandbox answers
 * "Email address is not verified. The following identities failed the check in region …: <address>",
 * and SNS's InvalidParameter names the phone number it rejected. Neither an address nor a code
 * may reach a log line, so the error we throw carries a rewritten copy of the cause (its name,
 * redacted message, and the SDK's request metadata for support cases), never the original.
 */
import { DeliveryFailedError } from "../errors.ts";
import type { DeliveryChannel } from "./channel.ts";

const SERVICE: Readonly<Record<DeliveryChannel, string>> = { email: "SES", sms: "SNS" };

/** Anything shaped like an email address. */
const EMAIL_LIKE = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+/g;
/** Runs of four or more digits, possibly with "+", spaces or dashes: phone numbers and codes. */
const NUMBER_LIKE = /\+?\d(?:[\s-]?\d){3,}/g;
/** Error names are class-like identifiers; anything else is not shown. */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Removes every secret given, then anything that looks like an address or a number. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    result = result.replace(new RegExp(escapeRegExp(secret), "gi"), "[redacted]");
  }
  return result.replace(EMAIL_LIKE, "[redacted]").replace(NUMBER_LIKE, "[redacted]");
}

function errorName(error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  return name !== undefined && ERROR_NAME.test(name) ? name : "UnknownError";
}

/** The request metadata of an AWS SDK error (request id, HTTP status, attempts), if present. */
function sdkMetadata(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return undefined;
  const metadata = (error as { $metadata: unknown }).$metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const { httpStatusCode, requestId, attempts, totalRetryDelay } = metadata as Record<string, unknown>;
  const kept = Object.entries({ httpStatusCode, requestId, attempts, totalRetryDelay }).filter(([, value]) => value !== undefined);
  return Object.fromEntries(kept);
}

/**
 * A DeliveryFailedError naming the channel and the service's error name, with a sanitised copy
 * of the cause. `secrets` are the values to remove for certain (the recipient, the code).
 */
export function deliveryFailed(channel: DeliveryChannel, error: unknown, secrets: readonly string[]): DeliveryFailedError {
  const name = errorName(error);
  const rawMessage = error instanceof Error ? error.message : String(error);
  const cause = new Error(redact(rawMessage, secrets));
  cause.name = name;
  // The original stack repeats the original message in its first line.
  cause.stack = `${name}: ${cause.message}`;
  const metadata = sdkMetadata(error);
  if (metadata !== undefined) Object.assign(cause, { $metadata: metadata });
  const noun = channel === "email" ? "the sign-in email" : "the sign-in SMS";
  return new DeliveryFailedError(`Sending ${noun} through ${SERVICE[channel]} failed (${name}).`, { cause });
}
