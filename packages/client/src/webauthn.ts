/**
 * The browser's half of passkeys, behind a small interface the client can be given: by default
 * SimpleWebAuthn's browser package, loaded only when a ceremony runs (so a code-only app, or
 * Node, never evaluates it); in tests or other runtimes, anything that answers the same options
 * with the same JSON (a soft authenticator, a native bridge).
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";

/** What `startAuthentication` is given: SimpleWebAuthn's own input. */
export interface AuthenticationInput {
  readonly optionsJSON: PublicKeyCredentialRequestOptionsJSON;
  /** True for passkey autofill: `navigator.credentials.get` with `mediation: "conditional"`. */
  readonly useBrowserAutofill?: boolean;
  /** SimpleWebAuthn's search of the document for an `autocomplete="… webauthn"` input; the client checks the app's input itself. */
  readonly verifyBrowserAutofillInput?: boolean;
}

/**
 * The WebAuthn ceremonies, shaped like `startAuthentication` and `startRegistration` of
 * `@simplewebauthn/browser`; passkey autofill also needs the two optional members (without
 * `supportsAutofill`, autofill is taken as unavailable).
 */
export interface WebAuthnCeremonies {
  startAuthentication(input: AuthenticationInput): Promise<AuthenticationResponseJSON>;
  startRegistration(input: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }): Promise<RegistrationResponseJSON>;
  /** Whether passkeys can be offered in a field's autofill (`PublicKeyCredential.isConditionalMediationAvailable()`). */
  supportsAutofill?(): Promise<boolean>;
  /** Ends the pending ceremony (it rejects with an AbortError), as `WebAuthnAbortService.cancelCeremony()` does. */
  cancelCeremony?(): void;
}

type SimpleWebAuthn = typeof import("@simplewebauthn/browser");
/** The package once imported: cancelling must be synchronous, or it could end the ceremony started next. */
let loaded: SimpleWebAuthn | undefined;
const simpleWebAuthn = async (): Promise<SimpleWebAuthn> => (loaded ??= await import("@simplewebauthn/browser"));

/** `@simplewebauthn/browser`, imported on first use. */
export const browserWebAuthn: WebAuthnCeremonies = Object.freeze({
  startAuthentication: async (input: AuthenticationInput) => (await simpleWebAuthn()).startAuthentication({ ...input }),
  startRegistration: async (input: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }) => (await simpleWebAuthn()).startRegistration(input),
  supportsAutofill: async () => (await simpleWebAuthn()).browserSupportsWebAuthnAutofill(),
  // Only a ceremony started through the package can be pending, so it is loaded when there is one.
  cancelCeremony: () => loaded?.WebAuthnAbortService.cancelCeremony(),
});

/** The browser's user agent, which the pool uses to name a passkey of an unknown authenticator; none outside a browser. */
export function browserUserAgent(): string | undefined {
  // Node 21+ has a navigator too ("Node.js/22"): that names no device, so only a window's counts.
  return typeof window === "undefined" ? undefined : window.navigator?.userAgent;
}
