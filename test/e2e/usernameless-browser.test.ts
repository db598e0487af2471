/**
 * Sign-in without a username on the demo page, in a real (headless) Chromium with a CDP virtual
 * authenticator, against the whole local stack: the passkey API's challenge route, the real
 * trigger bundles verifying the assertion against that challenge, and the local IdP for a user
 * made by linking.
 *
 * What headless Chromium 156 does with passkey autofill (WebAuthn conditional mediation), found
 * for these tests: with the virtual authenticator's automatic presence simulation on (its
 * default), a conditional `navigator.credentials.get` resolves at once with the device's passkey,
 * as if the person had picked it from the field's suggestions (no suggestion list is drawn); with
 * no passkey on the device it rejects at once with NotAllowedError (a real browser keeps waiting);
 * with presence simulation off it waits, and can be aborted. So autofill is tested end to end
 * (reload the page: it signs in by itself), and the abort path with presence off.
 * Needs `npm run build` first (npm test's pretest does it) and Chromium at /usr/bin/chromium.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Browser } from "playwright-core";
import { type LocalStack, startLocalStack } from "@cognito-passwordless/local/stack.ts";
import {
  type DemoDevice,
  claimOf,
  credentialGets,
  enrolPasskeyAfterEmailedCode,
  launchChromium,
  loadDemo,
  openDemoOnDevice,
  setUserPresence,
  signOut,
  signUp,
} from "../support/demo-browser.ts";
import { federatedSignIn } from "../support/federated-sign-in.ts";
import { cognitoClient } from "../support/local-stack.ts";

describe("a person signing in with a passkey without typing who they are", { timeout: 180_000 }, () => {
  let stack: LocalStack;
  let browser: Browser;
  let cognito: CognitoIdentityProviderClient;
  /** Una: signed up, a passkey on her own device (page). */
  let una: DemoDevice & { email: string };

  before(async () => {
    stack = await startLocalStack({ cognitoPort: 0, dynamoPort: 0, webPort: 0, idpPort: 0, passkeyApiPort: 0 });
    browser = await launchChromium();
    cognito = cognitoClient(stack.config);
  });
  after(async () => {
    cognito?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  const signedInHeading = (device: DemoDevice) => device.page.getByRole("heading", { name: "You're signed in" });
  const emailsTo = (email: string) => stack.outbox.list().filter((message) => message.to === email).length;

  it("signs in from “Sign in with a passkey” with the field empty", async () => {
    una = { email: `una-${randomUUID().slice(0, 8)}@example.com`, ...(await openDemoOnDevice(browser, stack)) };
    const { page, email } = una;
    await signUp(page, email);
    await enrolPasskeyAfterEmailedCode(page, stack, email);
    await signOut(page);

    const operationsBefore = una.cognitoOperations.length;
    const apiCallsBefore = una.passkeyApiCalls.length;
    const emailsBefore = emailsTo(email);
    await page.getByLabel("Email or phone number").fill("");
    await page.getByTestId("sign-in-with-passkey").click();
    await signedInHeading(una).waitFor();

    // Three calls: the challenge, InitiateAuth with the passkey's user handle, one answer. (The
    // signed-in view's passkeys panel then lists the passkeys: GET /passkeys, with the new token.)
    const signInCalls = una.passkeyApiCalls.slice(apiCallsBefore).filter((call) => call !== "GET /passkeys");
    assert.deepEqual(signInCalls, ["POST /passkeys/challenge"]);
    assert.deepEqual(una.cognitoOperations.slice(operationsBefore), ["InitiateAuth", "RespondToAuthChallenge"]);
    const challenge = una.challenges.at(-1);
    assert.ok(challenge !== undefined);
    assert.deepEqual(una.clientMetadata.at(-1), { signInMethod: "PASSKEY", passkeyChallenge: challenge.challengeId });
    assert.match((await page.locator("#signed-in-summary").textContent()) ?? "", new RegExp(`Signed in as ${email} with a synced passkey\\.`));
    assert.equal(await claimOf(page, "ID token", "auth_methods"), "swk");
    assert.equal(await claimOf(page, "ID token", "auth_level"), "urn:cognito:loa:3");
    assert.equal(await claimOf(page, "ID token", "email"), email);
    await page.getByTestId("passkeys-panel").waitFor();
    assert.equal(await page.getByTestId("passkeys-list").locator("li").count(), 1, "the signed-in view is the usual one, passkeys panel and all");
    assert.equal(emailsTo(email), emailsBefore, "nothing is sent");
    assert.deepEqual(una.pageErrors, []);
  });

  it("offers the passkey in the field's autofill as the page loads, and picking it signs in", async () => {
    const { page, email } = una;
    await signOut(page);
    const operationsBefore = una.cognitoOperations.length;
    // With presence simulated, headless Chromium answers the conditional request as a pick would.
    await loadDemo(una, stack);
    await signedInHeading(una).waitFor();

    const gets = await credentialGets(page);
    assert.deepEqual(
      gets.map(({ mediation, allowCredentials, outcome }) => ({ mediation, allowCredentials, outcome })),
      [{ mediation: "conditional", allowCredentials: 0, outcome: "resolved" }],
      "one conditional request, every passkey of the site allowed, and no modal prompt",
    );
    const challenge = una.challenges.at(-1);
    assert.equal(gets[0]?.challenge, challenge?.options.challenge, "signed over the challenge route's challenge");
    assert.deepEqual(una.clientMetadata.at(-1), { signInMethod: "PASSKEY", passkeyChallenge: challenge?.challengeId });
    assert.deepEqual(una.cognitoOperations.slice(operationsBefore).slice(-2), ["InitiateAuth", "RespondToAuthChallenge"]);
    assert.equal(await claimOf(page, "ID token", "email"), email);
    assert.equal(await page.getByTestId("sign-in-username").getAttribute("autocomplete"), "username webauthn");
    assert.deepEqual(una.pageErrors, []);
  });

  it("“Sign in with a passkey” ends the waiting autofill first, then its own prompt signs in", async () => {
    const { page, email } = una;
    await signOut(page);
    // Presence off: the autofill's conditional request waits, as it does for a person who has not picked.
    await setUserPresence(una, false);
    const challengesBefore = una.challenges.length;
    await loadDemo(una, stack);
    await page.locator('[data-testid="sign-in-username"][data-passkey-autofill="pending"]').waitFor();
    await waitFor(async () => (await credentialGets(page)).length === 1 && una.challenges.length === challengesBefore + 1, "the conditional request is made");
    const [waiting] = await credentialGets(page);
    assert.deepEqual([waiting?.mediation, waiting?.outcome], ["conditional", "pending"]);
    const autofillChallenge = una.challenges.at(-1);

    await setUserPresence(una, true);
    await page.getByTestId("sign-in-with-passkey").click();
    await signedInHeading(una).waitFor();

    const [autofill, modal, ...more] = await credentialGets(page);
    assert.deepEqual(more, []);
    assert.deepEqual([autofill?.mediation, autofill?.aborted, autofill?.outcome], ["conditional", true, "rejected"], "the autofill was aborted");
    assert.deepEqual([modal?.mediation, modal?.allowCredentials, modal?.outcome], [null, 0, "resolved"], "then a modal prompt");
    const modalChallenge = una.challenges.at(-1);
    assert.notEqual(modalChallenge?.challengeId, autofillChallenge?.challengeId, "the modal sign-in asked for a challenge of its own");
    assert.equal(modal?.challenge, modalChallenge?.options.challenge);
    assert.deepEqual(una.clientMetadata.at(-1), { signInMethod: "PASSKEY", passkeyChallenge: modalChallenge?.challengeId });
    assert.equal(await claimOf(page, "ID token", "email"), email);
    assert.equal(await page.getByTestId("sign-in-username").getAttribute("data-passkey-autofill"), "aborted");
    assert.deepEqual(una.pageErrors, []);
    await page.close();
  });

  it("a user made by linking a federated identity enrols a passkey and signs in with it without a username", async () => {
    const email = `lin-${randomUUID().slice(0, 8)}@example.com`;
    // The IdP vouches for an email nobody has: PreSignUp creates the native user (AdminCreateUser) and links.
    const first = await federatedSignIn(stack, { identity: { email, emailVerified: true }, redirectUri: `${stack.webUrl}/` });
    assert.ok("error" in first, "the sign-in that made the link ends with an error the app answers by signing in again");
    assert.match(first.errorDescription ?? "", /ACCOUNT_LINKED/);
    const native = await cognito.send(new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: email }));
    assert.notEqual(native.UserStatus, "EXTERNAL_PROVIDER", "a native user, created by the linking");

    const lin = await openDemoOnDevice(browser, stack);
    await enrolPasskeyAfterEmailedCode(lin.page, stack, email);
    await signOut(lin.page);
    await lin.page.getByLabel("Email or phone number").fill("");
    await lin.page.getByTestId("sign-in-with-passkey").click();
    await signedInHeading(lin).waitFor();
    assert.deepEqual(lin.clientMetadata.at(-1), { signInMethod: "PASSKEY", passkeyChallenge: lin.challenges.at(-1)?.challengeId });
    assert.equal(await claimOf(lin.page, "ID token", "email"), email);
    assert.equal(await claimOf(lin.page, "ID token", "sub"), native.UserAttributes?.find((attribute) => attribute.Name === "sub")?.Value);
    assert.equal(await claimOf(lin.page, "ID token", "auth_methods"), "swk");
    assert.deepEqual(lin.pageErrors, []);
    await lin.page.close();
  });
});

/** Polls the page's state (a few seconds at most) for what a locator cannot wait on. */
async function waitFor(ready: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Never happened: ${what}`);
}
