import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SESServiceException, SendEmailCommand, SendRawEmailCommand, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import type { SESClient } from "@aws-sdk/client-ses";
import type { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { WebServer } from "@cognito-passwordless/local/web/server.ts";
import { sesClientFor, startTestWebServer } from "./web-server-fixture.ts";

describe("the local SES receiver, called by the real @aws-sdk/client-ses", () => {
  let server: WebServer;
  let outbox: Outbox;
  let ses: SESClient;

  before(async () => {
    ({ server, outbox } = await startTestWebServer());
    ses = sesClientFor(server);
  });
  after(async () => {
    ses.destroy();
    await server.close();
  });

  it("puts a SendEmail in the outbox with its sender, recipient, subject and text, and answers a MessageId", async () => {
    // Prepare
    const before = outbox.list().length;
    // Act
    const result = await ses.send(
      new SendEmailCommand({
        Source: "Sign-in <no-reply@example.com>",
        Destination: { ToAddresses: ["jane+demo@example.com"] },
        Message: {
          Subject: { Data: "Your sign-in code: 123 & more", Charset: "UTF-8" },
          Body: {
            Text: { Data: "Your code is 123456.\nIt expires in 5 minutes. Grüße!" },
            Html: { Data: "<p>Your code is <b>123456</b>.</p>" },
          },
        },
      }),
    );
    // Assess
    assert.match(result.MessageId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(result.$metadata.httpStatusCode, 200);
    const added = outbox.list().slice(before);
    assert.equal(added.length, 1);
    const [message] = added;
    assert.equal(message?.channel, "email");
    assert.equal(message?.to, "jane+demo@example.com");
    assert.equal(message?.from, "Sign-in <no-reply@example.com>");
    assert.equal(message?.subject, "Your sign-in code: 123 & more");
    assert.equal(message?.body, "Your code is 123456.\nIt expires in 5 minutes. Grüße!");
    assert.equal(message?.html, "<p>Your code is <b>123456</b>.</p>");
    assert.equal(message?.messageId, result.MessageId);
    assert.ok(Math.abs(Date.parse(message?.sentAt ?? "") - Date.now()) < 5000, "sentAt is now, as ISO 8601");
  });

  it("records one message per recipient when an email goes to several addresses", async () => {
    const before = outbox.list().length;
    await ses.send(
      new SendEmailCommand({
        Source: "no-reply@example.com",
        Destination: { ToAddresses: ["a@example.com", "b@example.com"], CcAddresses: ["c@example.com"] },
        Message: { Subject: { Data: "Hello" }, Body: { Text: { Data: "Hi all" } } },
      }),
    );
    assert.deepEqual(
      outbox
        .list()
        .slice(before)
        .map((message) => message.to),
      ["a@example.com", "b@example.com", "c@example.com"],
    );
  });

  it("shows the text of an HTML-only email, so the code is readable in the outbox", async () => {
    await ses.send(
      new SendEmailCommand({
        Source: "no-reply@example.com",
        Destination: { ToAddresses: ["html-only@example.com"] },
        Message: { Subject: { Data: "Code" }, Body: { Html: { Data: "<p>Your code is <b>654321</b></p><p>Bye &amp; thanks</p>" } } },
      }),
    );
    const message = await outbox.waitFor((m) => m.to === "html-only@example.com", 100);
    assert.equal(message.body, "Your code is 654321\nBye & thanks");
  });

  it("puts a SendRawEmail in the outbox, reading the text part of a multipart message", async () => {
    const raw = [
      "From: =?UTF-8?B?U2lnbi1pbg==?= <no-reply@example.com>",
      "To: Raw Reader <raw@example.com>",
      "Subject: =?UTF-8?Q?Your_code_=E2=80=94_raw?=",
      "MIME-Version: 1.0",
      'Content-Type: multipart/alternative; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Your code is 777888. Gr=C3=BC=C3=9Fe",
      "--b1",
      "Content-Type: text/html; charset=UTF-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("<p>777888</p>").toString("base64"),
      "--b1--",
      "",
    ].join("\r\n");
    const result = await ses.send(new SendRawEmailCommand({ RawMessage: { Data: new TextEncoder().encode(raw) } }));
    const message = await outbox.waitFor((m) => m.to === "raw@example.com", 100);
    assert.equal(message.messageId, result.MessageId);
    assert.equal(message.from, "Sign-in <no-reply@example.com>");
    assert.equal(message.subject, "Your code — raw");
    assert.equal(message.body, "Your code is 777888. Grüße");
    assert.equal(message.html, "<p>777888</p>");
  });

  it("refuses an action it does not know with SES's error shape and HTTP 400, and records nothing", async () => {
    const before = outbox.list().length;
    await assert.rejects(ses.send(new VerifyEmailIdentityCommand({ EmailAddress: "x@example.com" })), (error: unknown) => {
      assert.ok(error instanceof SESServiceException);
      assert.equal(error.name, "InvalidAction");
      assert.match(error.message, /SendEmail and SendRawEmail; VerifyEmailIdentity is not one of them/);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    assert.equal(outbox.list().length, before);
  });

  it("refuses an email without a subject, as SES does", async () => {
    await assert.rejects(
      ses.send(
        new SendEmailCommand({
          Source: "no-reply@example.com",
          Destination: { ToAddresses: ["x@example.com"] },
          Message: { Body: { Text: { Data: "no subject" } } } as never,
        }),
      ),
      { name: "ValidationError" },
    );
  });
});
