/**
 * What the browser tests of the demo page share: Chromium launched as the suite runs it, CDP
 * virtual authenticators (a device's platform passkey, a USB security key) that a test can swap
 * in and out of a page, and the in-page WebAuthn assertion a protocol-level passkey sign-in sends.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { type Browser, type CDPSession, type Page, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Headless Chromium at /usr/bin/chromium; a missing browser is a broken environment, never a skip. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM}: the browser test needs it. .ci/run installs it (apt-get install chromium).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** CDP's VirtualAuthenticatorOptions, the fields these tests set. */
export interface VirtualAuthenticatorOptions {
  readonly protocol: "ctap2";
  readonly transport: "internal" | "usb";
  readonly hasResidentKey: boolean;
  readonly hasUserVerification: boolean;
  readonly isUserVerified: boolean;
  readonly defaultBackupEligibility?: boolean;
  readonly defaultBackupState?: boolean;
}

/** A synced platform passkey (backup eligible and backed up), as phones and password managers make them. */
export const SYNCED_PLATFORM_PASSKEY: VirtualAuthenticatorOptions = {
  protocol: "ctap2",
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  defaultBackupEligibility: true,
  defaultBackupState: true,
};

/** A USB security key with a PIN: its passkeys never leave it (device-bound). */
export const SECURITY_KEY: VirtualAuthenticatorOptions = {
  protocol: "ctap2",
  transport: "usb",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  defaultBackupEligibility: false,
  defaultBackupState: false,
};

/** A credential as CDP's WebAuthn domain holds it (binary fields base64): enough to put it on another authenticator. */
export interface VirtualCredential {
  readonly credentialId: string;
  readonly isResidentCredential: boolean;
  readonly rpId?: string;
  readonly privateKey: string;
  readonly userHandle?: string;
  readonly signCount: number;
  readonly backupEligibility?: boolean;
  readonly backupState?: boolean;
}

/** One authenticator plugged into the page, and what it holds. */
export interface PluggedAuthenticator {
  readonly id: string;
  credentials(): Promise<VirtualCredential[]>;
  /** Unplugs it: the page's WebAuthn calls no longer reach it. */
  remove(): Promise<void>;
}

export interface PageAuthenticators {
  /** Plugs in a new authenticator, holding `credentials` if given (a passkey carried over from another). */
  plug(options: VirtualAuthenticatorOptions, credentials?: readonly VirtualCredential[]): Promise<PluggedAuthenticator>;
}

/** The page's WebAuthn through CDP: the browser then runs real ceremonies against the authenticators plugged in. */
export async function pageAuthenticators(page: Page): Promise<PageAuthenticators> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  return {
    async plug(options, credentials = []) {
      const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { ...options } });
      for (const credential of credentials) await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: { ...credential } });
      return {
        id: authenticatorId,
        async credentials() {
          return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials as VirtualCredential[];
        },
        async remove() {
          await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
        },
      };
    },
  };
}

/** CDP's base64 credential id as the passkey API and WebAuthn's JSON spell it (base64url). */
export function base64url(base64: string): string {
  return Buffer.from(base64, "base64").toString("base64url");
}

/**
 * Runs in the page: navigator.credentials.get over passkeyOptions as the pool sent them, the
 * answer encoded as SimpleWebAuthn's AuthenticationResponseJSON. A string, not a function, so
 * the test's compiler cannot add helpers the page does not have.
 */
export const ASSERTION_IN_PAGE = `async (optionsJson) => {
  const options = JSON.parse(optionsJson);
  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const credential = await navigator.credentials.get({
    publicKey: {
      challenge: bytes(options.challenge),
      rpId: options.rpId,
      timeout: options.timeout,
      userVerification: options.userVerification,
      allowCredentials: [],
    },
  });
  const response = credential.response;
  return JSON.stringify({
    id: credential.id,
    rawId: text(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: text(response.clientDataJSON),
      authenticatorData: text(response.authenticatorData),
      signature: text(response.signature),
      userHandle: response.userHandle === null ? undefined : text(response.userHandle),
    },
  });
}`;

/** An assertion by the page's authenticator over a SELECT_METHOD round's passkeyOptions (JSON). */
export async function assertionInPage(page: Page, passkeyOptions: string): Promise<string> {
  return (await page.evaluate(`(${ASSERTION_IN_PAGE})(${JSON.stringify(passkeyOptions)})`)) as string;
}
