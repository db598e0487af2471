/**
 * The demo page in a real (headless) Chromium whose only authenticator is a CDP virtual
 * authenticator (a synced platform passkey with user verification), and the steps a person takes
 * there, for the browser tests of sign-in without a username. Each page records the WebAuthn
 * `navigator.credentials.get` calls it makes (their mediation, allow list, challenge, and whether
 * their signal was aborted), the Cognito operations it calls and the passkey API routes it asks.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { CDPSession, Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";

const CHROMIUM = "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  // Not a skip: a missing browser is a broken environment, and must say how to fix it.
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
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      defaultBackupEligibility: true,
      defaultBackupState: true,
    },
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
