/**
 * The password SignUp must carry when the pool demands one (PROTOCOL, "Users"). Nobody ever
 * types or sees it: 40 characters from the browser's CSPRNG, with every character class a
 * password policy can require, so any policy Cognito allows is met.
 */
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~";
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

export function randomPassword(length = 40): string {
  const characters = [LOWER, UPPER, DIGITS, SYMBOLS].map(pick);
  while (characters.length < length) characters.push(pick(ALL));
  return characters.join("");
}

/** One character, uniformly: values that would bias the modulo are drawn again. */
function pick(alphabet: string): string {
  const limit = 256 - (256 % alphabet.length);
  const byte = new Uint8Array(1);
  do crypto.getRandomValues(byte);
  while ((byte[0] ?? 255) >= limit);
  return alphabet[(byte[0] ?? 0) % alphabet.length] ?? "";
}
