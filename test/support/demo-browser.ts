/**
 * What the browser tests of the demo page share: Chromium launched as the suite runs it, CDP
 * virtual authenticators (a device's platform passkey, a USB security key) that a test can swap
 * in and out of a page, the in-page WebAuthn assertion a protocol-level passkey sign-in sends,
 * and the demo page on a device of its own with the steps a person takes there. Such a page
 * records the WebAuthn `navigator.credentials.get` calls it makes (their mediation, allow list,
 * challenge, and whether their signal was aborted), the Cognito operations it calls and the
 * passkey API routes it asks.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { type Browser, type CDPSession, type Page, chromium } from "playwright-core";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";

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

/** One `navigator.credentials.get` call, as the page made it. */
export interface RecordedGet {
  readonly mediation: string | null;
  readonly allowCredentials: number;
  /** base64url of the challenge. */
  readonly challenge: string;
  readonly aborted: boolean;
  readonly outcome: "pending" | "resolved" | "rejected";
}

/**
 * Runs in the page before its own scripts: wraps navigator.credentials.get to record each call. A
 * string, not a function, so the test's compiler cannot add helpers the page does not have.
 */
const RECORD_GETS = `(() => {
  const calls = [];
  window.__webauthnGets = calls;
  const original = navigator.credentials.get.bind(navigator.credentials);
  const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  navigator.credentials.get = (options) => {
    const call = {
      mediation: options?.mediation ?? null,
      allowCredentials: (options?.publicKey?.allowCredentials ?? []).length,
      challenge: options?.publicKey?.challenge ? text(options.publicKey.challenge) : "",
      aborted: false,
      outcome: "pending",
    };
    options?.signal?.addEventListener("abort", () => { call.aborted = true; });
    calls.push(call);
    const pending = original(options);
    pending.then(() => { call.outcome = "resolved"; }, () => { call.outcome = "rejected"; });
    return pending;
  };
})();`;

export interface DemoDevice {
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  readonly pageErrors: string[];
  /** The Cognito operations the page called, in order (X-Amz-Target without its prefix). */
  readonly cognitoOperations: string[];
  /** The passkey API calls the page made (`METHOD /path`), preflights left out. */
  readonly passkeyApiCalls: string[];
  /** The bodies of POST /passkeys/challenge's answers, in order. */
  readonly challenges: { challengeId: string; options: { challenge: string } }[];
  /** The ClientMetadata of each RespondToAuthChallenge the page sent. */
  readonly clientMetadata: Record<string, string>[];
}

/** The demo at http://localhost:<port> (the origin passkeys are allowed from), on a device of its own. */
export async function openDemoOnDevice(browser: Browser, stack: LocalStack): Promise<DemoDevice> {
  const page = await browser.newPage();
  const device: DemoDevice = {
    page,
    cdp: await page.context().newCDPSession(page),
    authenticatorId: "",
    pageErrors: [],
    cognitoOperations: [],
    passkeyApiCalls: [],
    challenges: [],
    clientMetadata: [],
  };
  page.on("pageerror", (error) => device.pageErrors.push(error.message));
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().startsWith(stack.cognitoEndpoint)) {
      const operation = (request.headers()["x-amz-target"] ?? "").replace("AWSCognitoIdentityProviderService.", "");
      device.cognitoOperations.push(operation);
      if (operation === "RespondToAuthChallenge")
        device.clientMetadata.push((request.postDataJSON() as { ClientMetadata?: Record<string, string> }).ClientMetadata ?? {});
    }
    if (request.url().startsWith(stack.passkeyApiUrl) && request.method() !== "OPTIONS") {
      device.passkeyApiCalls.push(`${request.method()} ${new URL(request.url()).pathname}`);
    }
  });
  page.on("response", (response) => {
    if (response.request().method() === "POST" && response.url() === `${stack.passkeyApiUrl}/passkeys/challenge` && response.ok()) {
      void response.json().then((body: DemoDevice["challenges"][number]) => device.challenges.push(body));
    }
  });
  await page.addInitScript(RECORD_GETS);
  await device.cdp.send("WebAuthn.enable");
  const { authenticatorId } = await device.cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { ...SYNCED_PLATFORM_PASSKEY },
  });
  Object.assign(device, { authenticatorId });
  await loadDemo(device, stack);
  return device;
}

/** (Re)loads the page and waits for it to have read /config.json. */
export async function loadDemo(device: DemoDevice, stack: LocalStack): Promise<void> {
  await device.page.goto(stack.demoUrl);
  await device.page.getByText(`Pool ${stack.config.userPoolId}`).waitFor();
}

/** The page's navigator.credentials.get calls so far. */
export async function credentialGets(page: Page): Promise<RecordedGet[]> {
  return page.evaluate("window.__webauthnGets") as Promise<RecordedGet[]>;
}

/**
 * Whether the virtual authenticator answers by itself. With it on (the default), headless
 * Chromium also completes a conditional (autofill) request at once, as if the person had picked
 * the passkey from the field's suggestions; with it off, that request waits.
 */
export async function setUserPresence(device: DemoDevice, enabled: boolean): Promise<void> {
  await device.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: device.authenticatorId, enabled });
}

export async function signUp(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email (optional if you give a phone number)").fill(email);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("status").getByText(`Account created for ${email}`).waitFor();
}

/** Continue → "Email me a code" → the code from the outbox → "add a passkey" → Create a passkey. */
export async function enrolPasskeyAfterEmailedCode(page: Page, stack: LocalStack, email: string): Promise<void> {
  const sentBefore = stack.outbox.list().filter((message) => message.to === email).length;
  await page.getByLabel("Email or phone number").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Email me a code" }).click();
  await page.getByRole("heading", { name: "Enter your code" }).waitFor();
  const messages = page.locator("#outbox-list li.message", { hasText: email });
  await messages.nth(sentBefore).waitFor();
  await page.getByLabel("One-time code").fill((await messages.last().locator("mark.code").last().textContent()) ?? "");
  await page.getByLabel("Add a passkey to this device after signing in").check();
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Create a passkey" }).click();
  await page.getByRole("status").getByText("Passkey added.").waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("status").getByText("Signed out.").waitFor();
}

/** A claim's value in the signed-in view's claims table. */
export async function claimOf(page: Page, token: "ID token" | "Access token", name: string): Promise<string | null> {
  const table = page.locator("table.claims", { has: page.locator("caption", { hasText: token }) });
  return table
    .locator("tr", { has: page.getByRole("rowheader", { name, exact: true }) })
    .locator("td code")
    .textContent();
}
