/**
 * A local stand-in for Amazon SNS's SMS sending, reached by the real `@aws-sdk/client-sns`
 * through AWS_ENDPOINT_URL_SNS. `Publish` with `PhoneNumber` puts one SMS in the outbox; a
 * publish to a topic, or any other action, is refused: the suite only ever texts a number.
 * Parameters as in the SNS API reference, "Publish", and the SMS attributes in the developer
 * guide, "Sending an SMS message": https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { randomUUID } from "node:crypto";
import type { OutboxMessage } from "./outbox.ts";
import {
  type QueryParameters,
  type QueryReply,
  QueryRequestError,
  errorReply,
  parseQueryBody,
  requiredParameter,
  stringAttributes,
  successReply,
} from "./query-protocol.ts";

const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

export function answerSnsRequest(body: string, now: Date = new Date()): QueryReply {
  const parameters = parseQueryBody(body);
  const action = parameters.get("Action");
  try {
    if (action !== "Publish") {
      throw new QueryRequestError(
        "InvalidAction",
        `The local SNS receiver takes Publish (to a PhoneNumber); ${action === undefined ? "no Action was given" : `${action} is not it`}.`,
      );
    }
    const message = publishSms(parameters, now);
    return successReply(SNS_NAMESPACE, "Publish", `<MessageId>${message.messageId}</MessageId>`, [message]);
  } catch (error) {
    if (error instanceof QueryRequestError) return errorReply(SNS_NAMESPACE, error);
    throw error;
  }
}

function publishSms(parameters: QueryParameters, now: Date): OutboxMessage {
  const phoneNumber = parameters.get("PhoneNumber");
  if (phoneNumber === undefined) {
    throw new QueryRequestError(
      "InvalidParameter",
      "Invalid parameter: the local SNS receiver only delivers SMS, so Publish needs a PhoneNumber (not a TopicArn or TargetArn).",
    );
  }
  // SNS takes E.164 numbers: a "+", then up to 15 digits.
  if (!/^\+[1-9]\d{1,14}$/.test(phoneNumber)) {
    throw new QueryRequestError("InvalidParameter", `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`);
  }
  const body = requiredParameter(parameters, "Message");
  const attributes = stringAttributes(parameters, "MessageAttributes");
  const smsType = attributes.get("AWS.SNS.SMS.SMSType");
  const senderId = attributes.get("AWS.SNS.SMS.SenderID");
  return {
    channel: "sms",
    to: phoneNumber,
    body,
    sentAt: now.toISOString(),
    ...(smsType === undefined ? {} : { smsType }),
    ...(senderId === undefined ? {} : { senderId }),
    messageId: randomUUID(),
  };
}
