/**
 * What the page checks about passkeys before it asks for one: whether this browser has WebAuthn
 * at all, and whether the page's address can hold passkeys. The ceremonies themselves run inside
 * @cognito-passwordless/client (SimpleWebAuthn's browser package, its default `webauthn`), which
 * reports a refusal as PasskeyCancelledError or PasskeyFailedError (error-messages.ts).
 */
import type { PasskeyCeremony } from "@cognito-passwordless/client";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";

/** This browser has no WebAuthn: nothing was asked of it, and nothing was sent. */
export class PasskeysUnsupportedError extends Error {
  override readonly name = "PasskeysUnsupportedError";
  constructor(readonly ceremony: PasskeyCeremony) {
    super("navigator.credentials / PublicKeyCredential is not available");
  }
}

export function browserHasPasskeys(): boolean {
  return browserSupportsWebAuthn();
}

/** Throws PasskeysUnsupportedError when this browser cannot run the ceremony. */
export function requireBrowserPasskeys(ceremony: PasskeyCeremony): void {
  if (!browserHasPasskeys()) throw new PasskeysUnsupportedError(ceremony);
}

/**
 * Passkeys need the page on a domain: "localhost" works over plain http, 127.0.0.1 does not
 * (an IP address is never a valid relying-party id). The address to open instead, or undefined.
 */
export function passkeyFriendlyAddress(location: Location): string | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$|^\[/.test(location.hostname)) return undefined;
  return `${location.protocol}//localhost${location.port === "" ? "" : `:${location.port}`}${location.pathname}`;
}
