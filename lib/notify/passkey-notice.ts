/**
 * The words of the notice that tells an account's owner a passkey was added to it (README,
 * "Security": every new passkey announced). Enrolment after a code is the recovery path for a
 * lost device, so it stays; the notice is what makes it safe: whoever holds the mailbox or phone
 * the account verified learns of a passkey they did not add. A passkey removed (revoked by an
 * operator, lib/passkey/revoke-passkey.ts) is announced the same way, so an owner also learns of
 * a removal they did not ask for. Pure, so the text is tested as a value.
 */
import { escapeHtml } from "../send/code-message.ts";

export interface PasskeyChange {
  /** "added": enrolled; "removed": revoked, it signs in no more. */
  readonly kind: "added" | "removed";
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

/** "A passkey was added to your Acme account" / "A passkey was removed from your Acme account". */
function headlineOf(change: PasskeyChange): string {
  return change.kind === "added" ? `A passkey was added to ${accountOf(change.appName)}` : `A passkey was removed from ${accountOf(change.appName)}`;
}

function lines(change: PasskeyChange): { headline: string; facts: string[]; notYou: string } {
  const name = shownName(change.passkeyName);
  return {
    headline: `${headlineOf(change)}.`,
    facts: [`Passkey: ${name}`, `When: ${noticeTime(change.at)}`, ...(namesNoApp(change.appName) ? [] : [`App: ${change.appName}`])],
    notYou:
      change.kind === "added"
        ? "If this was not you, someone who can read this mailbox or these messages added it and can now sign in with it: " +
          `contact ${supportOf(change.appName)} to have it removed, and secure this mailbox or phone. If it was you, there is nothing to do.`
        : "This passkey no longer signs in to the account; your other passkeys and sign-in codes still do. " +
          `If you did not ask for this, contact ${supportOf(change.appName)}. If it was you, there is nothing to do.`,
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
  return { subject: headlineOf(change), text, html };
}

/** Short enough for two SMS segments with an ordinary app name and passkey name. */
export function buildPasskeyNoticeSms(change: PasskeyChange): string {
  const prefix = namesNoApp(change.appName) ? "A" : `${change.appName}: a`;
  if (change.kind === "removed") {
    return (
      `${prefix} passkey (${shownName(change.passkeyName)}) was removed from your account at ${noticeTime(change.at)}. ` +
      `Not you? Contact ${supportOf(change.appName)}.`
    );
  }
  return (
    `${prefix} passkey (${shownName(change.passkeyName)}) was added to your account at ${noticeTime(change.at)}. ` +
    `Not you? Contact ${supportOf(change.appName)} to remove it.`
  );
}
