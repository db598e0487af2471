/**
 * The federation settings of a fake pool that federates with a local IdP: the template's OIDC
 * provider (named LocalIdP, its attribute mapping) and an app client allowed the code flow, as
 * template.yaml declares them when OidcProviderName is set.
 */
import type { FederationConfig } from "@cognito-passwordless/local/cognito/federation-config.ts";
import type { LocalIdp } from "@cognito-passwordless/local/idp/local-idp.ts";

export function federationWith(idp: LocalIdp, callbackUrls: readonly string[]): FederationConfig {
  return {
    domainPrefix: "local",
    identityProviders: [
      {
        providerName: "LocalIdP",
        providerType: "OIDC",
        details: {
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
          oidc_issuer: idp.issuer,
          authorize_scopes: "openid email phone",
          attributes_request_method: "GET",
        },
        attributeMapping: {
          email: "email",
          email_verified: "email_verified",
          phone_number: "phone_number",
          phone_number_verified: "phone_number_verified",
          name: "name",
        },
      },
    ],
    oauthClient: {
      allowedFlows: ["code"],
      allowedScopes: ["openid", "email", "phone", "profile"],
      callbackUrls: [...callbackUrls],
      supportedIdentityProviders: ["LocalIdP"],
    },
  };
}
