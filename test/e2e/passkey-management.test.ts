/**
 * "Your passkeys" on the demo page, used by a person in a real (headless) Chromium against the
 * whole local stack: the panel calls the passkey API (the HTTP API served to the built function,
 * its JWT authorizer on the stack's own keys), and the browser runs real WebAuthn ceremonies with
 * CDP virtual authenticators plugged in and out, as a person moves between a laptop and a
 * security key. The sign-in age for adding a passkey is the smallest the template allows (30 s),
 * so the notice to sign in again is reached by waiting past it.
 * Needs `npm run build` first (npm test's pretest does it) and Chromium at /usr/bin/chromium.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, Locator, Page } from "playwright-core";
import {
  type PageAuthenticators,
  type PluggedAuthenticator,
  SECURITY_KEY,
  SYNCED_PLATFORM_PASSKEY,
  type VirtualCredential,
  assertionInPage,
  base64url,
  launchChromium,
  pageAuthenticators,
} from "../support/demo-browser.ts";
import { type LocalStack, cognitoClient, startTestStack, tokenVerifiers } from "../support/local-stack.ts";

/** template.yaml's PasskeyReauthMaxAgeSeconds MinValue (and lib/config.ts's lower bound). */
const REAUTH_MAX_AGE_SECONDS = 30;

describe("a person managing their passkeys on the demo page", { timeout: 240_000 }, () => {
  let stack: LocalStack;
  let browser: Browser;
  let cognito: CognitoIdentityProviderClient;
  let page: Page;
  let authenticators: PageAuthenticators;
  const pageErrors: string[] = [];
  const email = `kit-${randomUUID().slice(0, 8)}@example.com`;
  /** When the page's latest sign-in completed (test clock, before the tokens were shown). */
  let signedInAt = 0;
  /** The authenticator plugged in now; one at a time, so the browser's choice is never in doubt. */
  let plugged: PluggedAuthenticator | undefined;
  /** The two passkeys added from the panel: the laptop's (renamed, then removed) and the security key's. */
  const laptop = { id: "", credentials: [] as VirtualCredential[] };
  const securityKey = { id: "", credentials: [] as VirtualCredential[] };

  before(async () => {
    stack = await startTestStack({
      templateParameters: { PasskeyReauthMaxAgeSeconds: String(REAUTH_MAX_AGE_SECONDS) },
      // Four code sign-ins for one person here; the default per-user limit would be reached first.
      functionEnv: { RATE_LIMIT_PER_USER: "20", RATE_LIMIT_PER_DESTINATION: "20" },
    });
    browser = await launchChromium();
    cognito = cognitoClient(stack.config);
    page = await browser.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    authenticators = await pageAuthenticators(page);
    await page.goto(stack.demoUrl);
    await page.getByText(`Pool ${stack.config.userPoolId}`).waitFor();
  });
  after(async () => {
    cognito?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  const panel = () => page.getByTestId("passkeys-panel");
  const notice = () => page.getByTestId("passkeys-notice");
  const items = () => page.getByTestId("passkey-item");
  const item = (id: string) => page.locator(`[data-testid="passkey-item"][data-passkey-id="${id}"]`);

  async function swapAuthenticator(options: typeof SYNCED_PLATFORM_PASSKEY, credentials?: readonly VirtualCredential[]) {
    await plugged?.remove();
    plugged = await authenticators.plug(options, credentials);
    return plugged;
  }

  /** The panel has loaded the API's list (or shown what it did) and is idle. */
  async function panelSettled(): Promise<void> {
    await page.locator('[data-testid="passkeys-panel"]:is([data-state="ready"], [data-state="failed"])').waitFor();
  }

  /** Continue → "Email me a code" → the newest code from the outbox panel → signed in, the panel loaded. */
  async function signInWithEmailedCode(): Promise<void> {
    const sentBefore = stack.outbox.list().filter((message) => message.to === email).length;
    await page.getByLabel("Email or phone number").fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    const messages = page.locator("#outbox-list li.message", { hasText: email });
    await messages.nth(sentBefore).waitFor();
    await page.getByLabel("One-time code").fill((await messages.last().locator("mark.code").last().textContent()) ?? "");
    signedInAt = Date.now();
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    await panel().waitFor();
    await panelSettled();
  }

  /** "Add a passkey" with a name, as the person does it: the status the panel shows afterwards. */
  async function addFromPanel(name: string): Promise<Locator> {
    await page.getByTestId("add-passkey-name").fill(name);
    // The click runs the panel's submit handler, which clears the notice and marks the panel busy at once.
    await page.getByTestId("add-passkey").click();
    await panelSettled();
    await notice().waitFor();
    return notice();
  }

  /** A passkey sign-in at the protocol level (the SDK), its assertion made by the page's authenticator. */
  async function passkeySignIn(): Promise<RespondToAuthChallengeCommandOutput> {
    const started = await cognito.send(
      new InitiateAuthCommand({ ClientId: stack.config.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: email } }),
    );
    const assertion = await assertionInPage(page, started.ChallengeParameters?.["passkeyOptions"] ?? "");
    return cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.config.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: started.ChallengeParameters?.["USERNAME"] ?? email, ANSWER: assertion },
        ClientMetadata: { signInMethod: "PASSKEY" },
      }),
    );
  }

  it("signs in with an emailed code, adds a laptop's passkey and a security key's from the panel, and sees both with names and kinds", async () => {
    await page.getByLabel("Email (optional if you give a phone number)").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("status").getByText(`Account created for ${email}`).waitFor();
    await signInWithEmailedCode();
    await page.getByTestId("passkeys-empty").getByText("No passkeys yet").waitFor();

    // The laptop: a synced platform passkey.
    const onLaptop = await swapAuthenticator(SYNCED_PLATFORM_PASSKEY);
    assert.equal(await (await addFromPanel("Work laptop")).textContent(), "Passkey “Work laptop” added. Next time, sign in with it: no code needed.");
    laptop.credentials = await onLaptop.credentials();
    assert.equal(laptop.credentials.length, 1, "the laptop's authenticator made one passkey");
    laptop.id = base64url(laptop.credentials[0]?.credentialId ?? "");

    // The security key, plugged in instead (the laptop's passkey is in excludeCredentials, and the key holds none of them).
    const key = await swapAuthenticator(SECURITY_KEY);
    assert.match((await (await addFromPanel("Security key")).textContent()) ?? "", /^Passkey “Security key” added\./);
    securityKey.credentials = await key.credentials();
    securityKey.id = base64url(securityKey.credentials[0]?.credentialId ?? "");
    assert.notEqual(securityKey.id, laptop.id);

    // Both listed, newest first, each with its name, its kind and when it was added.
    assert.equal(await items().count(), 2);
    assert.deepEqual(await items().evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-passkey-id"))), [securityKey.id, laptop.id]);
    assert.equal(await item(laptop.id).getByTestId("passkey-name").textContent(), "Work laptop");
    assert.equal(await item(laptop.id).getByTestId("passkey-kind").textContent(), "Synced");
    assert.equal(await item(securityKey.id).getByTestId("passkey-name").textContent(), "Security key");
    assert.equal(await item(securityKey.id).getByTestId("passkey-kind").textContent(), "Device-bound");
    for (const id of [laptop.id, securityKey.id]) {
      assert.match((await item(id).getByTestId("passkey-created").textContent()) ?? "", /^Added /);
      assert.equal(await item(id).getByTestId("passkey-last-used").textContent(), "never used");
    }
    // Each addition was announced to the account's address.
    const notices = stack.outbox.list().filter((message) => message.to === email && /Work laptop|Security key/.test(message.body));
    assert.equal(notices.length, 2);
  });

  it("renames the laptop's passkey; after a reload and a new sign-in the list shows the new name", async () => {
    await item(laptop.id).getByTestId("rename-passkey").click();
    const input = item(laptop.id).getByTestId("rename-passkey-input");
    assert.equal(await input.inputValue(), "Work laptop", "the field starts with the current name");
    await input.fill("Old laptop");
    await item(laptop.id).getByTestId("save-passkey-name").click();
    await notice().getByText("Renamed to “Old laptop”.").waitFor();
    await panelSettled();
    assert.equal(await item(laptop.id).getByTestId("passkey-name").textContent(), "Old laptop");

    // The demo keeps no session across a reload: sign in again, and the API lists the stored name.
    await page.reload();
    await page.getByText(`Pool ${stack.config.userPoolId}`).waitFor();
    await signInWithEmailedCode();
    assert.equal(await items().count(), 2);
    assert.equal(await item(laptop.id).getByTestId("passkey-name").textContent(), "Old laptop");
    assert.equal(await item(securityKey.id).getByTestId("passkey-name").textContent(), "Security key");
  });

  it("removes the renamed passkey after confirming: it can no longer sign in, while the security key still does", async () => {
    await item(laptop.id).getByTestId("remove-passkey").click();
    const confirmation = item(laptop.id).getByTestId("remove-passkey-confirmation");
    await confirmation.getByText("Remove “Old laptop”? It stops signing in at once").waitFor();
    await item(laptop.id).getByTestId("confirm-remove-passkey").click();
    await notice().getByText("Removed “Old laptop”. It can no longer sign in.").waitFor();
    await panelSettled();
    assert.equal(await items().count(), 1);
    assert.equal(await item(laptop.id).count(), 0);
    assert.equal(await item(securityKey.id).count(), 1);

    // The laptop's passkey, back in the browser's only authenticator: the pool refuses it.
    await swapAuthenticator(SYNCED_PLATFORM_PASSKEY, laptop.credentials);
    await assert.rejects(passkeySignIn(), { name: "NotAuthorizedException" }, "a removed passkey never signs in again");

    // The security key's passkey still signs in, and the tokens say how.
    await swapAuthenticator(SECURITY_KEY, securityKey.credentials);
    const signedIn = await passkeySignIn();
    const claims = await tokenVerifiers(stack.config).id.verify(signedIn.AuthenticationResult?.IdToken ?? "");
    assert.equal(claims["auth_methods"], "hwk", "a device-bound security key is hwk");
    assert.equal(claims["email"], email);
  });

  it("adding with a sign-in older than the allowed age shows the notice and “Sign in again”, which leads back to a working add", async () => {
    // The page is still signed in from the reload; wait until that sign-in is older than the allowed age.
    // auth_time is in whole seconds and is set a moment after signedInAt: a few seconds' margin.
    const waitMs = signedInAt + (REAUTH_MAX_AGE_SECONDS + 4) * 1000 - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    const phone = await swapAuthenticator(SYNCED_PLATFORM_PASSKEY);
    const refused = await addFromPanel("Phone");
    await refused.getByText("Adding a passkey needs a recent sign-in. Sign in again, then add it straight away.").waitFor();
    assert.equal(await refused.getAttribute("data-kind"), "error");
    assert.equal(await items().count(), 1, "nothing was added");
    assert.deepEqual(await phone.credentials(), [], "and no ceremony ran: the options were refused first");

    await page.getByTestId("passkeys-sign-in-again").click();
    await page.getByRole("status").getByText("Signed out. Sign in again, then add your passkey").waitFor();
    await signInWithEmailedCode();
    assert.match((await (await addFromPanel("Phone")).textContent()) ?? "", /^Passkey “Phone” added\./);
    assert.equal(await items().count(), 2);
    assert.equal((await phone.credentials()).length, 1);
    assert.deepEqual(pageErrors, []);
  });
});
