import assert from "node:assert/strict";
import { inspect } from "node:util";
import { afterEach, describe, test } from "node:test";
import { SESClient, SESServiceException, SendEmailCommand } from "@aws-sdk/client-ses";
import { mockClient } from "aws-sdk-client-mock";
import { DeliveryFailedError } from "../../../lib/errors.ts";
import { createSesEmailSender, encodeFromAddress } from "../../../lib/send/email-sender.ts";

const ses = mockClient(SESClient);
afterEach(() => ses.reset());

const TO = "jane.doe@example.com";
const CODE = "048213";

function message() {
  return { to: TO, subject: "Your sign-in code", text: `Your code is ${CODE}`, html: `<p>${CODE}</p>` };
}

function sesError(name: string, text: string) {
  return new SESServiceException({
    name,
    message: text,
    $fault: "client",
    $metadata: { httpStatusCode: 400, requestId: "0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff", attempts: 1, totalRetryDelay: 0 },
  });
}

describe("sending the sign-in email through SES", () => {
  test("sends one SendEmail with the sender, the recipient and UTF-8 subject, text and HTML", async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    const sender = createSesEmailSender({ client: new SESClient({ region: "eu-west-1" }), from: "Acme <no-reply@acme.example>" });

    // Act
    await sender.send(message());

    // Assess
    const calls = ses.commandCalls(SendEmailCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.args[0].input, {
      Source: "Acme <no-reply@acme.example>",
      Destination: { ToAddresses: [TO] },
      Message: {
        Subject: { Data: "Your sign-in code", Charset: "UTF-8" },
        Body: {
          Text: { Data: `Your code is ${CODE}`, Charset: "UTF-8" },
          Html: { Data: `<p>${CODE}</p>`, Charset: "UTF-8" },
        },
      },
    });
  });

  test("writes a non-ASCII sender name as an RFC 2047 encoded word, as SES requires", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    const sender = createSesEmailSender({ client: new SESClient({ region: "eu-west-1" }), from: "Café Zoë <no-reply@acme.example>" });

    await sender.send(message());

    const source = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Source;
    assert.equal(source, `=?UTF-8?B?${Buffer.from("Café Zoë").toString("base64")}?= <no-reply@acme.example>`);
  });

  test("a rejected message becomes a DeliveryFailedError that names the channel but not the address or the code", async () => {
    // Prepare: SES's sandbox error quotes the recipient.
    ses
      .on(SendEmailCommand)
      .rejects(
        sesError("MessageRejected", `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${TO}, code ${CODE}`),
      );
    const sender = createSesEmailSender({ client: new SESClient({ region: "eu-west-1" }), from: "no-reply@acme.example" });

    // Act
    const error = await sender.send(message()).then(
      () => assert.fail("send should have failed"),
      (thrown: unknown) => thrown,
    );

    // Assess
    assert.ok(error instanceof DeliveryFailedError);
    assert.equal(error.code, "DELIVERY_FAILED");
    assert.equal(error.message, "Sending the sign-in email through SES failed (MessageRejected).");
    const everything = inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error) + String(error.stack);
    assert.doesNotMatch(everything, /jane\.doe/i);
    assert.doesNotMatch(everything, new RegExp(CODE));
    // What support needs is kept: the service's error name and the request id.
    assert.ok(error.cause instanceof Error);
    assert.equal(error.cause.name, "MessageRejected");
    assert.match(error.cause.message, /^Email address is not verified\./);
    assert.deepEqual((error.cause as { $metadata?: unknown }).$metadata, {
      httpStatusCode: 400,
      requestId: "0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff",
      attempts: 1,
      totalRetryDelay: 0,
    });
  });

  test("a network failure also becomes a DeliveryFailedError", async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error(`connect ETIMEDOUT for ${TO}`), { name: "TimeoutError" }));
    const sender = createSesEmailSender({ client: new SESClient({ region: "eu-west-1" }), from: "no-reply@acme.example" });

    await assert.rejects(sender.send(message()), (error: unknown) => {
      assert.ok(error instanceof DeliveryFailedError);
      assert.equal(error.message, "Sending the sign-in email through SES failed (TimeoutError).");
      assert.doesNotMatch(inspect(error, { depth: 10 }), /jane\.doe/);
      return true;
    });
  });
});

describe("the sender address", () => {
  const cases: ReadonlyArray<readonly [from: string, source: string]> = [
    ["no-reply@acme.example", "no-reply@acme.example"],
    ["Acme <no-reply@acme.example>", "Acme <no-reply@acme.example>"],
    ['"Acme, Inc." <no-reply@acme.example>', '"Acme, Inc." <no-reply@acme.example>'],
    ["Zoë <no-reply@acme.example>", `=?UTF-8?B?${Buffer.from("Zoë").toString("base64")}?= <no-reply@acme.example>`],
    ['"Zoë & Co" <no-reply@acme.example>', `=?UTF-8?B?${Buffer.from("Zoë & Co").toString("base64")}?= <no-reply@acme.example>`],
  ];
  for (const [from, source] of cases) {
    test(`EMAIL_FROM ${JSON.stringify(from)} is sent as ${JSON.stringify(source)}`, () => {
      assert.equal(encodeFromAddress(from), source);
    });
  }
});
