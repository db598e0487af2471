/**
 * The demo page: sign up, sign in through the suite's rounds with a passkey or an emailed or
 * texted code, or through the local identity provider (federated-sign-in.ts), add a passkey after
 * a code or without typing anything (a passkey from the button or the field's autofill,
 * passkey-autofill-offer.ts), see the tokens' claims, manage the user's passkeys through the passkey API when
 * /config.json names it (passkeys-panel.ts), sign out. One view at a time. Sign-in is
 * @cognito-passwordless/client, one typed round at a time (its default WebAuthn ceremonies are
 * SimpleWebAuthn's browser package); the page's other Cognito calls go through cognito-calls.ts
 * on the same SDK client, and every failure is worded by error-messages.ts.
 */
import {
  type CodeMethod,
  type CodeRound,
  PasskeyCancelledError,
  type PasskeyRegistrationRound,
  type PasswordlessClient,
  type SelectMethodRound,
  type SignInOutcome,
  createPasskeyManager,
  createPasswordlessClient,
} from "@cognito-passwordless/client";
import type { LocalConfig } from "../web/server.ts";
import { DemoCognito, type Tokens, cognitoClient } from "./cognito-calls.ts";
import { byId, make } from "./elements.ts";
import { type FailedStep, describeError } from "./error-messages.ts";
import { type FederatedReturn, type FederationSettings, finishFederatedSignIn, startFederatedSignIn } from "./federated-sign-in.ts";
import { clearNotices, showError, showStatus } from "./notices.ts";
import { type AutofillOffer, createAutofillOffer } from "./passkey-autofill-offer.ts";
import { showOutbox } from "./outbox-panel.ts";
import { browserHasPasskeys, passkeyFriendlyAddress, requireBrowserPasskeys } from "./passkey-support.ts";
import { type PasskeysPanel, createPasskeysPanel } from "./passkeys-panel.ts";
import { managesAccount, showSignedIn } from "./signed-in-view.ts";
import { setText, show } from "./views.ts";

/** The code methods this page offers, and their buttons. */
const METHOD_LABELS: Record<CodeMethod, string> = { EMAIL_OTP: "Email me a code", SMS_OTP: "Text me a code" };
const PASSKEY_LABEL = "Sign in with a passkey";

/** The round the page is showing, to be answered next. */
type Round = SelectMethodRound | CodeRound | PasskeyRegistrationRound;

let config: LocalConfig;
let passwordless: PasswordlessClient;
let cognito: DemoCognito;
let username = "";
let round: Round | undefined;
let tokens: Tokens | undefined;
/** Whether the last SELECT_METHOD round offered passkeys: deployment-wide, so it holds for the rounds after it. */
let passkeysOffered = false;
/** "Your passkeys", when /config.json names the passkey API; otherwise the page works without it. */
let passkeysPanel: PasskeysPanel | undefined;
/** Passkeys in the sign-in field's autofill; like sign-in without a username, it needs the passkey API's challenge route. */
let autofill: AutofillOffer | undefined;

async function start(): Promise<void> {
  showOutbox();
  const response = await fetch("/config.json", { cache: "no-store" });
  config = (await response.json()) as LocalConfig;
  const sdk = cognitoClient(config);
  const passkeyApiUrl = typeof config.passkeyApiUrl === "string" && config.passkeyApiUrl !== "" ? config.passkeyApiUrl : undefined;
  passwordless = createPasswordlessClient({ cognito: sdk, clientId: config.clientId, passkeyApiUrl });
  cognito = new DemoCognito(sdk, config.clientId);
  if (passkeyApiUrl !== undefined) {
    autofill = createAutofillOffer({
      client: passwordless,
      input: byId("sign-in-username", HTMLInputElement),
      onSignedIn: (issued) => {
        clearNotices();
        username = "";
        showTokens(issued);
      },
      // Not offered again by itself: a refusal or an outage would repeat without the person asking.
      onError: (error) => showError(describeError(error, { cognitoEndpoint: config.cognitoEndpoint, step: "usernameless-passkey-sign-in" })),
    });
  }
  if (passkeyApiUrl !== undefined) {
    passkeysPanel = createPasskeysPanel({
      manager: createPasskeyManager({ apiUrl: passkeyApiUrl, accessToken: () => tokens?.accessToken }),
      signInAgain,
      onAction: clearNotices,
    });
    byId("passkey-after-code-hint", HTMLParagraphElement).hidden = true;
  }
  byId("pool-summary", HTMLParagraphElement).replaceChildren(
    "Pool ",
    make("code", { text: config.userPoolId }),
    " · app client ",
    make("code", { text: config.clientId }),
    " · Cognito endpoint ",
    make("code", { text: config.cognitoEndpoint }),
  );
  const betterAddress = passkeyFriendlyAddress(window.location);
  if (betterAddress !== undefined) {
    const hint = byId("passkey-address-hint", HTMLParagraphElement);
    const link = make("a", { text: betterAddress });
    link.href = betterAddress;
    hint.replaceChildren("Passkeys need a domain, not an IP address: open ", link, " to use them.");
    hint.hidden = false;
  }

  byId("sign-in-form", HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = byId("sign-in-username", HTMLInputElement).value.trim();
    const withPasskey = event.submitter instanceof HTMLElement && event.submitter.dataset.intent === "passkey";
    // Nothing typed: the passkey the person picks says who they are.
    if (typed === "" && withPasskey && autofill !== undefined) return void run(event.submitter, signInWithoutUsername, "usernameless-passkey-sign-in");
    if (typed === "") return showError({ headline: "Type the email or phone number you signed up with.", detail: "" });
    username = typed;
    void run(
      event.submitter,
      async () => {
        const select = await passwordless.signIn(username);
        if (withPasskey) return signInWithPasskey(select);
        showMethods(select);
      },
      withPasskey ? "passkey-sign-in" : undefined,
    );
  });

  byId("sign-up-form", HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    const email = optional(byId("sign-up-email", HTMLInputElement).value);
    const phone = optional(byId("sign-up-phone", HTMLInputElement).value.replace(/[\s()-]/g, ""));
    if (email === undefined && phone === undefined) {
      return showError({ headline: "Give an email address, a phone number, or both.", detail: "" });
    }
    void run(event.submitter, async () => {
      const created = await cognito.signUp(email, phone);
      byId("sign-up-form", HTMLFormElement).reset();
      byId("sign-in-username", HTMLInputElement).value = created.username;
      showStatus(`Account created for ${created.username}. Sign in with it above: a code proves the address is yours.`);
      byId("sign-in-username", HTMLInputElement).focus();
    });
  });

  byId("code-form", HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    const code = byId("code-input", HTMLInputElement).value.replace(/\s/g, "");
    if (round?.kind !== "code" || code === "") return;
    const answered = round;
    // Asked with the answer that completes the factor: the next round is then PASSKEY_REGISTRATION.
    const registerPasskey = !byId("register-passkey-option", HTMLElement).hidden && byId("register-passkey", HTMLInputElement).checked;
    void run(event.submitter, async () => afterFactor(await answered.answer(code, { registerPasskey })));
  });

  document.querySelectorAll<HTMLButtonElement>("[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      const action = button.dataset.action;
      if (action === "start-over") startOver();
      if (action === "create-passkey") void run(button, enrolPasskey);
      if (action === "skip-passkey") void run(button, skipPasskey);
      if (action === "sign-out") void run(button, () => signOut(false));
      if (action === "sign-out-everywhere") void run(button, () => signOut(true));
      if (action === "federated-sign-in" && config.federation !== undefined) {
        void run(button, () => startFederatedSignIn(config.federation!, config.clientId));
      }
    });
  });
  showStart();

  const federation = config.federation;
  if (federation !== undefined) {
    byId("federated-sign-in", HTMLDivElement).hidden = false;
    byId("federated-sign-in-button", HTMLButtonElement).textContent = `Sign in with ${federation.identityProvider}`;
    await run(null, async () => showFederatedReturn(await finishFederatedSignIn(federation, config.clientId), federation, config.clientId));
  }
  // Offered once the page knows it is not returning signed in from the identity provider.
  if (!byId("view-start", HTMLElement).hidden) autofill?.offer();
}

/**
 * The first step. Passkeys are offered in the field's autofill as the page loads and after the
 * person dismissed the button's prompt, not each time the step comes back: after a sign-out the
 * person is there to choose, and a browser that answers autofill by itself (headless Chromium
 * with a virtual authenticator) would sign them straight back in.
 */
function showStart(): void {
  show("view-start", "view-sign-up");
}

/**
 * "Sign in with a passkey" with the field empty: the client ends the pending autofill (a browser
 * holds one passkey request at a time), asks the passkey API for a challenge and opens the prompt.
 */
async function signInWithoutUsername(): Promise<void> {
  requireBrowserPasskeys("authentication");
  username = "";
  try {
    afterFactor(await passwordless.signInWithPasskey());
  } catch (error) {
    // No passkey chosen: the person is still on the first step, so the field offers them again.
    if (error instanceof PasskeyCancelledError) autofill?.offer();
    throw error;
  }
}

/** Set while the one automatic retry after a link is under way, so a second failure cannot loop. */
const LINK_RETRY_KEY = "demo.federatedLinkRetry";

/** The pool sent this page back a code (now redeemed) or an error from a federated sign-in. */
async function showFederatedReturn(returned: FederatedReturn, federation: FederationSettings, clientId: string): Promise<void> {
  const provider = federation.identityProvider;
  if (returned.kind === "none") return;
  const retried = sessionStorage.getItem(LINK_RETRY_KEY) !== null;
  sessionStorage.removeItem(LINK_RETRY_KEY);
  if (returned.kind === "tokens") {
    username = "";
    return showTokens(returned.tokens);
  }
  const detail = `${returned.error}: ${returned.description}`;
  // The first sign-in that links an identity to an existing account ends with an error (this
  // suite's PreSignUp says ACCOUNT_LINKED; Cognito itself is reported to say "Already found an
  // entry for username …"). What the README asks of apps: start the same sign-in again, once.
  if (/Already found an entry|ACCOUNT_LINKED/.test(returned.description) && !retried) {
    sessionStorage.setItem(LINK_RETRY_KEY, "1");
    return startFederatedSignIn(federation, clientId);
  }
  showError({ headline: `The sign-in with ${provider} did not finish.`, detail });
}

/** Where an answer that proved a factor leads: tokens, or the enrolment round the code answer asked for. */
function afterFactor(outcome: SignInOutcome): void {
  if (outcome.kind === "signed-in") showTokens(outcome.tokens);
  else showRegistration(outcome);
}

function isOfferedCode(method: string): method is CodeMethod {
  return Object.hasOwn(METHOD_LABELS, method);
}

function showMethods(select: SelectMethodRound): void {
  round = select;
  passkeysOffered = select.passkeyOffered;
  const buttons: HTMLElement[] = [];
  if (select.passkeyOffered) {
    const button = make("button", { className: "choice passkey", text: PASSKEY_LABEL });
    button.type = "button";
    button.addEventListener("click", () => void run(button, () => signInWithPasskey(select), "passkey-sign-in"));
    buttons.push(button);
  }
  for (const method of select.methods.filter(isOfferedCode)) {
    const button = make("button", { className: "choice", text: METHOD_LABELS[method] });
    button.type = "button";
    // login is what the person typed: the code round shows it, masked, as where the code went.
    button.addEventListener("click", () => void run(button, async () => showCode(await select.chooseCode(method, { login: username }))));
    buttons.push(button);
  }
  if (buttons.length === 0) {
    buttons.push(make("p", { text: `This pool offers no method this page knows (methods: ${select.methods.join(",") || "none"}).` }));
  }
  byId("method-choices", HTMLDivElement).replaceChildren(...buttons);
  setText("username", select.username);
  show("view-method");
  buttons[0]?.focus();
}

/**
 * Round 1 answered with a passkey: the browser signs the round's challenge, and a valid assertion
 * by one of this user's passkeys completes the sign-in in this one answer.
 */
async function signInWithPasskey(select: SelectMethodRound): Promise<void> {
  // The method view stays behind the browser's prompt: if no passkey is used, a code is one click away.
  showMethods(select);
  // A pool without passkeys is the client's MethodNotOfferedError; a browser without WebAuthn is the page's to say.
  if (select.passkeyOffered) requireBrowserPasskeys("authentication");
  afterFactor(await select.signInWithPasskey());
}

function showCode(code: CodeRound): void {
  round = code;
  const channel = code.method === "EMAIL_OTP" ? "emailed" : "texted";
  const sentTo = byId("code-sent-to", HTMLParagraphElement);
  sentTo.replaceChildren(`We ${channel} a ${code.codeLength}-digit code to `, make("strong", { text: code.destination }), ".");
  const time = make("time", { text: code.expiresAt.toLocaleTimeString() });
  time.dateTime = code.expiresAt.toISOString();
  sentTo.append(" It expires at ", time, ".");
  // Offered only where it can work: the pool has passkeys on and this browser can create one.
  byId("register-passkey-option", HTMLElement).hidden = !(passkeysOffered && browserHasPasskeys());
  const input = byId("code-input", HTMLInputElement);
  input.value = "";
  input.maxLength = code.codeLength;
  show("view-code");
  input.focus();
}

function showRegistration(registration: PasskeyRegistrationRound): void {
  round = registration;
  // Who the passkey will be for and which site it belongs to, as the browser's prompt will say.
  setText("passkey-user", registration.options.user.name || username);
  setText("passkey-rp", registration.options.rp.id ?? "this site");
  show("view-passkey-registration");
  byId("create-passkey", HTMLButtonElement).focus();
  // Offered again: the pool could not verify the new passkey. The factor is proven already, so
  // nothing is lost: try again, or finish without a passkey.
  if (registration.attempt > 1) {
    showError({ headline: "The pool couldn't verify the new passkey. Try again, or choose “Not now” to finish signing in.", detail: "" });
  }
}

async function enrolPasskey(): Promise<void> {
  if (round?.kind !== "passkey-registration") return;
  const registration = round;
  requireBrowserPasskeys("registration");
  // The client sends this browser's user agent with the registration (ClientMetadata.userAgent).
  const outcome = await registration.register();
  if (outcome.kind === "passkey-registration") return showRegistration(outcome);
  showTokens(outcome.tokens);
  // Tokens also come once the bounded retries are used up, so after a refusal say less.
  showStatus(
    registration.attempt === 1
      ? `Passkey added. Next time, type ${username} and choose “${PASSKEY_LABEL}”: no code needed.`
      : "Signed in. If the passkey still wasn't accepted, add one on your next sign-in with a code.",
  );
}

async function skipPasskey(): Promise<void> {
  if (round?.kind !== "passkey-registration") return;
  showTokens((await round.skip()).tokens);
}

function showTokens(issued: Tokens): void {
  tokens = issued;
  round = undefined;
  autofill?.withdraw();
  showSignedIn(issued, username);
  void passkeysPanel?.open();
}

/**
 * "Sign in again", offered when the passkey API wants a newer sign-in than these tokens' (a
 * refresh keeps auth_time): sign out, then the sign-in view, with the account still typed in.
 */
async function signInAgain(): Promise<void> {
  const signedOut = tokens;
  tokens = undefined;
  startOver();
  // Revoking is a courtesy here: whether it works or not, the person signs in anew.
  if (signedOut !== undefined) await cognito.signOut(signedOut).catch(() => undefined);
  showStatus("Signed out. Sign in again, then add your passkey from “Your passkeys” straight away.");
}

async function signOut(everywhere: boolean): Promise<void> {
  if (tokens === undefined) return;
  const signedOut = tokens;
  await (everywhere ? cognito.signOutEverywhere(signedOut) : cognito.signOut(signedOut));
  tokens = undefined;
  startOver();
  // Tokens from the hosted UI lack the scope GetUser needs, so asking about them would prove nothing.
  if (!managesAccount(signedOut)) return showStatus("Signed out.");
  // Show what signing out did, rather than assume it: ask the pool about the old access token.
  const stillAccepted = await cognito.acceptsAccessToken(signedOut.accessToken).catch(() => undefined);
  showStatus(
    stillAccepted === undefined
      ? "Signed out."
      : stillAccepted
        ? "Signed out. (The pool still accepts the old access token until it expires.)"
        : "Signed out. The pool now refuses the old access token (GetUser → NotAuthorizedException).",
  );
}

function startOver(): void {
  round = undefined;
  passkeysPanel?.close();
  clearNotices();
  showStart();
  byId("sign-in-username", HTMLInputElement).focus();
}

/** Runs a step with its button disabled, showing any failure. */
async function run(trigger: HTMLElement | null, action: () => Promise<void> | void, step?: FailedStep): Promise<void> {
  const button = trigger instanceof HTMLButtonElement ? trigger : undefined;
  clearNotices();
  if (button !== undefined) button.disabled = true;
  try {
    await action();
  } catch (error) {
    const rpId = round?.kind === "passkey-registration" ? round.options.rp.id : undefined;
    const message = describeError(error, { cognitoEndpoint: config.cognitoEndpoint, step, rpId });
    // A wrong code with tries left: the same code round again, on a new session; nothing new was sent.
    if (message.retry !== undefined) showCode(message.retry);
    if (message.restart) {
      round = undefined;
      showStart();
    }
    showError(message);
  } finally {
    if (button !== undefined) button.disabled = false;
  }
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

start().catch((error: unknown) => {
  showError({ headline: "The demo could not start: is npm start still running?", detail: String(error) });
});
