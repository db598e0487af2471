import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ListTopicsCommand, PublishCommand, SNSServiceException } from "@aws-sdk/client-sns";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { WebServer } from "@cognito-passwordless/local/web/server.ts";
import { snsClientFor, startTestWebServer } from "./web-server-fixture.ts";

describe("the local SNS receiver, called by the real @aws-sdk/client-sns", () => {
  let server: WebServer;
  let outbox: Outbox;
  let sns: SNSClient;

  before(async () => {
    ({ server, outbox } = await startTestWebServer());
    sns = snsClientFor(server);
  });
  after(async () => {
    sns.destroy();
    await server.close();
  });

  it("puts an SMS published to a phone number in the outbox, with its type and sender id, and answers a MessageId", async () => {
    // Act
    const result = await sns.send(
      new PublishCommand({
        PhoneNumber: "+447700900123",
        Message: "Your sign-in code is 246810. It expires in 5 minutes.",
        MessageAttributes: {
          "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
          "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: "DemoApp" },
        },
      }),
    );
    // Assess
    assert.match(result.MessageId ?? "", /^[0-9a-f-]{36}$/);
    const messages = outbox.list();
    assert.equal(messages.length, 1);
    assert.deepEqual(messages[0], {
      channel: "sms",
      to: "+447700900123",
      body: "Your sign-in code is 246810. It expires in 5 minutes.",
      sentAt: messages[0]?.sentAt,
      smsType: "Transactional",
      senderId: "DemoApp",
      messageId: result.MessageId,
    });
    assert.ok(!Number.isNaN(Date.parse(messages[0]?.sentAt ?? "")));
  });

  it("refuses a publish to a topic: the suite only ever texts a phone number", async () => {
    const before = outbox.list().length;
    await assert.rejects(sns.send(new PublishCommand({ TopicArn: "arn:aws:sns:eu-west-1:123456789012:codes", Message: "hi" })), (error: unknown) => {
      assert.ok(error instanceof SNSServiceException);
      assert.equal(error.name, "InvalidParameterException");
      assert.match(error.message, /needs a PhoneNumber/);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    assert.equal(outbox.list().length, before);
  });

  it("refuses a phone number that is not in E.164 form", async () => {
    await assert.rejects(sns.send(new PublishCommand({ PhoneNumber: "07700 900123", Message: "hi" })), {
      name: "InvalidParameterException",
      message: /PhoneNumber Reason: 07700 900123 is not valid to publish to/,
    });
  });

  it("refuses an action it does not know with SNS's error shape and HTTP 400", async () => {
    await assert.rejects(sns.send(new ListTopicsCommand({})), (error: unknown) => {
      assert.ok(error instanceof SNSServiceException);
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.match(error.message, /takes Publish/);
      return true;
    });
  });
});
