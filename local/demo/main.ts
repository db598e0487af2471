/**
 * The demo page: sign up, sign in with an emailed or texted code through the suite's rounds
 * (PROTOCOL, "Flow"), see the tokens' claims, sign out. One view at a time; every Cognito call
 * goes through cognito-calls.ts, every failure through error-messages.ts.
 */
import { CLIENT_METADATA, type CodeMethod, isCodeMethod } from "../../lib/protocol.ts";
import type { LocalConfig } from "../web/server.ts";
import { type Challenge, DemoCognito, type SignInStep, type Tokens } from "./cognito-calls.ts";
import { byId, make } from "./elements.ts";
import { describeError } from "./error-messages.ts";
import { clearNotices, showError, showStatus } from "./notices.ts";
import { showOutbox } from "./outbox-panel.ts";
import { claimsTable, decodeClaims } from "./token-claims.ts";

const VIEWS = ["view-start", "view-sign-up", "view-method", "view-code", "view-signed-in"] as const;

const METHOD_LABELS: Record<CodeMethod, string> = { EMAIL_OTP: "Email me a code", SMS_OTP: "Text me a code" };
/** How the auth_methods claim's values read in a sentence. */
const CLAIM_NAMES: Record<string, string> = { email_otp: "an emailed code", sms: "a texted code", swk: "a passkey", hwk: "a security key" };

let config: LocalConfig;
let cognito: DemoCognito;
let username = "";
let challenge: Challenge | undefined;
let tokens: Tokens | undefined;

async function start(): Promise<void> {
  showOutbox();
  const response = await fetch("/config.json", { cache: "no-store" });
  config = (await response.json()) as LocalConfig;
  cognito = new DemoCognito(config);
  byId("pool-summary", HTMLParagraphElement).replaceChildren(
    "Pool ", make("code", { text: config.userPoolId }), " · app client ", make("code", { text: config.clientId }),
    " · Cognito endpoint ", make("code", { text: config.cognitoEndpoint }),
  );

  byId("sign-in-form", HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = byId("sign-in-username", HTMLInputElement).value.trim();
    if (typed === "") return showError({ headline: "Type the email or phone number you signed up with.", detail: "" });
    username = typed;
    void run(event.submitter, async () => follow(await cognito.startSignIn(username)));
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
    if (challenge === undefined || code === "") return;
    const answered = challenge;
    void run(event.submitter, async () => follow(await cognito.answer(answered, code), answered.type));
  });

  document.querySelectorAll<HTMLButtonElement>("[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      const action = button.dataset.action;
      if (action === "start-over") startOver();
      if (action === "sign-out") void run(button, () => signOut(false));
      if (action === "sign-out-everywhere") void run(button, () => signOut(true));
    });
  });
  show("view-start", "view-sign-up");
}

/** Where a Cognito answer leads: the next round, or tokens. */
function follow(step: SignInStep, answeredRound?: string): void {
  if (step.kind === "tokens") return showTokens(step.tokens);
  const previous = answeredRound;
  challenge = step.challenge;
  switch (challenge.type) {
    case "SELECT_METHOD":
      return showMethods(challenge);
    case "EMAIL_OTP":
    case "SMS_OTP":
      showCode(challenge);
      // The same round again means the code was wrong; the session allows a few more tries.
      if (previous === challenge.type) {
        showError({ headline: "That code isn't right. Check the newest message and try again.", detail: "" });
      }
      return;
    default:
      throw new Error(`The demo does not handle the ${challenge.type} round yet.`);
  }
}

function showMethods(round: Challenge): void {
  const offered = (round.parameters.methods ?? "").split(",").filter(isCodeMethod);
  const buttons: HTMLElement[] = offered.map((method) => {
    const button = make("button", { className: "choice", text: METHOD_LABELS[method] });
    button.type = "button";
    button.addEventListener("click", () =>
      void run(button, async () => follow(await cognito.answer(round, method, { [CLIENT_METADATA.signInMethod]: method }))),
    );
    return button;
  });
  if (buttons.length === 0) {
    buttons.push(make("p", { text: `This pool offers no code method (methods: ${round.parameters.methods ?? "none"}).` }));
  }
  byId("method-choices", HTMLDivElement).replaceChildren(...buttons);
  setText("username", username);
  show("view-method");
  buttons[0]?.focus();
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
  const input = byId("code-input", HTMLInputElement);
  input.value = "";
  if (codeLength !== undefined) input.maxLength = Number(codeLength);
  show("view-code");
  input.focus();
}

function showTokens(issued: Tokens): void {
  tokens = issued;
  challenge = undefined;
  const id = decodeClaims(issued.idToken);
  const access = decodeClaims(issued.accessToken);
  const methods = String(id.auth_methods ?? access.auth_methods ?? "").split(" ").filter((name) => name !== "");
  const how = methods.map((name) => CLAIM_NAMES[name] ?? name).join(" and ");
  byId("signed-in-summary", HTMLParagraphElement).replaceChildren(
    `Signed in as `, make("strong", { text: String(id.email ?? id.phone_number ?? username) }),
    ` with ${how === "" ? "a verified factor" : how}. The suite's claims, `,
    make("code", { text: "auth_methods" }), " and ", make("code", { text: "auth_level" }),
    ", are highlighted below.",
  );
  byId("token-claims", HTMLDivElement).replaceChildren(claimsTable("ID token", id), claimsTable("Access token", access));
  show("view-signed-in");
}

async function signOut(everywhere: boolean): Promise<void> {
  if (tokens === undefined) return;
  const signedOut = tokens;
  await (everywhere ? cognito.signOutEverywhere(signedOut) : cognito.signOut(signedOut));
  tokens = undefined;
  startOver();
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
async function run(trigger: HTMLElement | null, action: () => Promise<void> | void): Promise<void> {
  const button = trigger instanceof HTMLButtonElement ? trigger : undefined;
  clearNotices();
  if (button !== undefined) button.disabled = true;
  try {
    await action();
  } catch (error) {
    const message = describeError(error, config.cognitoEndpoint);
    if (message.restart) {
      challenge = undefined;
      show("view-start", "view-sign-up");
    }
    showError(message);
  } finally {
    if (button !== undefined) button.disabled = false;
  }
}

function show(...visible: (typeof VIEWS)[number][]): void {
  for (const view of VIEWS) byId(view, HTMLElement).hidden = !visible.includes(view);
}

function setText(field: string, text: string): void {
  document.querySelectorAll(`[data-field="${field}"]`).forEach((element) => {
    element.textContent = text;
  });
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

start().catch((error: unknown) => {
  showError({ headline: "The demo could not start: is npm start still running?", detail: String(error) });
});
