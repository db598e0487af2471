/**
 * The IdP's claims become user pool attributes through the provider's AttributeMapping (pool
 * attribute → IdP claim), every value a string as attributes are: a boolean claim such as
 * `email_verified: true` becomes "true" (developer guide, "Mapping IdP attributes to profiles and
 * tokens": https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-specifying-attribute-mapping.html).
 * A claim the IdP did not send maps to nothing. Pure.
 */

function attributeValue(claim: unknown): string | undefined {
  if (claim === undefined || claim === null) return undefined;
  if (typeof claim === "string") return claim;
  if (typeof claim === "number" || typeof claim === "boolean") return String(claim);
  // Structured claims (an address, a list of groups) arrive as their JSON.
  return JSON.stringify(claim);
}

export function mapAttributes(claims: Readonly<Record<string, unknown>>, attributeMapping: Readonly<Record<string, string>>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [attribute, claimName] of Object.entries(attributeMapping)) {
    // `sub` is the pool's own, and a mapping to `username` names the IdP subject the username is built from.
    if (attribute === "sub" || attribute === "username") continue;
    const value = attributeValue(claims[claimName]);
    if (value !== undefined) attributes[attribute] = value;
  }
  return attributes;
}
