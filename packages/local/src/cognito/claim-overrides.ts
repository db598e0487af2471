/**
 * What a pre token generation response may change in the tokens, applied the way Cognito applies
 * it (developer guide, "Pre token generation Lambda trigger",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html):
 * - V1 (`claimsOverrideDetails`): ID token only, string values only.
 * - V2 (`claimsAndScopeOverrideDetails`): ID and access token, JSON values, scopes to add or suppress.
 * - A claim both suppressed and overridden is suppressed.
 * - `groupOverrideDetails` replaces `cognito:groups` in both tokens.
 * - Claims Cognito sets itself cannot be added, changed or suppressed. The developer guide lists
 *   them; a response that names one has no effect on it (the rest of the response still applies).
 *   Pure: the token issuer calls it with the claims it built.
 */
import { unrecognizableLambdaOutput } from "./errors.ts";

export type Claims = Record<string, unknown>;

/** Claims a trigger cannot touch ("You can't modify the following claims" / "Excluded claims"). */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  "acr",
  "amr",
  "aud",
  "at_hash",
  "auth_time",
  "azp",
  "c_hash",
  "client_id",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "scope",
  "sub",
  "token_use",
  "username",
]);

export function isReservedClaim(name: string): boolean {
  return RESERVED_CLAIMS.has(name) || name.startsWith("cognito:");
}

export interface TokenClaims {
  readonly id: Claims;
  readonly access: Claims;
  readonly scopes: readonly string[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw unrecognizableLambdaOutput();
  return value as Record<string, unknown>;
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw unrecognizableLambdaOutput();
  return value as string[];
}

function applyClaims(claims: Claims, details: Record<string, unknown> | undefined, stringsOnly: boolean): Claims {
  if (details === undefined) return claims;
  const result = { ...claims };
  const toAdd = record(details["claimsToAddOrOverride"]) ?? {};
  const toSuppress = new Set(stringList(details["claimsToSuppress"]));
  for (const [name, value] of Object.entries(toAdd)) {
    if (stringsOnly && typeof value !== "string") throw unrecognizableLambdaOutput();
    if (isReservedClaim(name) || toSuppress.has(name)) continue;
    result[name] = value;
  }
  for (const name of toSuppress) {
    if (!isReservedClaim(name)) delete result[name];
  }
  return result;
}

function applyGroups(tokens: TokenClaims, groupDetails: Record<string, unknown> | undefined): TokenClaims {
  if (groupDetails === undefined) return tokens;
  const groups = stringList(groupDetails["groupsToOverride"]);
  const withGroups = (claims: Claims): Claims => {
    const { ["cognito:groups"]: _previous, ...rest } = claims;
    return groups.length > 0 ? { ...rest, "cognito:groups": groups } : rest;
  };
  return { ...tokens, id: withGroups(tokens.id), access: withGroups(tokens.access) };
}

/** Applies a V1 response (`response.claimsOverrideDetails`). */
export function applyV1Response(tokens: TokenClaims, response: unknown): TokenClaims {
  const details = record(record(response)?.["claimsOverrideDetails"]);
  if (details === undefined) return tokens;
  const id = applyClaims(tokens.id, details, true);
  return applyGroups({ ...tokens, id }, record(details["groupOverrideDetails"]));
}

/** Applies a V2 response (`response.claimsAndScopeOverrideDetails`). */
export function applyV2Response(tokens: TokenClaims, response: unknown): TokenClaims {
  const details = record(record(response)?.["claimsAndScopeOverrideDetails"]);
  if (details === undefined) return tokens;
  const idDetails = record(details["idTokenGeneration"]);
  const accessDetails = record(details["accessTokenGeneration"]);
  const id = applyClaims(tokens.id, idDetails, false);
  const access = applyClaims(tokens.access, accessDetails, false);
  const suppressed = new Set(stringList(accessDetails?.["scopesToSuppress"]));
  const scopes = [...new Set([...tokens.scopes, ...stringList(accessDetails?.["scopesToAdd"])])].filter((s) => !suppressed.has(s));
  return applyGroups({ id, access, scopes }, record(details["groupOverrideDetails"]));
}
