/**
 * Sends the passkey notice by the recipient's channel: the seam between deciding to tell the owner
 * and the SES/SNS senders. Throws DeliveryFailedError; the caller decides that a notice that could
 * not be sent never fails the change it announces.
 */
import { DeliveryFailedError } from "../errors.ts";
import { isSmsAllowed } from "../phone.ts";
import type { EmailSender } from "../send/email-sender.ts";
import type { SmsSender } from "../send/sms-sender.ts";
import type { NoticeRecipient } from "./notice-recipient.ts";
import { type PasskeyChange, buildPasskeyNoticeEmail, buildPasskeyNoticeSms } from "./passkey-notice.ts";

export interface PasskeyNotifier {
  notify(recipient: NoticeRecipient, change: PasskeyChange): Promise<void>;
}

export interface PasskeyNotifierOptions {
  /** Absent when no sender address is configured (EMAIL_FROM). */
  readonly email?: EmailSender | undefined;
  readonly sms?: SmsSender | undefined;
  /** SMS_ALLOWED_COUNTRY_CODES: a notice is an SMS like a code, and bound by the same countries. */
  readonly smsAllowedCountryCodes: readonly string[];
}

export function createPasskeyNotifier({ email, sms, smsAllowedCountryCodes }: PasskeyNotifierOptions): PasskeyNotifier {
  return {
    async notify(recipient, change) {
      if (recipient.channel === "email") {
        if (email === undefined) throw new DeliveryFailedError("No email sender is configured (EMAIL_FROM is not set).");
        await email.send({ to: recipient.to, ...buildPasskeyNoticeEmail(change) });
      } else {
        if (sms === undefined) throw new DeliveryFailedError("No SMS sender is configured.");
        if (!isSmsAllowed(recipient.to, smsAllowedCountryCodes)) {
          throw new DeliveryFailedError("The verified phone number is in a country SMS_ALLOWED_COUNTRY_CODES does not list.");
        }
        await sms.send({ to: recipient.to, text: buildPasskeyNoticeSms(change) });
      }
    },
  };
}
