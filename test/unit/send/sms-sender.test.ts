import assert from "node:assert/strict";
import { inspect } from "node:util";
import { afterEach, describe, test } from "node:test";
import { PublishCommand, SNSClient, SNSServiceException } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { DeliveryFailedError } from "../../../lib/errors.ts";
import { createSnsSmsSender } from "../../../lib/send/sms-sender.ts";

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const TO = "+14155550123";
const TEXT = "048213 is your sign-in code for Acme. It expires in 5 minutes.";

describe("sending the sign-in SMS through SNS", () => {
  test("publishes one transactional SMS straight to the phone number", async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const sender = createSnsSmsSender({ client: new SNSClient({ region: "us-east-1" }) });

    // Act
    await sender.send({ to: TO, text: TEXT });

    // Assess
    const calls = sns.commandCalls(PublishCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.args[0].input, {
      PhoneNumber: TO,
      Message: TEXT,
      MessageAttributes: {
        "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
      },
    });
  });

  test("names the configured sender ID", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const sender = createSnsSmsSender({ client: new SNSClient({ region: "eu-west-1" }), senderId: "Acme" });

    await sender.send({ to: "+447700900123", text: TEXT });

    assert.deepEqual(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes, {
      "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
      "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: "Acme" },
    });
  });

  test("a refused SMS becomes a DeliveryFailedError that names the channel but not the number or the code", async () => {
    // Prepare: SNS quotes the number it rejects, with and without its "+".
    sns.on(PublishCommand).rejects(
      new SNSServiceException({
        name: "InvalidParameterException",
        message: `Invalid parameter: PhoneNumber Reason: ${TO} (14155550123) is not valid to publish 048213`,
        $fault: "client",
        $metadata: { httpStatusCode: 400, requestId: "req-1" },
      }),
    );
    const sender = createSnsSmsSender({ client: new SNSClient({ region: "us-east-1" }), senderId: "Acme" });

    // Act
    const error = await sender.send({ to: TO, text: TEXT }).then(
      () => assert.fail("send should have failed"),
      (thrown: unknown) => thrown,
    );

    // Assess
    assert.ok(error instanceof DeliveryFailedError);
    assert.equal(error.code, "DELIVERY_FAILED");
    assert.equal(error.message, "Sending the sign-in SMS through SNS failed (InvalidParameterException).");
    const everything = inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error) + String(error.stack);
    assert.doesNotMatch(everything, /4155550123/);
    assert.doesNotMatch(everything, /048213/);
    assert.ok(error.cause instanceof Error);
    assert.match(error.cause.message, /^Invalid parameter: PhoneNumber Reason: \[redacted\]/);
  });

  test("throttling is reported as a delivery failure, not swallowed", async () => {
    sns.on(PublishCommand).rejects(new SNSServiceException({ name: "ThrottledException", message: "Rate exceeded", $fault: "client", $metadata: {} }));
    const sender = createSnsSmsSender({ client: new SNSClient({ region: "us-east-1" }) });

    await assert.rejects(sender.send({ to: TO, text: TEXT }), {
      name: "DeliveryFailedError",
      message: "Sending the sign-in SMS through SNS failed (ThrottledException).",
    });
  });
});
