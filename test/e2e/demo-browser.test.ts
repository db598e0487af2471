/**
 * The demo page, used by a person in a real (headless) Chromium against the whole local stack:
 * the real trigger bundles behind the local Cognito endpoint, codes delivered to the outbox, and
 * the local identity provider behind the hosted UI's /oauth2/authorize.
 * Needs `npm run build` first (npm test's pretest does it) and Chromium at /usr/bin/chromium.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type Browser, type Page, chromium } from "playwright-core";
import { type LocalStack, startLocalStack } from "@cognito-passwordless/local/stack.ts";

const CHROMIUM = "/usr/bin/chromium";

describe("a person using the demo page", { timeout: 120_000 }, () => {
  let stack: LocalStack;
  let browser: Browser;

  before(async () => {
    // Not a skip: a missing browser is a broken environment, and must say how to fix it.
    assert.ok(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM}: the browser test needs it. .ci/run installs it (apt-get install chromium).`);
    stack = await startLocalStack({
      cognitoPort: 0,
      dynamoPort: 0,
      webPort: 0,
      idpPort: 0,
      passkeyApiPort: 0,
      functionEnv: { SMS_ALLOWED_COUNTRY_CODES: "44" },
    });
    browser = await chromium.launch({
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
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A fresh page whose script errors fail the test. */
  async function openDemo(): Promise<{ page: Page; pageErrors: string[] }> {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(stack.webUrl);
    await page.getByText(`Pool ${stack.config.userPoolId}`).waitFor();
    return { page, pageErrors };
  }

  /** The newest code in the outbox panel for this address, as the person reads it. */
  async function codeFromOutboxPanel(page: Page, to: string): Promise<string> {
    const message = page.locator("#outbox-list li.message", { hasText: to }).last();
    await message.waitFor();
    return (await message.locator("mark.code").last().textContent()) ?? "";
  }

  it("signs up with an email, signs in with the emailed code, sees the claims, and signs out", async () => {
    const { page, pageErrors } = await openDemo();
    const email = `demo-${randomUUID().slice(0, 8)}@example.com`;

    // Sign up: only an email; the page supplies the password nobody sees.
    await page.getByLabel("Email (optional if you give a phone number)").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("status").getByText(`Account created for ${email}`).waitFor();

    // Round 1: SELECT_METHOD, answered with the method's name and ClientMetadata.signInMethod.
    assert.equal(await page.getByLabel("Email or phone number").inputValue(), email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();

    // Round 2: EMAIL_OTP, with the destination masked.
    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    const sentTo = (await page.locator("#code-sent-to").textContent()) ?? "";
    assert.match(sentTo, /We emailed a 6-digit code to \S+\*\*\*\S*\. It expires at/);
    assert.ok(!sentTo.includes(email), "the page shows the masked address, not the address itself");

    // The code arrives in the outbox: on the panel, and the same at GET /outbox.
    const code = await codeFromOutboxPanel(page, email);
    assert.match(code, /^\d{6}$/);
    const sent = (await (await fetch(`${stack.webUrl}/outbox`)).json()) as { channel: string; to: string; body: string }[];
    const emails = sent.filter((message) => message.to === email);
    assert.equal(emails.length, 1, "one sign-in sends one email");
    assert.equal(emails[0]?.channel, "email");
    assert.ok(emails[0]?.body.includes(code));

    // A wrong code may be retried on the same sign-in, and sends nothing new.
    const wrong = `${code.slice(0, 5)}${(Number(code[5]) + 1) % 10}`;
    await page.getByLabel("One-time code").fill(wrong);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("That code isn't right").waitFor();
    assert.equal(stack.outbox.list().filter((message) => message.to === email).length, 1);

    // The right code: tokens.
    await page.getByLabel("One-time code").fill(code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    assert.match((await page.locator("#signed-in-summary").textContent()) ?? "", new RegExp(`Signed in as ${email} with an emailed code`));
    const idToken = page.locator("table.claims", { has: page.locator("caption", { hasText: "ID token" }) });
    const claim = (name: string) => idToken.locator("tr", { has: page.getByRole("rowheader", { name, exact: true }) }).locator("td code");
    assert.equal(await claim("auth_methods").textContent(), "email_otp");
    assert.equal(await claim("auth_level").textContent(), "urn:cognito:loa:2");
    assert.equal(await claim("email").textContent(), email);
    assert.equal(await claim("token_use").textContent(), "id");
    assert.equal(await claim("aud").textContent(), stack.config.clientId);
    assert.equal(await idToken.locator("tr.suite-claim").count(), 2, "the suite's two claims are highlighted");

    // Sign out: the refresh token is revoked, and the pool refuses the old access token.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("status").getByText("Signed out.").waitFor();
    assert.match((await page.getByRole("status").textContent()) ?? "", /refuses the old access token/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it("signs up with a phone number and signs in with a texted code", async () => {
    const { page, pageErrors } = await openDemo();
    const phone = `+447700900${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;

    await page.getByLabel("Phone number (optional, with country code)").fill(phone);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("status").getByText(`Account created for ${phone}`).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Text me a code" }).click();

    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    assert.match((await page.locator("#code-sent-to").textContent()) ?? "", /We texted a 6-digit code to \+\*+\d{2,4}\./);
    const code = await codeFromOutboxPanel(page, phone);
    const sms = await stack.outbox.waitFor((message) => message.to === phone, 1000);
    assert.equal(sms.channel, "sms");
    assert.ok(sms.body.includes(code));

    await page.getByLabel("One-time code").fill(code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    assert.match((await page.locator("#signed-in-summary").textContent()) ?? "", /with a texted code/);

    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("status").getByText("Signed out.").waitFor();
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it("links a verified IdP identity to the existing account: the page retries once by itself and lands on the same user", async () => {
    const { page, pageErrors } = await openDemo();
    const email = `linked-${randomUUID().slice(0, 8)}@example.com`;

    // An account whose email a code has verified.
    await page.getByLabel("Email (optional if you give a phone number)").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("status").getByText(`Account created for ${email}`).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByLabel("One-time code").fill(await codeFromOutboxPanel(page, email));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    const idToken = page.locator("table.claims", { has: page.locator("caption", { hasText: "ID token" }) });
    const claim = (name: string) => idToken.locator("tr", { has: page.getByRole("rowheader", { name, exact: true }) }).locator("td code");
    const nativeSub = await claim("sub").textContent();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("status").getByText("Signed out.").waitFor();

    // The same person arrives through the IdP, which vouches for the email.
    await page.getByRole("button", { name: "Sign in with LocalIdP" }).click();
    await page.getByRole("heading", { name: "Local IdP" }).waitFor();
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("This IdP has verified the email").check();
    await page.getByRole("button", { name: "Sign in" }).click();

    // The first pass links and ends with ACCOUNT_LINKED; the page starts again, the IdP's session
    // answers without its form, and the person is signed in to the account they already had.
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    assert.equal(await claim("sub").textContent(), nativeSub);
    assert.match((await claim("identities").textContent()) ?? "", /"providerName":"LocalIdP"/);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it("signs in through the local identity provider (authorization code with PKCE), then signs out", async () => {
    const { page, pageErrors } = await openDemo();
    const email = `idp-${randomUUID().slice(0, 8)}@example.com`;

    // The button leaves for /oauth2/authorize, which sends the browser on to the IdP's own form.
    await page.getByRole("button", { name: "Sign in with LocalIdP" }).click();
    await page.getByRole("heading", { name: "Local IdP" }).waitFor();
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Name", { exact: true }).fill("Ida Federated");
    await page.getByRole("button", { name: "Sign in" }).click();

    // Back on the demo page with a code, which the page redeems at /oauth2/token with its verifier.
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    assert.match((await page.locator("#signed-in-summary").textContent()) ?? "", new RegExp(`Signed in as ${email} with your LocalIdP identity`));
    assert.equal(new URL(page.url()).search, "", "the code is gone from the address bar");
    const idToken = page.locator("table.claims", { has: page.locator("caption", { hasText: "ID token" }) });
    const claim = (name: string) => idToken.locator("tr", { has: page.getByRole("rowheader", { name, exact: true }) }).locator("td code");
    assert.match((await claim("cognito:username").textContent()) ?? "", /^localidp_/);
    assert.match((await claim("identities").textContent()) ?? "", /"providerName":"LocalIdP"/);
    assert.equal(
      await page.getByRole("button", { name: "Sign out everywhere" }).isVisible(),
      false,
      "hosted-UI tokens lack the admin scope GlobalSignOut needs",
    );

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("status").getByText("Signed out.").waitFor();
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it("says plainly when a sign-in is refused", async () => {
    const { page } = await openDemo();
    const nobody = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel("Email or phone number").fill(nobody);
    await page.getByRole("button", { name: "Continue" }).click();
    // An unknown user gets the same rounds as a real one (PreventUserExistenceErrors), and no message.
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    for (let attempt = 0; attempt < 10; attempt++) {
      await page.getByLabel("One-time code").fill("123456");
      await page.getByRole("button", { name: "Sign in" }).click();
      const refused = page.getByRole("alert").getByText("NotAuthorizedException");
      const retry = page.getByRole("alert").getByText("That code isn't right");
      await refused.or(retry).waitFor();
      if (await refused.isVisible()) break;
    }
    await page.getByRole("alert").getByText("NotAuthorizedException").waitFor();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.deepEqual(
      stack.outbox.list().filter((message) => message.to === nobody),
      [],
      "nothing is sent for an unknown user",
    );
    await page.close();
  });
});
