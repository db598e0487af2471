import { randomInt } from "node:crypto";

/**
 * A one-time code of `length` decimal digits from the CSPRNG, uniform over the whole range:
 * one draw of 0 … 10^length − 1, left-padded, so leading zeros are as likely as any digit.
 */
export function generateCode(length: number): string {
  if (!Number.isInteger(length) || length < 4 || length > 10) {
    throw new RangeError(`A code length must be a whole number from 4 to 10, not ${length}.`);
  }
  return String(randomInt(0, 10 ** length)).padStart(length, "0");
}
