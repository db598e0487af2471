/**
 * The demo page: sign up, sign in through the suite's rounds (PROTOCOL, "Flow") with a passkey or
 * an emailed or texted code, or through the local identity provider (federated-sign-in.ts), add a
 * passkey after a code, see the tokens' claims, sign out. One view at a time; every Cognito call
 * goes through cognito-calls.ts, every browser passkey ceremony through passkey-ceremonies.ts,
 * every failure through error-messages.ts.
 */
import { CLIENT_METADATA, type CodeMethod, SKIP_REGISTRATION_ANSWER, isCodeMethod } from "@cognito-passwordless/protocol";
import type { LocalConfig } from "../web/server.ts";
import { type Challenge, DemoCognito, type SignInStep, type Tokens } from "./cognito-calls.ts";
import { byId, make } from "./elements.ts";
import { type FailedStep, describeError } from "./error-messages.ts";
import { type FederatedReturn, type FederationSettings, finishFederatedSignIn, startFederatedSignIn } from "./federated-sign-in.ts";
import { clearNotices, showError, showStatus } from "./notices.ts";
import { showOutbox } from "./outbox-panel.ts";
import { browserHasPasskeys, createPasskey, passkeyFriendlyAddress, signWithPasskey } from "./passkey-ceremonies.ts";
import { managesAccount, showSignedIn } from "./signed-in-view.ts";
import { setText, show } from "./views.ts";

const METHOD_LABELS: Record<CodeMethod, string> = { EMAIL_OTP: "Email me a code", SMS_OTP: "Text me a code" };
const PASSKEY_LABEL = "Sign in with a passkey";

/** What was answered last, so the next round can be read as "try again". */
type Answered = CodeMethod | "PASSKEY" | "PASSKEY_REGISTRATION" | "SKIP";

let config: LocalConfig;
let cognito: DemoCognito;
let username = "";
let challenge: Challenge | undefined;
let tokens: Tokens | undefined;
/** Registration answers the pool did not accept in this sign-in (it offers the round again, a bounded number of times). */
let refusedRegistrations = 0;
/** The methods of the last SELECT_METHOD round: deployment-wide, so they hold for the rounds after it. */
let offeredMethods: string[] = [];

async function start(): Promise<void> {
  showOutbox();
  const response = await fetch("/config.json", { cache: "no-store" });
  config = (await response.json()) as LocalConfig;
  cognito = new DemoCognito(config);
  byId("pool-summary", HTMLParagraphElement).replaceChildren(
    "Pool ", make("code", { text: config.userPoolId }), " · app client ", make("code", { text: config.clientId }),
    " · Cognito endpoint ", make("code", { text: config.cognitoEndpoint }),
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
    if (typed === "") return showError({ headline: "Type the email or phone number you signed up with.", detail: "" });
    username = typed;
    refusedRegistrations = 0;
    const withPasskey = event.submitter instanceof HTMLElement && event.submitter.dataset.intent === "passkey";
    void run(
      event.submitter,
      async () => {
        const step = await cognito.startSignIn(username);
        if (withPasskey && step.kind === "challenge" && step.challenge.type === "SELECT_METHOD") {
          challenge = step.challenge;
          return signInWithPasskey(step.challenge);
        }
        follow(step);
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
    if (challenge === undefined || code === "" || !isCodeMethod(challenge.type)) return;
    const answered = challenge;
    const method = answered.type as CodeMethod;
    // Asked with the answer that completes the factor: the next round is then PASSKEY_REGISTRATION.
    const addPasskey = !byId("register-passkey-option", HTMLElement).hidden && byId("register-passkey", HTMLInputElement).checked;
    const metadata = addPasskey ? { [CLIENT_METADATA.registerPasskey]: "true" } : undefined;
    void run(event.submitter, async () => follow(await cognito.answer(answered, code, metadata), method));
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
  show("view-start", "view-sign-up");

  const federation = config.federation;
  if (federation !== undefined) {
    byId("federated-sign-in", HTMLDivElement).hidden = false;
    byId("federated-sign-in-button", HTMLButtonElement).textContent = `Sign in with ${federation.identityProvider}`;
    await run(null, async () => showFederatedReturn(await finishFederatedSignIn(federation, config.clientId), federation, config.clientId));
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
    return showTokens(returned.tokens, undefined);
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

/** Where a Cognito answer leads: the next round, or tokens. */
function follow(step: SignInStep, answered?: Answered): void {
  if (step.kind === "tokens") return showTokens(step.tokens, answered);
  challenge = step.challenge;
  switch (challenge.type) {
    case "SELECT_METHOD":
      showMethods(challenge);
      if (answered === "PASSKEY") {
        showError({ headline: "The pool didn't accept that passkey for this account. Try another, or get a code.", detail: "" });
      }
      return;
    case "EMAIL_OTP":
    case "SMS_OTP":
      showCode(challenge);
      // The same round again means the code was wrong; the session allows a few more tries.
      if (answered === challenge.type) {
        showError({ headline: "That code isn't right. Check the newest message and try again.", detail: "" });
      }
      return;
    case "PASSKEY_REGISTRATION":
      showRegistration(challenge);
      // Offered again: the pool could not verify the new passkey. The factor is proven already,
      // so nothing is lost: try again, or finish without a passkey.
      if (answered === "PASSKEY_REGISTRATION") {
        refusedRegistrations += 1;
        showError({ headline: "The pool couldn't verify the new passkey. Try again, or choose “Not now” to finish signing in.", detail: "" });
      }
      return;
    default:
      throw new Error(`The demo does not handle the ${challenge.type} round.`);
  }
}

function offers(round: Challenge, method: string): boolean {
  return (round.parameters.methods ?? "").split(",").includes(method);
}

function showMethods(round: Challenge): void {
  offeredMethods = (round.parameters.methods ?? "").split(",");
  const buttons: HTMLElement[] = [];
  if (offers(round, "PASSKEY") && round.parameters.passkeyOptions !== undefined) {
    const button = make("button", { className: "choice passkey", text: PASSKEY_LABEL });
    button.type = "button";
    button.addEventListener("click", () => void run(button, () => signInWithPasskey(round), "passkey-sign-in"));
    buttons.push(button);
  }
  for (const method of (round.parameters.methods ?? "").split(",").filter(isCodeMethod)) {
    const button = make("button", { className: "choice", text: METHOD_LABELS[method] });
    button.type = "button";
    button.addEventListener("click", () =>
      void run(button, async () =>
        follow(await cognito.answer(round, method, { [CLIENT_METADATA.signInMethod]: method, [CLIENT_METADATA.login]: username })),
      ),
    );
    buttons.push(button);
  }
  if (buttons.length === 0) {
    buttons.push(make("p", { text: `This pool offers no method this page knows (methods: ${round.parameters.methods ?? "none"}).` }));
  }
  byId("method-choices", HTMLDivElement).replaceChildren(...buttons);
  setText("username", username);
  show("view-method");
  buttons[0]?.focus();
}

/**
 * Round 1 answered with a passkey: the browser signs the round's challenge, and a valid assertion
 * by one of this user's passkeys completes the sign-in in this one answer.
 */
async function signInWithPasskey(round: Challenge): Promise<void> {
  // The method view stays behind the browser's prompt: if no passkey is used, a code is one click away.
  showMethods(round);
  const options = round.parameters.passkeyOptions;
  if (!offers(round, "PASSKEY") || options === undefined) {
    showError({
      headline: "This pool doesn't offer passkeys (its SignInMethods has no PASSKEY). Choose a code instead.",
      detail: `methods: ${round.parameters.methods ?? "none"}`,
    });
    return;
  }
  const answer = await signWithPasskey(options);
  follow(await cognito.answer(round, answer, { [CLIENT_METADATA.signInMethod]: "PASSKEY" }), "PASSKEY");
}

function showCode(round: Challenge): void {
  const { destination = "you", expiresAt, codeLength } = round.parameters;
  const length = codeLength === undefined ? "" : `${codeLength}-digit `;
  const channel = round.type === "EMAIL_OTP" ? "emailed" : "texted";
  const sentTo = byId("code-sent-to", HTMLParagraphElement);
  sentTo.replaceChildren(`We ${channel} a ${length}code to `, make("strong", { text: destination }), ".");
  if (expiresAt !== undefined) {
    const time = make("time", { text: new Date(expiresAt).toLocaleTimeString() });
    time.dateTime = expiresAt;
    sentTo.append(" It expires at ", time, ".");
  }
  // Offered only where it can work: the pool has passkeys on and this browser can create one.
  const passkeysOffered = offeredMethods.includes("PASSKEY") && browserHasPasskeys();
  byId("register-passkey-option", HTMLElement).hidden = !passkeysOffered;
  const input = byId("code-input", HTMLInputElement);
  input.value = "";
  if (codeLength !== undefined) input.maxLength = Number(codeLength);
  show("view-code");
  input.focus();
}

function showRegistration(round: Challenge): void {
  const described = describeCreationOptions(round.parameters.options);
  setText("passkey-user", described.user ?? username);
  setText("passkey-rp", described.rp ?? "this site");
  show("view-passkey-registration");
  byId("create-passkey", HTMLButtonElement).focus();
}

/** Who the passkey will be for and which site it belongs to, as the browser's prompt will say. */
function describeCreationOptions(json: string | undefined): { user?: string; rp?: string } {
  try {
    const options = JSON.parse(json ?? "") as { user?: { name?: unknown }; rp?: { id?: unknown; name?: unknown } };
    return {
      ...(typeof options.user?.name === "string" ? { user: options.user.name } : {}),
      ...(typeof options.rp?.id === "string" ? { rp: options.rp.id } : {}),
    };
  } catch {
    return {};
  }
}

async function enrolPasskey(): Promise<void> {
  const round = challenge;
  if (round?.type !== "PASSKEY_REGISTRATION") return;
  const answer = await createPasskey(round.parameters.options ?? "");
  follow(await cognito.answer(round, answer), "PASSKEY_REGISTRATION");
}

async function skipPasskey(): Promise<void> {
  const round = challenge;
  if (round?.type !== "PASSKEY_REGISTRATION") return;
  follow(await cognito.answer(round, SKIP_REGISTRATION_ANSWER), "SKIP");
}

function showTokens(issued: Tokens, answered: Answered | undefined): void {
  tokens = issued;
  challenge = undefined;
  showSignedIn(issued, username);
  if (answered === "PASSKEY_REGISTRATION") {
    // Tokens also come once the bounded retries are used up, so after a refusal say less.
    showStatus(
      refusedRegistrations === 0
        ? `Passkey added. Next time, type ${username} and choose “${PASSKEY_LABEL}”: no code needed.`
        : "Signed in. If the passkey still wasn't accepted, add one on your next sign-in with a code.",
    );
  }
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
  challenge = undefined;
  clearNotices();
  show("view-start", "view-sign-up");
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
    const message = describeError(error, config.cognitoEndpoint, step);
    if (message.restart) {
      challenge = undefined;
      show("view-start", "view-sign-up");
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
