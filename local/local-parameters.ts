/**
 * The template parameters the local stack runs with unless told otherwise: every sign-in method
 * on, and passkeys for the demo page's own origin. A deployment chooses these at `sam deploy`;
 * on a laptop there is exactly one sensible answer, so `npm start` needs no flags for passkeys.
 */
import type { Template } from "../scripts/lib/read-template.ts";

/**
 * "localhost" is the one host name that is both a secure context over plain http and a valid
 * WebAuthn relying-party id (an IP address such as 127.0.0.1 is not: WebAuthn needs a domain,
 * https://www.w3.org/TR/webauthn-3/#rp-id). So the demo is opened at http://localhost:<port>.
 */
export const LOCAL_RELYING_PARTY_ID = "localhost";

/** The origin a browser has when it opens the demo page served on `port`. */
export function demoOrigin(port: number): string {
  return `http://${LOCAL_RELYING_PARTY_ID}:${port}`;
}

/**
 * Defaults for the local stack, under the caller's own overrides. Only parameters the template
 * declares are set: the resolver refuses an override of a parameter that does not exist, and a
 * template from before passkeys must still start.
 */
export function localTemplateParameters(
  template: Template,
  webPort: number,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const defaults: Record<string, string> = {
    SignInMethods: "PASSKEY,EMAIL_OTP,SMS_OTP",
    RelyingPartyId: LOCAL_RELYING_PARTY_ID,
    RelyingPartyName: "Passwordless sign-in (local demo)",
    PasskeyAllowedOrigins: demoOrigin(webPort),
  };
  const declared = Object.fromEntries(Object.entries(defaults).filter(([name]) => template.Parameters?.[name] !== undefined));
  return { ...declared, ...overrides };
}
