/**
 * The browser's half of passkeys, behind a two-function interface the client can be given: by
 * default SimpleWebAuthn's browser package, loaded only when a ceremony runs (so a code-only
 * app, or Node, never evaluates it); in tests or other runtimes, anything that answers the
 * same options with the same JSON (a soft authenticator, a native bridge).
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";

/** The two WebAuthn ceremonies, shaped like `startAuthentication` and `startRegistration` of `@simplewebauthn/browser`. */
export interface WebAuthnCeremonies {
  startAuthentication(input: { optionsJSON: PublicKeyCredentialRequestOptionsJSON }): Promise<AuthenticationResponseJSON>;
  startRegistration(input: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }): Promise<RegistrationResponseJSON>;
}

/** `@simplewebauthn/browser`, imported on first use. */
export const browserWebAuthn: WebAuthnCeremonies = Object.freeze({
  startAuthentication: async (input: { optionsJSON: PublicKeyCredentialRequestOptionsJSON }) =>
    (await import("@simplewebauthn/browser")).startAuthentication(input),
  startRegistration: async (input: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }) =>
    (await import("@simplewebauthn/browser")).startRegistration(input),
});

/** The browser's user agent, which the pool uses to name a passkey of an unknown authenticator; none outside a browser. */
export function browserUserAgent(): string | undefined {
  // Node 21+ has a navigator too ("Node.js/22"): that names no device, so only a window's counts.
  return typeof window === "undefined" ? undefined : window.navigator?.userAgent;
}
