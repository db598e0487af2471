/**
 * Passkeys on the demo page, used by a person in a real (headless) Chromium whose authenticator
 * is a CDP virtual authenticator (a platform passkey with user verification), against the whole
 * local stack: the real trigger bundles verifying real WebAuthn ceremonies.
 * Needs `npm run build` first (npm test's pretest does it) and Chromium at /usr/bin/chromium.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { type Browser, type Page, type Request, chromium } from "playwright-core";
import { TABLE_KEYS } from "../../lib/store/keys.ts";
import { type LocalStack, startLocalStack } from "@cognito-passwordless/local/stack.ts";
import { ASSERTION_IN_PAGE } from "../support/demo-browser.ts";
import { cognitoClient } from "../support/local-stack.ts";

const CHROMIUM = "/usr/bin/chromium";

describe("a person using passkeys on the demo page", { timeout: 180_000 }, () => {
  let stack: LocalStack;
  let browser: Browser;
  let cognito: CognitoIdentityProviderClient;
  let dynamo: DynamoDBClient;
  /** The first person: signed up, with a passkey on their own device (page). */
  let ada: { email: string; page: Page; cognitoRequests: Request[]; pageErrors: string[] };

  before(async () => {
    // Not a skip: a missing browser is a broken environment, and must say how to fix it.
    assert.ok(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM}: the browser test needs it. .ci/run installs it (apt-get install chromium).`);
    stack = await startLocalStack({ cognitoPort: 0, dynamoPort: 0, webPort: 0, idpPort: 0, passkeyApiPort: 0 });
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
    cognito = cognitoClient(stack.config);
    dynamo = new DynamoDBClient({
      region: stack.config.region,
      endpoint: stack.dynamoEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  after(async () => {
    cognito?.destroy();
    dynamo?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  /**
   * The demo at http://localhost:<port> (the origin passkeys are allowed from) in a fresh browser
   * context whose only authenticator is a virtual platform authenticator: a device with a screen lock.
   */
  async function openDemoOnDevice() {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    const cognitoRequests: Request[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().startsWith(stack.cognitoEndpoint)) cognitoRequests.push(request);
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      // A synced platform passkey (backup eligible and backed up), as phones and password managers make them.
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
    await page.goto(stack.demoUrl);
    await page.getByText(`Pool ${stack.config.userPoolId}`).waitFor();
    return { page, pageErrors, cognitoRequests };
  }

  /** The Cognito operations the page called since `from`, in order. */
  async function operations(requests: Request[], from = 0): Promise<string[]> {
    const targets = await Promise.all(requests.slice(from).map((request) => request.headerValue("x-amz-target")));
    return targets.map((target) => (target ?? "").replace("AWSCognitoIdentityProviderService.", ""));
  }

  async function codeFromOutboxPanel(page: Page, to: string, count: number): Promise<string> {
    const messages = page.locator("#outbox-list li.message", { hasText: to });
    await messages.nth(count - 1).waitFor();
    return (await messages.last().locator("mark.code").last().textContent()) ?? "";
  }

  /** Continue → "Email me a code" → the code from the outbox, with "add a passkey" ticked or not. */
  async function signInWithEmailedCode(page: Page, email: string, addPasskey: boolean): Promise<void> {
    const sentBefore = stack.outbox.list().filter((message) => message.to === email).length;
    await page.getByLabel("Email or phone number").fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByRole("heading", { name: "Enter your code" }).waitFor();
    const code = await codeFromOutboxPanel(page, email, sentBefore + 1);
    await page.getByLabel("One-time code").fill(code);
    const option = page.getByLabel("Add a passkey to this device after signing in");
    assert.equal(await option.isVisible(), true, "the pool offers passkeys, so the page offers to add one");
    if (addPasskey) await option.check();
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  async function signUp(page: Page, email: string): Promise<void> {
    await page.getByLabel("Email (optional if you give a phone number)").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("status").getByText(`Account created for ${email}`).waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("status").getByText("Signed out.").waitFor();
  }

  /** The passkeys the table holds for a user, read the way the triggers reach them: gsi1, by Cognito username. */
  async function storedPasskeys(email: string): Promise<Record<string, unknown>[]> {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: email }));
    const result = await dynamo.send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: TABLE_KEYS.gsi1Name,
        // lib/store/passkey-credentials.ts: gsi1pk = USER#<userName>, one item per credential.
        KeyConditionExpression: "#pk = :user",
        ExpressionAttributeNames: { "#pk": TABLE_KEYS.gsi1Partition },
        ExpressionAttributeValues: { ":user": { S: `USER#${user.Username}` } },
      }),
    );
    return (result.Items ?? []).filter((item) => item[TABLE_KEYS.partition]?.S?.startsWith("PASSKEY#"));
  }

  function claimOf(page: Page, token: "ID token" | "Access token", name: string) {
    const table = page.locator("table.claims", { has: page.locator("caption", { hasText: token }) });
    return table.locator("tr", { has: page.getByRole("rowheader", { name, exact: true }) }).locator("td code");
  }

  it("adds a passkey after an emailed code, then signs in with it in one round trip", async () => {
    ada = { email: `ada-${randomUUID().slice(0, 8)}@example.com`, ...(await openDemoOnDevice()) };
    const { page, email } = ada;
    await signUp(page, email);

    // A code proves the address; ticking "add a passkey" asks for the PASSKEY_REGISTRATION round.
    await signInWithEmailedCode(page, email, true);
    await page.getByRole("heading", { name: "Add a passkey" }).waitFor();
    assert.equal(await page.locator('[data-field="passkey-rp"]').textContent(), "localhost");
    assert.equal(await page.locator('[data-field="passkey-user"]').textContent(), email, "the passkey is named for the address the person knows");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    await page.getByRole("status").getByText("Passkey added.").waitFor();
    assert.equal(await claimOf(page, "ID token", "auth_methods").textContent(), "email_otp", "this sign-in was proven by the code");

    const stored = await storedPasskeys(email);
    assert.equal(stored.length, 1, "the pool holds the new passkey");

    // Sign out, then sign in with the passkey: InitiateAuth and one answer, no code sent.
    await signOut(page);
    const emailsBefore = stack.outbox.list().filter((message) => message.to === email).length;
    const requestsBefore = ada.cognitoRequests.length;
    await page.getByLabel("Email or phone number").fill(email);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();

    assert.deepEqual(await operations(ada.cognitoRequests, requestsBefore), ["InitiateAuth", "RespondToAuthChallenge"]);
    assert.match((await page.locator("#signed-in-summary").textContent()) ?? "", new RegExp(`Signed in as ${email} with a synced passkey\\.`));
    assert.equal(await claimOf(page, "ID token", "auth_methods").textContent(), "swk", "a synced platform passkey is swk");
    assert.equal(await claimOf(page, "ID token", "auth_level").textContent(), "urn:cognito:loa:3");
    assert.equal(await claimOf(page, "ID token", "email").textContent(), email);
    assert.equal(stack.outbox.list().filter((message) => message.to === email).length, emailsBefore, "a passkey sign-in sends nothing");
    assert.deepEqual(ada.pageErrors, []);
  });

  it("cannot enrol the same passkey twice: the browser refuses, the page says so, and the pool still holds one", async () => {
    const { page, email } = ada;
    await signOut(page);
    const requestsBefore = ada.cognitoRequests.length;

    await signInWithEmailedCode(page, email, true);
    await page.getByRole("heading", { name: "Add a passkey" }).waitFor();
    await page.getByRole("button", { name: "Create a passkey" }).click();
    // excludeCredentials lists Ada's passkey and this authenticator holds it: nothing is created or sent.
    await page.getByRole("alert").getByText("This device already has a passkey for this account").waitFor();
    assert.equal(await page.getByRole("heading", { name: "Add a passkey" }).isVisible(), true, "the round is still open");
    await page.getByRole("button", { name: "Not now" }).click();
    await page.getByRole("heading", { name: "You're signed in" }).waitFor();
    assert.equal(await claimOf(page, "ID token", "auth_methods").textContent(), "email_otp");

    // Code answer, then SKIP: the refused ceremony never reached the pool.
    assert.deepEqual(await operations(ada.cognitoRequests, requestsBefore), [
      "InitiateAuth",
      "RespondToAuthChallenge",
      "RespondToAuthChallenge",
      "RespondToAuthChallenge",
    ]);
    assert.equal((await storedPasskeys(email)).length, 1, "still one passkey");
    assert.deepEqual(ada.pageErrors, []);
  });

  it("another person's passkey cannot sign in as the first, on the page or at the protocol level", async () => {
    // Grace, on her own device, with her own passkey.
    const grace = { email: `grace-${randomUUID().slice(0, 8)}@example.com`, ...(await openDemoOnDevice()) };
    await signUp(grace.page, grace.email);
    await signInWithEmailedCode(grace.page, grace.email, true);
    await grace.page.getByRole("button", { name: "Create a passkey" }).click();
    await grace.page.getByRole("status").getByText("Passkey added.").waitFor();
    assert.equal((await storedPasskeys(grace.email)).length, 1);
    await signOut(grace.page);

    // On the page: Grace types Ada's address and uses her own passkey. The pool refuses; no tokens.
    await grace.page.getByLabel("Email or phone number").fill(ada.email);
    await grace.page.getByRole("button", { name: "Sign in with a passkey" }).click();
    // Define fails the session on a refused passkey (lib/flow/decide-next-step.ts, passkey_rejected).
    await grace.page.getByRole("alert").getByText("The pool refused this passkey").waitFor();
    assert.match((await grace.page.getByRole("alert").textContent()) ?? "", /NotAuthorizedException/);
    assert.equal(await grace.page.getByRole("heading", { name: "You're signed in" }).isVisible(), false);
    await grace.page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();

    // With the SDK: Ada's first round, answered with an assertion Grace's authenticator made over
    // that round's very challenge (so only the credential's owner is wrong).
    const started = await cognito.send(
      new InitiateAuthCommand({ ClientId: stack.config.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: ada.email } }),
    );
    const passkeyOptions = started.ChallengeParameters?.["passkeyOptions"];
    assert.ok(passkeyOptions !== undefined, "SELECT_METHOD carries passkeyOptions");
    assert.deepEqual(JSON.parse(passkeyOptions).allowCredentials ?? [], [], "nothing in the round tells whose passkeys exist");
    const graceAssertion = (await grace.page.evaluate(`(${ASSERTION_IN_PAGE})(${JSON.stringify(passkeyOptions)})`)) as string;
    const answerAsAda = cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.config.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: started.ChallengeParameters?.["USERNAME"] ?? ada.email, ANSWER: graceAssertion },
        ClientMetadata: { signInMethod: "PASSKEY" },
      }),
    );
    await assert.rejects(answerAsAda, { name: "NotAuthorizedException" }, "no tokens for Ada from Grace's passkey");

    // The same assertion code works for its owner: the refusal above was about whose passkey it is.
    const graceStarted = await cognito.send(
      new InitiateAuthCommand({ ClientId: stack.config.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: grace.email } }),
    );
    const ownAssertion = (await grace.page.evaluate(
      `(${ASSERTION_IN_PAGE})(${JSON.stringify(graceStarted.ChallengeParameters?.["passkeyOptions"] ?? "")})`,
    )) as string;
    const own = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.config.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: graceStarted.Session,
        ChallengeResponses: { USERNAME: graceStarted.ChallengeParameters?.["USERNAME"] ?? grace.email, ANSWER: ownAssertion },
        ClientMetadata: { signInMethod: "PASSKEY" },
      }),
    );
    assert.ok(own.AuthenticationResult?.IdToken !== undefined, "Grace's passkey signs Grace in");
    assert.deepEqual(grace.pageErrors, []);
    await grace.page.close();
    await ada.page.close();
  });
});
