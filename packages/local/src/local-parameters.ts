/**
 * The template parameters the local stack runs with unless told otherwise: every sign-in method
 * on, passkeys for the demo page's own origin, and federation with the local IdP (provider
 * LocalIdP, hosted domain prefix "local", the demo page as callback URL). A deployment chooses
 * these at `sam deploy`; on a laptop there is exactly one sensible answer, so `npm start` needs no
 * flags for passkeys or federation.
 */
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

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

/** The identity provider the local stack federates with, as the user pool knows it. */
export const LOCAL_IDP_PROVIDER_NAME = "LocalIdP";

/** Where the demo page takes the authorization code back: its own address. */
export function demoCallbackUrl(port: number): string {
  return `${demoOrigin(port)}/`;
}

/** The local IdP's issuer and the credentials the user pool has there. */
export interface LocalIdpClient {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Defaults for the local stack, under the caller's own overrides. Only parameters the template
 * declares are set: the resolver refuses an override of a parameter that does not exist, and a
 * template from before passkeys or federation must still start. The demo page is a callback URL
 * at localhost (where passkeys work) and at the address it listens on (`webUrl`, 127.0.0.1), since
 * people open either and the redirect_uri must match exactly.
 */
export function localTemplateParameters(
  template: Template,
  local: { readonly webPort: number; readonly webUrl?: string | undefined; readonly idp?: LocalIdpClient | undefined },
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const callbackUrls = [...new Set([demoCallbackUrl(local.webPort), ...(local.webUrl === undefined ? [] : [`${local.webUrl}/`])])];
  const defaults: Record<string, string> = {
    SignInMethods: "PASSKEY,EMAIL_OTP,SMS_OTP",
    RelyingPartyId: LOCAL_RELYING_PARTY_ID,
    RelyingPartyName: "Passwordless sign-in (local demo)",
    PasskeyAllowedOrigins: demoOrigin(local.webPort),
    ...(local.idp === undefined
      ? {}
      : {
          OidcProviderName: LOCAL_IDP_PROVIDER_NAME,
          OidcIssuer: local.idp.issuer,
          OidcClientId: local.idp.clientId,
          OidcClientSecret: local.idp.clientSecret,
          HostedDomainPrefix: "local",
          CallbackUrls: callbackUrls.join(","),
        }),
  };
  const declared = Object.fromEntries(Object.entries(defaults).filter(([name]) => template.Parameters?.[name] !== undefined));
  return { ...declared, ...overrides };
}
