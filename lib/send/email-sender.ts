/**
 * Sends the sign-in email through Amazon SES (API v1, `SendEmail`).
 * The SES client is created once per cold start and passed in, so tests pass a mocked one and
 * the local stack points the real one at its own endpoint with AWS_ENDPOINT_URL_SES.
 */
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { awsClientOptions } from "../aws/client-options.ts";
import type { AwsCallConfig } from "../config.ts";
import { deliveryFailed } from "./delivery-error.ts";
import { sharedPerCallSettings } from "../aws/shared-per-call.ts";

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface EmailSender {
  /** Resolves once SES accepted the message; throws DeliveryFailedError otherwise. */
  send(message: EmailMessage): Promise<void>;
}

export interface SesEmailSenderOptions {
  readonly client: SESClient;
  /** EMAIL_FROM: an SES-verified address, optionally as "Name <address>". */
  readonly from: string;
}

/** A new SES client with the suite's timeouts and bounded retries (functions use sesClientFor, below). */
export function createSesClient(call: AwsCallConfig): SESClient {
  return new SESClient(awsClientOptions(call));
}

/** The process's SES client for these call settings (lib/aws/shared-per-call.ts): the combined function's triggers and the passkey notices use one. */
export const sesClientFor = sharedPerCallSettings(createSesClient);

/**
 * SES takes only 7-bit ASCII in Source; a display name with other characters must be written
 * as an RFC 2047 encoded word (SES API reference, SendEmail, "Source").
 */
export function encodeFromAddress(from: string): string {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
  if (match === null) return from.trim();
  const [, name = "", address = ""] = match;
  if (name === "" || /^[\x20-\x7e]*$/.test(name)) return from.trim();
  const encoded = Buffer.from(name.replace(/^"(.*)"$/, "$1"), "utf8").toString("base64");
  return `=?UTF-8?B?${encoded}?= <${address}>`;
}

export function createSesEmailSender(options: SesEmailSenderOptions): EmailSender {
  const source = encodeFromAddress(options.from);
  return {
    async send({ to, subject, text, html }) {
      const command = new SendEmailCommand({
        Source: source,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: subject, Charset: "UTF-8" },
          Body: {
            Text: { Data: text, Charset: "UTF-8" },
            Html: { Data: html, Charset: "UTF-8" },
          },
        },
      });
      try {
        await options.client.send(command);
      } catch (error) {
        throw deliveryFailed("email", error, [to]);
      }
    },
  };
}
