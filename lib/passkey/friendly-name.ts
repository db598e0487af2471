/**
 * The name a passkey is listed under: the provider when its AAGUID is well known, else the
 * browser and system it was enrolled from, else "Passkey".
 */
import { KNOWN_AUTHENTICATORS } from "./known-authenticators.ts";

export const DEFAULT_PASSKEY_NAME = "Passkey";

/** Bounds a name taken from a client-sent user agent, which is shown back to the user. */
const MAX_NAME_CHARS = 64;

const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Windows/, "Windows"],
  [/Linux/, "Linux"],
];

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\//, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Safari\//, "Safari"],
];

function firstMatch(table: readonly (readonly [RegExp, string])[], text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

/** "Chrome on macOS" from a browser's user agent; a user agent it cannot read, cleaned and shortened. */
export function nameFromUserAgent(userAgent: string): string | undefined {
  const text = userAgent.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  if (text === "") return undefined;
  const browser = firstMatch(BROWSERS, text);
  const system = firstMatch(SYSTEMS, text);
  if (browser !== undefined && system !== undefined) return `${browser} on ${system}`;
  if (browser !== undefined || system !== undefined) return browser ?? system;
  return text.length <= MAX_NAME_CHARS ? text : `${text.slice(0, MAX_NAME_CHARS - 1)}…`;
}

export function passkeyFriendlyName(aaguid: string, userAgent?: string | undefined): string {
  return KNOWN_AUTHENTICATORS[aaguid.toLowerCase()] ?? (userAgent === undefined ? undefined : nameFromUserAgent(userAgent)) ?? DEFAULT_PASSKEY_NAME;
}
