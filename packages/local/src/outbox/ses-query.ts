/**
 * A local stand-in for Amazon SES (v1 API), reached by the real `@aws-sdk/client-ses` through
 * AWS_ENDPOINT_URL_SES. `SendEmail` and `SendRawEmail` put one outbox message per recipient;
 * every other action is refused as SES refuses an action it does not know.
 * Parameters as in the SES API reference, "SendEmail" and "SendRawEmail":
 * https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html
 */
import { randomUUID } from "node:crypto";
import type { OutboxMessage } from "./outbox.ts";
import {
  type QueryParameters,
  type QueryReply,
  QueryRequestError,
  errorReply,
  listParameter,
  parseQueryBody,
  requiredParameter,
  successReply,
} from "./query-protocol.ts";
import { parseRawEmail } from "./raw-email.ts";

const SES_NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";

export function answerSesRequest(body: string, now: Date = new Date()): QueryReply {
  const parameters = parseQueryBody(body);
  const action = parameters.get("Action");
  try {
    switch (action) {
      case "SendEmail":
        return reply("SendEmail", sendEmail(parameters, now));
      case "SendRawEmail":
        return reply("SendRawEmail", sendRawEmail(parameters, now));
      default:
        throw new QueryRequestError(
          "InvalidAction",
          `The local SES receiver takes SendEmail and SendRawEmail; ${action === undefined ? "no Action was given" : `${action} is not one of them`}.`,
        );
    }
  } catch (error) {
    if (error instanceof QueryRequestError) return errorReply(SES_NAMESPACE, error);
    throw error;
  }
}

function reply(action: string, messages: OutboxMessage[]): QueryReply {
  const messageId = messages[0]?.messageId ?? randomUUID();
  return successReply(SES_NAMESPACE, action, `<MessageId>${messageId}</MessageId>`, messages);
}

function sendEmail(parameters: QueryParameters, now: Date): OutboxMessage[] {
  const from = requiredParameter(parameters, "Source");
  const recipients = ["ToAddresses", "CcAddresses", "BccAddresses"].flatMap((list) => listParameter(parameters, `Destination.${list}`));
  const subject = requiredParameter(parameters, "Message.Subject.Data");
  const text = parameters.get("Message.Body.Text.Data");
  const html = parameters.get("Message.Body.Html.Data");
  if (text === undefined && html === undefined) {
    throw new QueryRequestError("ValidationError", "Message.Body needs a Text or an Html part.");
  }
  return toEachRecipient(recipients, {
    channel: "email",
    from,
    subject,
    body: text ?? textOfHtml(html ?? ""),
    ...(html === undefined ? {} : { html }),
    sentAt: now.toISOString(),
  });
}

function sendRawEmail(parameters: QueryParameters, now: Date): OutboxMessage[] {
  const data = requiredParameter(parameters, "RawMessage.Data");
  const email = parseRawEmail(Buffer.from(data, "base64").toString("utf8"));
  // Destinations, when given, replace the To/Cc/Bcc headers as the envelope (API reference).
  const given = listParameter(parameters, "Destinations");
  const recipients = given.length > 0 ? given : email.recipients;
  const from = parameters.get("Source") ?? email.from;
  if (from === undefined) throw new QueryRequestError("InvalidParameterValue", "Missing the From header and the Source parameter.");
  return toEachRecipient(recipients, {
    channel: "email",
    from,
    ...(email.subject === undefined ? {} : { subject: email.subject }),
    body: email.text ?? textOfHtml(email.html ?? ""),
    ...(email.html === undefined ? {} : { html: email.html }),
    sentAt: now.toISOString(),
  });
}

function toEachRecipient(recipients: string[], message: Omit<OutboxMessage, "to" | "messageId">): OutboxMessage[] {
  if (recipients.length === 0) {
    throw new QueryRequestError("InvalidParameterValue", "Missing final '@domain': the message has no recipient.");
  }
  const messageId = randomUUID();
  return recipients.map((to) => ({ ...message, to, messageId }));
}

/** A readable body when a sender sent HTML only, so the outbox still shows the code. */
function textOfHtml(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h\d|\/li)[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
