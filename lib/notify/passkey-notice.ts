/**
 * The words of the notice that tells an account's owner a passkey was added to it (README,
 * "Security": every new passkey announced). Enrolment after a code is the recovery path for a
 * lost device, so it stays; the notice is what makes it safe: whoever holds the mailbox or phone
 * the account verified learns of a passkey they did not add. Pure, so the text is tested as a value.
 */
import { escapeHtml } from "../send/code-message.ts";

export interface PasskeyChange {
  readonly kind: "added";
  /** The passkey's friendly name ("iCloud Keychain", "Chrome on Mac"), as the app will show it. */
  readonly passkeyName: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /** APP_NAME: the app the passkey signs in to. */
  readonly appName: string;
}

export interface NoticeEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Names are ours or the browser's; bound them so a notice never carries a page of text. */
const MAX_NAME_LENGTH = 64;

function shownName(name: string): string {
  // Control characters could break the SMS or fake a line in the email.
  const clean = name
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const bounded = clean.length > MAX_NAME_LENGTH ? `${clean.slice(0, MAX_NAME_LENGTH - 1)}…` : clean;
  return bounded === "" ? "a passkey" : bounded;
}

/** "2026-12-02 05:12 UTC": one unambiguous form, whatever the reader's time zone. */
export function noticeTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** APP_NAME's default (lib/config.ts) names no app: the words then name none either. */
function namesNoApp(appName: string): boolean {
  return appName.trim().toLowerCase() === "your account";
}

/** "your Example account", or "your account" when no app is named. */
function accountOf(appName: string): string {
  return namesNoApp(appName) ? "your account" : `your ${appName} account`;
}

/** "Example support", or "support". */
function supportOf(appName: string): string {
  return namesNoApp(appName) ? "support" : `${appName} support`;
}

function lines(change: PasskeyChange): { headline: string; facts: string[]; notYou: string } {
  const name = shownName(change.passkeyName);
  return {
    headline: `A passkey was added to ${accountOf(change.appName)}.`,
    facts: [`Passkey: ${name}`, `When: ${noticeTime(change.at)}`, ...(namesNoApp(change.appName) ? [] : [`App: ${change.appName}`])],
    notYou:
      "If this was not you, someone who can read this mailbox or these messages added it and can now sign in with it: " +
      `contact ${supportOf(change.appName)} to have it removed, and secure this mailbox or phone. If it was you, there is nothing to do.`,
  };
}

export function buildPasskeyNoticeEmail(change: PasskeyChange): NoticeEmail {
  const { headline, facts, notYou } = lines(change);
  const text = [headline, "", ...facts, "", notYou, ""].join("\n");
  const html = [
    "<!DOCTYPE html>",
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2328;">',
    `<p>${escapeHtml(headline)}</p>`,
    `<p>${facts.map(escapeHtml).join("<br>")}</p>`,
    `<p>${escapeHtml(notYou)}</p>`,
    "</body></html>",
    "",
  ].join("\n");
  return { subject: `A passkey was added to ${accountOf(change.appName)}`, text, html };
}

/** Short enough for two SMS segments with an ordinary app name and passkey name. */
export function buildPasskeyNoticeSms(change: PasskeyChange): string {
  const prefix = namesNoApp(change.appName) ? "A" : `${change.appName}: a`;
  return (
    `${prefix} passkey (${shownName(change.passkeyName)}) was added to your account at ${noticeTime(change.at)}. ` +
    `Not you? Contact ${supportOf(change.appName)} to remove it.`
  );
}
