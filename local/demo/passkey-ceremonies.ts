/**
 * The browser's half of passkeys, with SimpleWebAuthn's browser package: sign a SELECT_METHOD
 * round's `passkeyOptions`, or create a passkey from a PASSKEY_REGISTRATION round's `options`
 * (PROTOCOL, "Round 1" and "Optional round"). Both answers are the JSON SimpleWebAuthn returns,
 * sent as the round's ANSWER. What the browser refuses becomes a sentence a person can act on.
 */
import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  WebAuthnError,
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
} from "@simplewebauthn/browser";

/** Why a ceremony did not produce an answer; nothing was sent to the pool. */
export class PasskeyCeremonyError extends Error {
  constructor(
    readonly headline: string,
    readonly detail: string,
  ) {
    super(headline);
    this.name = "PasskeyCeremonyError";
  }
}

type Ceremony = "sign-in" | "enrolment";

export function browserHasPasskeys(): boolean {
  return browserSupportsWebAuthn();
}

/**
 * Passkeys need the page on a domain: "localhost" works over plain http, 127.0.0.1 does not
 * (an IP address is never a valid relying-party id). The address to open instead, or undefined.
 */
export function passkeyFriendlyAddress(location: Location): string | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$|^\[/.test(location.hostname)) return undefined;
  return `${location.protocol}//localhost${location.port === "" ? "" : `:${location.port}`}${location.pathname}`;
}

/** Signs the round's challenge with a passkey the person picks; returns the ANSWER. */
export async function signWithPasskey(passkeyOptions: string): Promise<string> {
  const optionsJSON = parseOptions<PublicKeyCredentialRequestOptionsJSON>(passkeyOptions, "passkeyOptions");
  if (!browserHasPasskeys()) throw unsupported("sign-in");
  try {
    return JSON.stringify(await startAuthentication({ optionsJSON }));
  } catch (error) {
    throw describeRefusal(error, "sign-in", optionsJSON.rpId);
  }
}

/** Creates a passkey on this device for the user the round names; returns the ANSWER. */
export async function createPasskey(options: string): Promise<string> {
  const optionsJSON = parseOptions<PublicKeyCredentialCreationOptionsJSON>(options, "options");
  if (!browserHasPasskeys()) throw unsupported("enrolment");
  try {
    return JSON.stringify(await startRegistration({ optionsJSON }));
  } catch (error) {
    throw describeRefusal(error, "enrolment", optionsJSON.rp.id);
  }
}

function parseOptions<T>(json: string, name: string): T {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === "object" && parsed !== null && "challenge" in parsed) return parsed as T;
  } catch {
    // Reported below, the same as a value of the wrong shape.
  }
  throw new PasskeyCeremonyError(`The pool's ${name} are not WebAuthn options this page can use.`, json.slice(0, 200));
}

function unsupported(ceremony: Ceremony): PasskeyCeremonyError {
  return new PasskeyCeremonyError(
    ceremony === "sign-in"
      ? "This browser can't use passkeys. Sign in with a code instead."
      : "This browser can't create passkeys. Choose “Not now” to finish signing in.",
    "navigator.credentials / PublicKeyCredential is not available",
  );
}

/** The browser's refusal, as what happened and what the person can do next. */
function describeRefusal(error: unknown, ceremony: Ceremony, rpId: string | undefined): PasskeyCeremonyError {
  const code = error instanceof WebAuthnError ? error.code : undefined;
  const name = error instanceof WebAuthnError && error.cause instanceof Error ? error.cause.name : error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${code ?? name}: ${message}`;
  const next = ceremony === "sign-in" ? "Try again, or get a code instead." : "Try again, or choose “Not now” to finish signing in.";

  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") {
    // The options listed the user's passkeys in excludeCredentials and this authenticator holds one.
    return new PasskeyCeremonyError(
      "This device already has a passkey for this account, so there is nothing to add. Choose “Not now” to finish signing in.",
      detail,
    );
  }
  if (code === "ERROR_INVALID_RP_ID" || code === "ERROR_INVALID_DOMAIN" || name === "SecurityError") {
    return new PasskeyCeremonyError(
      `Passkeys for this pool belong to ${rpId ?? "another site"}, and this page's address doesn't match it. Open the demo at http://localhost:<port>.`,
      detail,
    );
  }
  if (
    code === "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT" ||
    code === "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT"
  ) {
    return new PasskeyCeremonyError(
      "This authenticator can't hold a passkey here: it needs to store the credential and check your fingerprint, face or PIN.",
      detail,
    );
  }
  if (name === "NotAllowedError" || name === "AbortError") {
    // Browsers give one error for "cancelled", "timed out" and "no passkey here", on purpose:
    // a page must not learn which passkeys a device holds.
    return new PasskeyCeremonyError(
      ceremony === "sign-in"
        ? `No passkey was used: the prompt was cancelled or timed out, or this device has no passkey for this site. ${next}`
        : `The passkey wasn't created: the prompt was cancelled or timed out. ${next}`,
      detail,
    );
  }
  return new PasskeyCeremonyError(`The browser could not complete the passkey request. ${next}`, detail);
}
