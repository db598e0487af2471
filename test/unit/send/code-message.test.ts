import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "../../../lib/errors.ts";
import { buildCodeEmail, buildCodeSms, escapeHtml } from "../../../lib/send/code-message.ts";

function codeMessage(overrides: Partial<{ code: string; appName: string; expiresInMinutes: number }> = {}) {
  return { code: "048213", appName: "Acme", expiresInMinutes: 5, ...overrides };
}

describe("the sign-in email", () => {
  test("carries the code, the app name and the expiry in both its text and HTML bodies", () => {
    const email = buildCodeEmail(codeMessage());
    for (const body of [email.text, email.html]) {
      assert.match(body, /048213/);
      assert.match(body, /Acme/);
      assert.match(body, /expires in 5 minutes/);
      assert.match(body, /If you did not try to sign in, ignore this message\./);
    }
  });

  test("keeps a code's leading zero", () => {
    const email = buildCodeEmail(codeMessage({ code: "000123" }));
    assert.match(email.text, /^000123$/m);
  });

  test("shows the code in large type on a line of its own in the HTML body", () => {
    const { html } = buildCodeEmail(codeMessage());
    assert.match(html, /<p style="font-size:32px;[^"]*">048213<\/p>/);
  });

  test("escapes HTML in the app name, so an app name can never inject markup", () => {
    const { html, text } = buildCodeEmail(codeMessage({ appName: `<script>alert("x")</script> & 'Co'` }));
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62; &#38; &#39;Co&#39;/);
    // The text body is not HTML: it shows the name as written.
    assert.match(text, /<script>alert\("x"\)<\/script> & 'Co'/);
  });

  test("uses the configured subject, or 'Your sign-in code'", () => {
    assert.equal(buildCodeEmail(codeMessage()).subject, "Your sign-in code");
    assert.equal(buildCodeEmail({ ...codeMessage(), subject: "Acme: your code" }).subject, "Acme: your code");
  });

  test("says '1 minute', not '1 minutes'", () => {
    assert.match(buildCodeEmail(codeMessage({ expiresInMinutes: 1 })).text, /expires in 1 minute\./);
  });

  test("is a complete UTF-8 HTML document", () => {
    const { html } = buildCodeEmail(codeMessage({ appName: "Café Zoë" }));
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /Café Zoë/);
    assert.match(html, /<\/html>\n$/);
  });
});

describe("the sign-in SMS", () => {
  test("starts with the code and says which app it is for and when it expires", () => {
    assert.equal(buildCodeSms(codeMessage()), "048213 is your sign-in code for Acme. It expires in 5 minutes.");
  });

  test("reads well with the default app name", () => {
    assert.equal(buildCodeSms(codeMessage({ appName: "your account" })), "048213 is your sign-in code for your account. It expires in 5 minutes.");
  });

  test("fits in one SMS segment for an ordinary app name", () => {
    assert.ok(buildCodeSms(codeMessage({ appName: "Acme Travel & Holidays", expiresInMinutes: 15 })).length <= 160);
  });

  test("ends with the origin-bound line '@domain #code' when a domain is configured", () => {
    const sms = buildCodeSms({ ...codeMessage(), originBoundDomain: "App.Example.com" });
    assert.equal(sms, "048213 is your sign-in code for Acme. It expires in 5 minutes.\n\n@app.example.com #048213");
    assert.equal(sms.split("\n").at(-1), "@app.example.com #048213");
  });

  test("refuses an origin-bound domain that is not a bare host name", () => {
    for (const domain of ["https://app.example.com", "app.example.com/path", "app.example.com:443", "", "-bad.example.com", "a b.com"]) {
      assert.throws(() => buildCodeSms({ ...codeMessage(), originBoundDomain: domain }), ConfigError, domain);
    }
  });
});

describe("escaping HTML", () => {
  test("replaces the five characters that matter and leaves the rest alone", () => {
    assert.equal(escapeHtml(`a&b<c>d"e'f é`), "a&#38;b&#60;c&#62;d&#34;e&#39;f é");
  });
});
