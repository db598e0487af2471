/**
 * Which attributes the local pool knows and who may see or change them, as Cognito decides it:
 * - custom attributes exist only when the pool's Schema declares them (`custom:<Name>`); a value for
 *   any other `custom:` name, or one longer than its MaxLength, is refused;
 * - the app client reads and writes only what its ReadAttributes and WriteAttributes list. Without
 *   ReadAttributes it reads the standard attributes and the verified flags, not custom ones
 *   (UserPoolClientType, ReadAttributes: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html).
 * Triggers see every attribute, whatever the client may read.
 */
import { CognitoError, invalidParameter } from "./errors.ts";

export interface AttributeSchema {
  /** Declared custom attributes by full name (`custom:passkeys`) and their longest value. */
  readonly customAttributes: Readonly<Record<string, { readonly maxLength: number }>>;
  /** The client's ReadAttributes, or undefined when it names none. */
  readonly readAttributes: readonly string[] | undefined;
  /** The client's WriteAttributes, or undefined when it names none. */
  readonly writeAttributes: readonly string[] | undefined;
}

/** A string custom attribute without MaxLength may hold 2048 characters. */
const DEFAULT_CUSTOM_MAX_LENGTH = 2048;

/** Attributes the client always sees in its ID token and GetUser, readable or not. */
const ALWAYS_VISIBLE = new Set(["sub", "identities"]);

export function attributeSchemaFrom(poolProperties: Record<string, unknown>, clientProperties: Record<string, unknown>): AttributeSchema {
  const customAttributes: Record<string, { maxLength: number }> = {};
  const schema = Array.isArray(poolProperties["Schema"]) ? (poolProperties["Schema"] as Record<string, unknown>[]) : [];
  for (const attribute of schema) {
    const name = attribute["Name"];
    if (typeof name !== "string") continue;
    const constraints = attribute["StringAttributeConstraints"] as Record<string, unknown> | undefined;
    const maxLength = constraints?.["MaxLength"] === undefined ? DEFAULT_CUSTOM_MAX_LENGTH : Number(constraints["MaxLength"]);
    // Standard attributes may be listed in Schema too (to make them required); only the rest are custom.
    if (!STANDARD_ATTRIBUTES.has(name)) customAttributes[`custom:${name}`] = { maxLength };
  }
  const list = (value: unknown) => (Array.isArray(value) ? Object.freeze(value.map(String)) : undefined);
  return Object.freeze({
    customAttributes: Object.freeze(customAttributes),
    readAttributes: list(clientProperties["ReadAttributes"]),
    writeAttributes: list(clientProperties["WriteAttributes"]),
  });
}

/** The OIDC standard attributes Cognito pools have, and the verified flags. */
const STANDARD_ATTRIBUTES = new Set([
  "address",
  "birthdate",
  "email",
  "email_verified",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "phone_number_verified",
  "picture",
  "preferred_username",
  "profile",
  "sub",
  "updated_at",
  "website",
  "zoneinfo",
]);

/** Whether the app client may read this attribute (ID token claims, GetUser). */
export function clientMayRead(schema: AttributeSchema, name: string): boolean {
  if (ALWAYS_VISIBLE.has(name)) return true;
  if (schema.readAttributes !== undefined) return schema.readAttributes.includes(name);
  return STANDARD_ATTRIBUTES.has(name);
}

/** Refuses values for attributes the pool does not have, or longer than a custom attribute allows. */
export function checkAgainstSchema(schema: AttributeSchema, attributes: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!name.startsWith("custom:")) continue;
    const declared = schema.customAttributes[name];
    if (declared === undefined) throw invalidParameter(`Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`);
    if (value.length > declared.maxLength) {
      throw invalidParameter(`Attributes did not conform to the schema: ${name}: String must be no longer than ${declared.maxLength} characters`);
    }
  }
}

/** Refuses, for calls made with the app client (SignUp), attributes it may not write. */
export function checkClientMayWrite(schema: AttributeSchema, attributes: Readonly<Record<string, string>>): void {
  if (schema.writeAttributes === undefined) return;
  for (const name of Object.keys(attributes)) {
    if (!schema.writeAttributes.includes(name)) throw new CognitoError("NotAuthorizedException", "A client attempted to write unauthorized attribute");
  }
}
