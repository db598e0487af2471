/**
 * Where a notice about the account goes: its verified email, else its verified phone number.
 * "Verified" includes the address this very session proved with a code, whose flag Cognito may not
 * show yet (the flag is written after the proof, and that write may fail or lag).
 */
import { addressState } from "../ownership/account-facts.ts";
import type { DeliveryChannel } from "../send/channel.ts";
import { hashForKey } from "../store/keys.ts";

export interface NoticeRecipient {
  readonly channel: DeliveryChannel;
  readonly to: string;
}

export function noticeRecipient(attributes: Readonly<Record<string, string>>, provenInSession?: string): NoticeRecipient | undefined {
  const usable = (attribute: "email" | "phone_number"): string | undefined => {
    const value = attributes[attribute];
    if (value === undefined || value === "") return undefined;
    const proven = addressState(attributes, attribute) === "verified" || (provenInSession !== undefined && hashForKey(value) === provenInSession);
    return proven ? value : undefined;
  };
  const email = usable("email");
  if (email !== undefined) return { channel: "email", to: email };
  const phone = usable("phone_number");
  return phone === undefined ? undefined : { channel: "sms", to: phone };
}
