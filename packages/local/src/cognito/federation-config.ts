/**
 * The pool's identity providers and the app client's OAuth settings: what the hosted-UI endpoints
 * (/oauth2/*) and AdminLinkProviderForUser need to know, read from template.yaml the way
 * CloudFormation would create them. Sources:
 * - AWS::Cognito::UserPoolIdentityProvider (ProviderName, ProviderType, ProviderDetails, AttributeMapping):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolidentityprovider.html
 * - AWS::Cognito::UserPoolClient (AllowedOAuthFlowsUserPoolClient, AllowedOAuthFlows, AllowedOAuthScopes,
 *   CallbackURLs, SupportedIdentityProviders):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolclient.html
 * - AWS::Cognito::UserPoolDomain (Domain, the prefix of <prefix>.auth.<region>.amazoncognito.com).
 */

export interface IdentityProviderConfig {
  /** As the pool names it: the prefix of federated usernames and the ProviderName of AdminLinkProviderForUser. */
  readonly providerName: string;
  /** OIDC, SAML, Google, Facebook, LoginWithAmazon or SignInWithApple. */
  readonly providerType: string;
  /** ProviderDetails as the template gives them (for OIDC: client_id, client_secret, authorize_scopes, oidc_issuer, …). */
  readonly details: Readonly<Record<string, string>>;
  /** User pool attribute → the IdP claim it is read from. */
  readonly attributeMapping: Readonly<Record<string, string>>;
}

/** The app client's OAuth 2.0 settings; present only when AllowedOAuthFlowsUserPoolClient is true. */
export interface OAuthClientConfig {
  readonly allowedFlows: readonly string[];
  readonly allowedScopes: readonly string[];
  /** redirect_uri must equal one of these exactly (a trailing slash counts). */
  readonly callbackUrls: readonly string[];
  readonly supportedIdentityProviders: readonly string[];
}

export interface FederationConfig {
  readonly domainPrefix: string | undefined;
  readonly identityProviders: readonly IdentityProviderConfig[];
  readonly oauthClient: OAuthClientConfig | undefined;
}

export const NO_FEDERATION: FederationConfig = Object.freeze({ domainPrefix: undefined, identityProviders: [], oauthClient: undefined });

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, String(item)]));
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  // A list parameter may still arrive as one comma-separated string from an older resolver.
  if (typeof value === "string" && value !== "") return value.split(",").map((item) => item.trim());
  return [];
}

/** One resolved AWS::Cognito::UserPoolIdentityProvider's properties. */
export function identityProviderFrom(properties: Readonly<Record<string, unknown>>): IdentityProviderConfig {
  return Object.freeze({
    providerName: String(properties["ProviderName"] ?? ""),
    providerType: String(properties["ProviderType"] ?? ""),
    details: Object.freeze(stringRecord(properties["ProviderDetails"])),
    attributeMapping: Object.freeze(stringRecord(properties["AttributeMapping"])),
  });
}

/** The OAuth settings of a resolved AWS::Cognito::UserPoolClient, or undefined when its OAuth flows are off. */
export function oauthClientFrom(properties: Readonly<Record<string, unknown>>): OAuthClientConfig | undefined {
  const enabled = properties["AllowedOAuthFlowsUserPoolClient"];
  if (enabled !== true && enabled !== "true") return undefined;
  return Object.freeze({
    allowedFlows: Object.freeze(stringList(properties["AllowedOAuthFlows"])),
    allowedScopes: Object.freeze(stringList(properties["AllowedOAuthScopes"])),
    callbackUrls: Object.freeze(stringList(properties["CallbackURLs"])),
    supportedIdentityProviders: Object.freeze(stringList(properties["SupportedIdentityProviders"])),
  });
}

export function findIdentityProvider(federation: FederationConfig, providerName: string): IdentityProviderConfig | undefined {
  // Provider names are compared exactly: AdminLinkProviderForUser wants "Google", not the "google" of a federated username.
  return federation.identityProviders.find((provider) => provider.providerName === providerName);
}
