/**
 * Sends the sign-in SMS through Amazon SNS (`Publish` straight to a phone number, no topic).
 * The SNS client is created once per cold start and passed in, so tests pass a mocked one and
 * the local stack points the real one at its own endpoint with AWS_ENDPOINT_URL_SNS.
 */
import { type MessageAttributeValue, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { awsClientOptions } from "../aws/client-options.ts";
import type { AwsCallConfig } from "../config.ts";
import { deliveryFailed } from "./delivery-error.ts";
import { sharedPerCallSettings } from "../aws/shared-per-call.ts";

export interface SmsMessage {
  /** E.164, already checked against SMS_ALLOWED_COUNTRY_CODES by the caller. */
  readonly to: string;
  readonly text: string;
}

export interface SmsSender {
  /** Resolves once SNS accepted the message; throws DeliveryFailedError otherwise. */
  send(message: SmsMessage): Promise<void>;
}

export interface SnsSmsSenderOptions {
  readonly client: SNSClient;
  /** SMS_SENDER_ID: shown as the sender where the destination country supports sender IDs. */
  readonly senderId?: string | undefined;
}

/** A new SNS client with the suite's timeouts and bounded retries (functions use snsClientFor, below). */
export function createSnsClient(call: AwsCallConfig): SNSClient {
  return new SNSClient(awsClientOptions(call));
}

/** The process's SNS client for these call settings (lib/aws/shared-per-call.ts): the combined function's triggers and the passkey notices use one. */
export const snsClientFor = sharedPerCallSettings(createSnsClient);

export function createSnsSmsSender(options: SnsSmsSenderOptions): SmsSender {
  // Per-message attributes rather than the account-wide SetSMSAttributes: the suite must not
  // change settings other senders in the account rely on (Amazon SNS developer guide,
  // "Publishing to a mobile phone", message attributes AWS.SNS.SMS.*).
  const attributes: Record<string, MessageAttributeValue> = {
    // Transactional: delivery is optimised for reliability, which a sign-in code needs.
    "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
  };
  if (options.senderId !== undefined) {
    attributes["AWS.SNS.SMS.SenderID"] = { DataType: "String", StringValue: options.senderId };
  }
  return {
    async send({ to, text }) {
      const command = new PublishCommand({ PhoneNumber: to, Message: text, MessageAttributes: attributes });
      try {
        await options.client.send(command);
      } catch (error) {
        // The digits alone too: services sometimes quote a number without its "+".
        throw deliveryFailed("sms", error, [to, to.replace(/^\+/, "")]);
      }
    },
  };
}
