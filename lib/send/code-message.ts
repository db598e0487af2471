/**
 * The words of a sign-in code message, for email and SMS. Pure: no I/O, no configuration read,
 * so the text a user receives is tested as a value.
 */
import { ConfigError } from "../errors.ts";

export interface CodeMessageInput {
  /** The one-time code, digits. */
  readonly code: string;
  /** The name users know the app by; it is escaped wherever it goes into HTML. */
  readonly appName: string;
  readonly expiresInMinutes: number;
  /**
   * A claim code (lib/ownership/address-use.ts): the address is on an account that never proved
   * it and that someone else owns. The words say what entering it does, and what the account's
   * owner should do instead, since only the holder of the address reads them.
   */
  readonly claim?: boolean;
}

export interface CodeEmailInput extends CodeMessageInput {
  /** EMAIL_SUBJECT; the default matches lib/config.ts. */
  readonly subject?: string;
}

export interface CodeSmsInput extends CodeMessageInput {
  /**
   * When set, the SMS ends with the origin-bound line "@<domain> #<code>", which lets browsers
   * offer the code only on that site (WICG "Origin-bound one-time codes delivered via SMS",
   * https://wicg.github.io/sms-one-time-codes/; read by the WebOTP API and by Safari's
   * autocomplete="one-time-code"). A bare host name such as "app.example.com".
   */
  readonly originBoundDomain?: string;
}

export interface CodeEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const DEFAULT_SUBJECT = "Your sign-in code";
const CLAIM_SUBJECT = "Your code to claim this address";
const NOT_YOU = "If you did not try to sign in, ignore this message.";

/** What a claim code does, in plain steps (the same in the email and, shortened, the SMS). */
function claimLines(appName: string, channelWord: "address" | "number"): string[] {
  return [
    `This ${channelWord} was given for an account at ${appName} that has never confirmed it, and that account is signed in to another way.`,
    `Entering this code does not sign you in: it takes this ${channelWord} off that account, so you can then sign up with it and have an account of your own.`,
    `If that account is yours, do not enter the code: sign in the way you usually do and confirm this ${channelWord} in your account settings.`,
  ];
}

/** A host name: dot-separated labels of letters, digits and inner hyphens (no scheme, port or path). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function minutes(count: number): string {
  return count === 1 ? "1 minute" : `${count} minutes`;
}

/** Escapes the five characters that can change the meaning of HTML text or an attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The sign-in email: subject, plain text and HTML, with the code where the eye lands first. */
export function buildCodeEmail(input: CodeEmailInput): CodeEmail {
  const { code, appName, expiresInMinutes } = input;
  const expiry = `It expires in ${minutes(expiresInMinutes)}.`;
  const lead = input.claim === true ? `Your code to claim this address at ${appName} is:` : `Your sign-in code for ${appName} is:`;
  const explanation = input.claim === true ? claimLines(appName, "address") : [];
  const text = [lead, "", code, "", expiry, "", ...explanation.flatMap((line) => [line, ""]), NOT_YOU, ""].join("\n");
  // Inline styles only: many mail clients drop <style> blocks.
  const html = [
    "<!DOCTYPE html>",
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2328;">',
    `<p>${escapeHtml(lead)}</p>`,
    `<p style="font-size:32px;font-weight:bold;letter-spacing:6px;font-family:Menlo,Consolas,monospace;">${escapeHtml(code)}</p>`,
    `<p>${escapeHtml(expiry)}</p>`,
    ...explanation.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p style="color:#656d76;font-size:13px;">${escapeHtml(NOT_YOU)}</p>`,
    "</body></html>",
    "",
  ].join("\n");
  return { subject: input.claim === true ? CLAIM_SUBJECT : (input.subject ?? DEFAULT_SUBJECT), text, html };
}

/**
 * The sign-in SMS: one short line, the code first so it shows in a notification preview.
 * Kept within one GSM-7 segment (160 characters) for ordinary app names.
 */
export function buildCodeSms(input: CodeSmsInput): string {
  const { code, appName, expiresInMinutes, originBoundDomain } = input;
  // "for <app>" rather than "your <app> code": it also reads well with config's default
  // APP_NAME, "your account".
  const line =
    input.claim === true
      ? `${code} takes this number off an account at ${appName} that never confirmed it (it does not sign you in). If the account is yours, sign in your usual way instead.`
      : `${code} is your sign-in code for ${appName}. It expires in ${minutes(expiresInMinutes)}.`;
  if (originBoundDomain === undefined) return line;
  if (!HOST_NAME.test(originBoundDomain)) {
    throw new ConfigError(
      `The origin-bound SMS domain is "${originBoundDomain}": it should be a bare host name such as app.example.com (no scheme, port or path).`,
    );
  }
  // The spec reads the origin-bound line only as the message's last line.
  return `${line}\n\n@${originBoundDomain.toLowerCase()} #${code}`;
}
