/**
 * Delivers a code to an address: the seam between deciding to send and the SES/SNS senders.
 */
import type { CodeConfig } from "../config.ts";
import { DeliveryFailedError } from "../errors.ts";
import type { CodeRoundPurpose } from "../ownership/address-use.ts";
import type { CodeMethod } from "@cognito-passwordless/protocol";
import { buildCodeEmail, buildCodeSms } from "../send/code-message.ts";
import type { EmailSender } from "../send/email-sender.ts";
import type { SmsSender } from "../send/sms-sender.ts";

export interface CodeDelivery {
  /** Sends `code` by the method's channel, worded for what it does. Throws DeliveryFailedError when the channel refuses. */
  deliver(method: CodeMethod, to: string, code: string, expiresInMinutes: number, purpose?: CodeRoundPurpose): Promise<void>;
}

export interface CodeDeliveryOptions {
  readonly code: Pick<CodeConfig, "appName" | "emailSubject">;
  /** Absent when EMAIL_OTP is not offered. */
  readonly email?: EmailSender | undefined;
  /** Absent when SMS_OTP is not offered. */
  readonly sms?: SmsSender | undefined;
}

export function createCodeDelivery({ code: config, email, sms }: CodeDeliveryOptions): CodeDelivery {
  return {
    async deliver(method, to, code, expiresInMinutes, purpose = "sign-in") {
      const content = { code, appName: config.appName, expiresInMinutes, claim: purpose === "claim" };
      if (method === "EMAIL_OTP") {
        if (email === undefined) throw new DeliveryFailedError("No email sender is configured (EMAIL_OTP is not offered).");
        // A claim code must not pass for a sign-in code: it takes the address off an account.
        await email.send({ to, ...buildCodeEmail({ ...content, ...(content.claim ? {} : { subject: config.emailSubject }) }) });
      } else {
        if (sms === undefined) throw new DeliveryFailedError("No SMS sender is configured (SMS_OTP is not offered).");
        await sms.send({ to, text: buildCodeSms(content) });
      }
    },
  };
}
