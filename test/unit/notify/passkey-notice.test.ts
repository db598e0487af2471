import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DeliveryFailedError } from "../../../lib/errors.ts";
import { noticeRecipient } from "../../../lib/notify/notice-recipient.ts";
import { type PasskeyChange, buildPasskeyNoticeEmail, buildPasskeyNoticeSms, noticeTime } from "../../../lib/notify/passkey-notice.ts";
import { createPasskeyNotifier } from "../../../lib/notify/passkey-notifier.ts";
import type { EmailMessage, EmailSender } from "../../../lib/send/email-sender.ts";
import type { SmsMessage, SmsSender } from "../../../lib/send/sms-sender.ts";
import { hashForKey } from "../../../lib/store/keys.ts";

const ADDED_AT = Date.UTC(2026, 11, 2, 5, 12, 34, 567);
const EMAIL = "jane@example.com";
const PHONE = "+14155550123";

function added(overrides: Partial<PasskeyChange> = {}): PasskeyChange {
  return { kind: "added", passkeyName: "iCloud Keychain", at: ADDED_AT, appName: "Acme", ...overrides };
}

describe("the email telling an owner a passkey was added", () => {
  test("names the passkey, the time in UTC and the app, in its subject, text and HTML", () => {
    const email = buildPasskeyNoticeEmail(added());

    assert.equal(email.subject, "A passkey was added to your Acme account");
    for (const body of [email.text, email.html]) {
      assert.match(body, /A passkey was added to your Acme account\./);
      assert.match(body, /Passkey: iCloud Keychain/);
      assert.match(body, /When: 2026-12-02 05:12 UTC/);
      assert.match(body, /App: Acme/);
    }
  });

  test("reads well with APP_NAME's default, which names no app: no 'your your account account'", () => {
    const email = buildPasskeyNoticeEmail(added({ appName: "your account" }));

    assert.equal(email.subject, "A passkey was added to your account");
    assert.doesNotMatch(email.text, /your your|account account|App: your account/);
    assert.match(email.text, /contact support to have it removed/);
    assert.equal(
      buildPasskeyNoticeSms(added({ appName: "your account" })),
      "A passkey (iCloud Keychain) was added to your account at 2026-12-02 05:12 UTC. Not you? Contact support to remove it.",
    );
  });

  test("tells the reader what to do if it was not them, and that there is nothing to do if it was", () => {
    const { text, html } = buildPasskeyNoticeEmail(added());

    for (const body of [text, html]) {
      assert.match(body, /If this was not you/);
      assert.match(body, /contact Acme support to have it removed, and secure this mailbox or phone/);
      assert.match(body, /If it was you, there is nothing to do\./);
    }
  });

  test("escapes HTML in the passkey's name, so a name can never inject markup", () => {
    const { html, text } = buildPasskeyNoticeEmail(added({ passkeyName: `<script>alert("x")</script>` }));

    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /Passkey: &#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
    // The text body is not HTML: it shows the name as written.
    assert.match(text, /Passkey: <script>alert\("x"\)<\/script>/);
  });

  test("escapes HTML in the app's name too", () => {
    const { html } = buildPasskeyNoticeEmail(added({ appName: "Tom & Jerry's <b>" }));

    assert.doesNotMatch(html, /<b>/);
    assert.match(html, /Tom &#38; Jerry&#39;s &#60;b&#62;/);
  });

  test("is a complete UTF-8 HTML document", () => {
    const { html } = buildPasskeyNoticeEmail(added({ appName: "Café Zoë" }));

    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /Café Zoë/);
    assert.match(html, /<\/html>\n$/);
  });
});

describe("the SMS telling an owner a passkey was added", () => {
  test("names the app, the passkey, the time in UTC and what to do if it was not them", () => {
    assert.equal(
      buildPasskeyNoticeSms(added()),
      "Acme: a passkey (iCloud Keychain) was added to your account at 2026-12-02 05:12 UTC. Not you? Contact Acme support to remove it.",
    );
  });

  test("fits in two SMS segments with an ordinary app name and passkey name", () => {
    assert.ok(buildPasskeyNoticeSms(added({ passkeyName: "Chrome on Windows", appName: "Example App" })).length <= 2 * 153);
  });
});

describe("the passkey's name as a notice shows it", () => {
  test("control characters cannot break a line or fake one: they become single spaces", () => {
    const name = "Evil\r\nSubject: urgent\u0000\u0007\ttab\u202Ereversed";
    const email = buildPasskeyNoticeEmail(added({ passkeyName: name }));
    const sms = buildPasskeyNoticeSms(added({ passkeyName: name }));

    assert.match(email.text, /^Passkey: Evil Subject: urgent tab reversed$/m);
    assert.match(sms, /\(Evil Subject: urgent tab reversed\)/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this test looks for.
    for (const body of [email.text, email.html, sms]) assert.doesNotMatch(body, /[\r\u0000\u0007\t\u202E]/);
    assert.doesNotMatch(sms, /\n/);
    assert.equal(email.text.split("\n").length, buildPasskeyNoticeEmail(added()).text.split("\n").length, "the name adds no line");
  });

  test("an over-long name is cut to 64 characters, ending in an ellipsis", () => {
    const sms = buildPasskeyNoticeSms(added({ passkeyName: "A".repeat(500) }));
    const { text } = buildPasskeyNoticeEmail(added({ passkeyName: "A".repeat(500) }));

    const shown = `${"A".repeat(63)}…`;
    assert.ok(sms.includes(`(${shown})`));
    assert.match(text, new RegExp(`^Passkey: ${shown}$`, "m"));
    assert.doesNotMatch(text, /A{64}/);
  });

  test("a name of nothing but blanks and control characters is shown as 'a passkey'", () => {
    assert.match(buildPasskeyNoticeEmail(added({ passkeyName: " \u0000\n " })).text, /^Passkey: a passkey$/m);
    assert.match(buildPasskeyNoticeSms(added({ passkeyName: "" })), /\(a passkey\)/);
  });
});

describe("the time a notice shows", () => {
  test("is the UTC minute, whatever the reader's time zone", () => {
    assert.equal(noticeTime(ADDED_AT), "2026-12-02 05:12 UTC");
    assert.equal(noticeTime(Date.UTC(2027, 0, 1, 0, 0, 59)), "2027-01-01 00:00 UTC");
  });
});

describe("who is told of a new passkey", () => {
  for (const [situation, attributes, provenInSession, expected] of [
    [
      "the verified email, when the phone number is verified too",
      { email: EMAIL, email_verified: "true", phone_number: PHONE, phone_number_verified: "true" },
      undefined,
      { channel: "email", to: EMAIL },
    ],
    [
      "the verified phone number, when the email is not verified",
      { email: EMAIL, email_verified: "false", phone_number: PHONE, phone_number_verified: "true" },
      undefined,
      { channel: "sms", to: PHONE },
    ],
    [
      "the verified phone number, when the account has no email",
      { phone_number: PHONE, phone_number_verified: "true" },
      undefined,
      { channel: "sms", to: PHONE },
    ],
    [
      "the verified phone number, when the email is empty",
      { email: "", email_verified: "true", phone_number: PHONE, phone_number_verified: "true" },
      undefined,
      { channel: "sms", to: PHONE },
    ],
    ["nobody, when no address is verified", { email: EMAIL, email_verified: "false", phone_number: PHONE }, undefined, undefined],
    ["nobody, on an account without addresses", { sub: "0d8f3a2e" }, undefined, undefined],
    [
      "the email this session's code proved, before its flag is written",
      { email: EMAIL, email_verified: "false" },
      hashForKey(EMAIL),
      { channel: "email", to: EMAIL },
    ],
    [
      "the phone number this session's code proved, before its flag is written",
      { email: EMAIL, email_verified: "false", phone_number: PHONE, phone_number_verified: "false" },
      hashForKey(PHONE),
      { channel: "sms", to: PHONE },
    ],
    [
      "the verified email rather than the phone number this session proved",
      { email: EMAIL, email_verified: "true", phone_number: PHONE },
      hashForKey(PHONE),
      { channel: "email", to: EMAIL },
    ],
    [
      "nobody, when the address the session proved is no longer on the account",
      { email: "someone@else.example", email_verified: "false" },
      hashForKey(EMAIL),
      undefined,
    ],
  ] as const) {
    test(situation, () => {
      assert.deepEqual(noticeRecipient(attributes, provenInSession), expected);
    });
  }
});

function recordingSenders() {
  const emails: EmailMessage[] = [];
  const texts: SmsMessage[] = [];
  const email: EmailSender = {
    async send(message) {
      emails.push(message);
    },
  };
  const sms: SmsSender = {
    async send(message) {
      texts.push(message);
    },
  };
  return { email, sms, emails, texts };
}

describe("sending the notice", () => {
  test("by email sends the notice's subject, text and HTML to the recipient, and no SMS", async () => {
    const { email, sms, emails, texts } = recordingSenders();
    const notifier = createPasskeyNotifier({ email, sms, smsAllowedCountryCodes: ["1"] });

    await notifier.notify({ channel: "email", to: EMAIL }, added());

    assert.deepEqual(emails, [{ to: EMAIL, ...buildPasskeyNoticeEmail(added()) }]);
    assert.deepEqual(texts, []);
  });

  test("by SMS sends the notice's text to a number in an allowed country, and no email", async () => {
    const { email, sms, emails, texts } = recordingSenders();
    const notifier = createPasskeyNotifier({ email, sms, smsAllowedCountryCodes: ["1", "44"] });

    await notifier.notify({ channel: "sms", to: PHONE }, added());

    assert.deepEqual(texts, [{ to: PHONE, text: buildPasskeyNoticeSms(added()) }]);
    assert.deepEqual(emails, []);
  });

  test("refuses an SMS to a country SMS_ALLOWED_COUNTRY_CODES does not list, and sends nothing", async () => {
    const { email, sms, emails, texts } = recordingSenders();
    const notifier = createPasskeyNotifier({ email, sms, smsAllowedCountryCodes: ["1"] });

    await assert.rejects(notifier.notify({ channel: "sms", to: "+447700900123" }, added()), DeliveryFailedError);
    assert.deepEqual(texts, []);
    assert.deepEqual(emails, []);
  });

  test("refuses an email when no email sender is configured", async () => {
    const { sms, texts } = recordingSenders();
    const notifier = createPasskeyNotifier({ sms, smsAllowedCountryCodes: ["1"] });

    await assert.rejects(notifier.notify({ channel: "email", to: EMAIL }, added()), DeliveryFailedError);
    assert.deepEqual(texts, [], "an email notice is not sent by SMS instead");
  });

  test("refuses an SMS when no SMS sender is configured", async () => {
    const { email, emails } = recordingSenders();
    const notifier = createPasskeyNotifier({ email, smsAllowedCountryCodes: ["1"] });

    await assert.rejects(notifier.notify({ channel: "sms", to: PHONE }, added()), DeliveryFailedError);
    assert.deepEqual(emails, []);
  });

  test("passes on the sender's failure", async () => {
    const failing: EmailSender = {
      async send() {
        throw new DeliveryFailedError("SES refused the message.");
      },
    };
    const notifier = createPasskeyNotifier({ email: failing, smsAllowedCountryCodes: ["1"] });

    await assert.rejects(notifier.notify({ channel: "email", to: EMAIL }, added()), /SES refused the message/);
  });
});

describe("the notice telling an owner a passkey was removed", () => {
  const removed = (overrides: Partial<PasskeyChange> = {}): PasskeyChange => added({ kind: "removed", ...overrides });

  test("the email says it was removed, names the passkey, the time and the app, and what to do if it was not them", () => {
    const email = buildPasskeyNoticeEmail(removed());

    assert.equal(email.subject, "A passkey was removed from your Acme account");
    for (const body of [email.text, email.html]) {
      assert.match(body, /A passkey was removed from your Acme account\./);
      assert.match(body, /Passkey: iCloud Keychain/);
      assert.match(body, /When: 2026-12-02 05:12 UTC/);
      assert.match(body, /This passkey no longer signs in to the account/);
      assert.match(body, /If you did not ask for this, contact Acme support\. If it was you, there is nothing to do\./);
      assert.doesNotMatch(body, /added/);
    }
  });

  test("the SMS says it was removed", () => {
    assert.equal(
      buildPasskeyNoticeSms(removed()),
      "Acme: a passkey (iCloud Keychain) was removed from your account at 2026-12-02 05:12 UTC. Not you? Contact Acme support.",
    );
    assert.equal(
      buildPasskeyNoticeSms(removed({ appName: "your account" })),
      "A passkey (iCloud Keychain) was removed from your account at 2026-12-02 05:12 UTC. Not you? Contact support.",
    );
  });

  test("reads well with APP_NAME's default, and escapes the name in HTML as the added notice does", () => {
    const email = buildPasskeyNoticeEmail(removed({ appName: "your account", passkeyName: "<b>x</b>" }));

    assert.equal(email.subject, "A passkey was removed from your account");
    assert.doesNotMatch(email.text, /your your|account account/);
    assert.doesNotMatch(email.html, /<b>/);
  });
});
