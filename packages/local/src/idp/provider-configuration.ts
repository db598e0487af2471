/**
 * How the local IdP configures oidc-provider (https://github.com/panva/node-oidc-provider, docs/README.md):
 * - one confidential client, the user pool, redeeming codes with client_secret_post;
 * - the authorization code flow only; PKCE optional for that confidential client;
 * - the standard claims of the openid, email, phone and profile scopes, in the ID token as well as
 *   at userinfo (conformIdTokenClaims off), and `name` with openid alone, since the template's
 *   OidcScopes default asks for "openid email phone";
 * - no consent step: the pool is the IdP's own client, so a grant of every scope is made on first
 *   use (the library's documented way to skip consent for first-party clients);
 * - its own sign-in page (login-form.ts) instead of the library's development pages.
 */
/// <reference path="./oidc-provider.d.ts" />
import type { Configuration, Grant, KoaContextWithOIDC } from "oidc-provider";
import { type IdpAccounts, profileClaims } from "./idp-accounts.ts";
import type { MemoryStore } from "./memory-adapter.ts";

export const IDP_SCOPES = ["openid", "email", "phone", "profile"] as const;

export interface IdpClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

/** The grant this session already has for the client, or a new one for every scope. */
async function grantEverything(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { client, session, result, provider } = ctx.oidc;
  if (client === undefined || session === undefined) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId !== undefined) {
    const existing = await provider.Grant.find(grantId);
    if (existing !== undefined) return existing;
  }
  if (session.accountId === undefined) return undefined;
  const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope(IDP_SCOPES.join(" "));
  await grant.save();
  return grant;
}

export function providerConfiguration(options: {
  readonly client: IdpClient;
  readonly accounts: IdpAccounts;
  readonly store: MemoryStore;
  readonly cookieKeys: readonly string[];
  readonly signingKey: Readonly<Record<string, unknown>>;
}): Configuration {
  const { client, accounts, store } = options;
  return {
    adapter: (model: string) => store.adapterFor(model),
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [...client.redirectUris],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    responseTypes: ["code"],
    pkce: { required: () => false },
    scopes: [...IDP_SCOPES],
    claims: {
      openid: ["sub", "name"],
      email: ["email", "email_verified"],
      phone: ["phone_number", "phone_number_verified"],
      profile: ["name"],
    },
    conformIdTokenClaims: false,
    findAccount: async (_ctx: KoaContextWithOIDC, subject: string) => {
      const profile = accounts.get(subject);
      return profile === undefined ? undefined : { accountId: subject, claims: () => profileClaims(profile) };
    },
    loadExistingGrant: grantEverything,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    // Lifetimes in seconds, set so the library does not fall back to (and announce) its defaults:
    // an hour to fill in the form, a day's session, a minute to redeem a code.
    ttl: { Interaction: 3600, Session: 86_400, Grant: 86_400, AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600 },
    cookies: { keys: [...options.cookieKeys] },
    jwks: { keys: [options.signingKey] },
    renderError: (ctx: { type: string; body: string }, out: Record<string, unknown>) => {
      ctx.type = "text/plain; charset=utf-8";
      ctx.body = `The local IdP refused the request: ${String(out["error"])}${out["error_description"] === undefined ? "" : ` (${String(out["error_description"])})`}\n`;
    },
  };
}
