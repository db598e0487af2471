/**
 * Sending a code as the pool itself does (no trigger involved): the message goes to the local
 * outbox through the pool's `deliver`, and the caller learns where it went as CodeDeliveryDetails
 * (API reference, CodeDeliveryDetailsType:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CodeDeliveryDetailsType.html):
 * the destination masked, the medium, and the attribute the code verifies.
 */
import type { PoolMessage } from "./pool-services.ts";

export type VerifiableAttribute = "email" | "phone_number";

export interface CodeDeliveryDetails {
  readonly Destination: string;
  readonly DeliveryMedium: "EMAIL" | "SMS";
  readonly AttributeName: VerifiableAttribute;
}

const HIDDEN = "***";

/** The first character of a part, then "***"; a part of one character shows nothing. */
function firstThenHidden(part: string): string {
  const characters = Array.from(part);
  return characters.length < 2 ? HIDDEN : `${characters[0]}${HIDDEN}`;
}

/**
 * Cognito's masked destinations: `jane@example.com` → `j***@e***.com`, `+14155550123` →
 * `+*******0123`. The same form lib/mask.ts gives the suite's own destinations, written out here
 * so the emulator borrows nothing from the code it is used to test.
 */
export function maskedDestination(attribute: VerifiableAttribute, value: string): string {
  if (attribute === "phone_number") {
    const digits = value.replace(/[^0-9]/g, "");
    if (digits.length === 0) return HIDDEN;
    // Numbers too short for E.164 show no digit: four of them would be most of the number.
    const shown = digits.length >= 8 ? 4 : 0;
    return `${value.startsWith("+") ? "+" : ""}${"*".repeat(digits.length - shown)}${digits.slice(digits.length - shown)}`;
  }
  const at = value.lastIndexOf("@");
  if (at < 0) return HIDDEN;
  const [firstLabel = "", ...otherLabels] = value.slice(at + 1).split(".");
  return `${firstThenHidden(value.slice(0, at))}@${[firstThenHidden(firstLabel), ...otherLabels].join(".")}`;
}

/**
 * Sends a verification code to the attribute's value in the words of the pool's verification
 * template (`{####}` replaced by the code). The local pool configures no template of its own, so
 * these are plain defaults of ours; tests read the code, not the wording.
 */
export function deliverVerificationCode(
  attribute: VerifiableAttribute,
  value: string,
  code: string,
  deliver: (message: PoolMessage) => void,
): CodeDeliveryDetails {
  const body = `Your verification code is ${code}.`;
  if (attribute === "email") {
    deliver({ channel: "email", to: value, subject: "Your verification code", body });
    return { Destination: maskedDestination(attribute, value), DeliveryMedium: "EMAIL", AttributeName: attribute };
  }
  deliver({ channel: "sms", to: value, body });
  return { Destination: maskedDestination(attribute, value), DeliveryMedium: "SMS", AttributeName: attribute };
}
