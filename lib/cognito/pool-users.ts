/**
 * The user-pool calls account linking makes: find native users by email or phone, create a
 * native user, undo that creation, link a federated identity, and check whether a link exists.
 *
 * Lookups are idempotent and may be retried by the SDK; the changes (create, delete, link) are
 * not (a retried AdminCreateUser fails with UsernameExistsException after the first one worked),
 * so they go through a client that makes one attempt only.
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminLinkProviderForUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";
import type { AddressHolder } from "../linking/choose-link-target.ts";

export type AddressAttribute = "email" | "phone_number";

export interface LinkSource {
  readonly providerName: string;
  readonly subject: string;
}

export interface PoolUsers {
  /** Native users holding this address, compared as Cognito compares them (email ignoring case). */
  findHolders(userPoolId: string, attribute: AddressAttribute, value: string): Promise<AddressHolder[]>;
  /** Creates a confirmed-by-admin native user with these verified addresses; undefined if one is taken. */
  createNativeUser(userPoolId: string, verified: { email?: string | undefined; phone?: string | undefined }): Promise<string | undefined>;
  deleteUser(userPoolId: string, username: string): Promise<void>;
  link(userPoolId: string, username: string, source: LinkSource): Promise<void>;
  isLinked(userPoolId: string, username: string, source: LinkSource): Promise<boolean>;
}

/** The first page is enough: more than one verified holder already means "do not link". */
const LOOKUP_PAGE = 10;

/** ListUsers filter values are double-quoted; a quote or backslash inside must be escaped. */
function filterFor(attribute: string, value: string): string {
  return `${attribute} = "${value.replace(/["\\]/g, (character) => `\\${character}`)}"`;
}

function attributeOf(user: UserType, name: string): string | undefined {
  return user.Attributes?.find((attribute) => attribute.Name === name)?.Value;
}

function sameAddress(attribute: AddressAttribute, a: string, b: string): boolean {
  // The pool is case-insensitive (UsernameConfiguration CaseSensitive false): Cognito treats
  // Jane@Example.com and jane@example.com as one sign-in address, so linking must too.
  return attribute === "email" ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** An answer from Cognito that refuses the request, as opposed to a timeout or a lost connection. */
export function isRefusal(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === "number" && status >= 400 && status < 500;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}

export function createPoolUsers(lookups: CognitoIdentityProviderClient, changes: CognitoIdentityProviderClient): PoolUsers {
  async function listUsers(userPoolId: string, filter: string): Promise<UserType[]> {
    try {
      const page = await lookups.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: filter, Limit: LOOKUP_PAGE }));
      return page.Users ?? [];
    } catch (error) {
      throw new CognitoCallFailedError(`ListUsers failed (${errorName(error)}).`, { cause: error });
    }
  }

  return {
    async findHolders(userPoolId, attribute, value) {
      // An exact-match filter: ask for the address as the IdP spelled it and, for email, in
      // lower case too (how most addresses are stored), then compare as Cognito does.
      const spellings = attribute === "email" ? [...new Set([value, value.toLowerCase()])] : [value];
      const pages = await Promise.all(spellings.map((spelling) => listUsers(userPoolId, filterFor(attribute, spelling))));
      const holders = new Map<string, AddressHolder>();
      for (const user of pages.flat()) {
        const held = attributeOf(user, attribute);
        if (user.Username === undefined || held === undefined) continue;
        // Federated users carry the IdP's addresses but are not accounts anyone signs in to natively.
        if (user.UserStatus === "EXTERNAL_PROVIDER") continue;
        if (!sameAddress(attribute, held, value)) continue;
        holders.set(user.Username, { username: user.Username, verified: attributeOf(user, `${attribute}_verified`) === "true" });
      }
      return [...holders.values()];
    },

    async createNativeUser(userPoolId, verified) {
      const signInName = verified.email ?? verified.phone;
      if (signInName === undefined) throw new CognitoCallFailedError("AdminCreateUser needs an email or a phone number.");
      const attributes = [
        ...(verified.email === undefined
          ? []
          : [
              { Name: "email", Value: verified.email },
              { Name: "email_verified", Value: "true" },
            ]),
        ...(verified.phone === undefined
          ? []
          : [
              { Name: "phone_number", Value: verified.phone },
              { Name: "phone_number_verified", Value: "true" },
            ]),
      ];
      try {
        const created = await changes.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: signInName,
            UserAttributes: attributes,
            // No invitation: there is no password to hand out, and the person is signing in right now.
            MessageAction: "SUPPRESS",
          }),
        );
        const username = created.User?.Username;
        if (username === undefined) throw new CognitoCallFailedError("AdminCreateUser answered without a username.");
        return username;
      } catch (error) {
        if (errorName(error) === "UsernameExistsException" || errorName(error) === "AliasExistsException") return undefined;
        if (error instanceof CognitoCallFailedError) throw error;
        throw new CognitoCallFailedError(`AdminCreateUser failed (${errorName(error)}).`, { cause: error });
      }
    },

    async deleteUser(userPoolId, username) {
      try {
        await changes.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      } catch (error) {
        throw new CognitoCallFailedError(`AdminDeleteUser failed (${errorName(error)}).`, { cause: error });
      }
    },

    async link(userPoolId, username, source) {
      try {
        await changes.send(
          new AdminLinkProviderForUserCommand({
            UserPoolId: userPoolId,
            DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: username },
            SourceUser: { ProviderName: source.providerName, ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: source.subject },
          }),
        );
      } catch (error) {
        throw new CognitoCallFailedError(`AdminLinkProviderForUser failed (${errorName(error)}).`, { cause: error });
      }
    },

    async isLinked(userPoolId, username, source) {
      const [user] = await listUsers(userPoolId, filterFor("username", username));
      const identities = user === undefined ? undefined : attributeOf(user, "identities");
      if (identities === undefined) return false;
      try {
        const entries = JSON.parse(identities) as unknown;
        return (
          Array.isArray(entries) &&
          entries.some(
            (entry: { providerName?: unknown; userId?: unknown } | null) => entry?.providerName === source.providerName && entry?.userId === source.subject,
          )
        );
      } catch {
        return false;
      }
    },
  };
}
