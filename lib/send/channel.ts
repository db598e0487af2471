/**
 * The two ways a code reaches a user. One name per channel, used by the senders, the masks
 * and the store, so "email"/"sms" never drift apart from the methods the app chooses.
 */
import type { CodeMethod } from "@cognito-passwordless/protocol";

export type DeliveryChannel = "email" | "sms";

/** The channel each one-time-code method sends on. */
export const CHANNEL_OF_METHOD: Readonly<Record<CodeMethod, DeliveryChannel>> = Object.freeze({
  EMAIL_OTP: "email",
  SMS_OTP: "sms",
});
