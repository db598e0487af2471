/**
 * Reads a user's attributes (AdminGetUser): what the passkey API needs that no token carries:
 * `custom:passkeys` (the cached keys, rewritten when one is added or removed), `sub` (the passkey
 * user handle), and the verified email or phone a notice goes to.
 */
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";

export interface UserAttributesReader {
  /**
   * The user's attributes, or undefined when the pool has no such user or the user is disabled:
   * a token that outlived its user (deleted, or disabled by an operator) changes nothing.
   */
  read(userPoolId: string, userName: string): Promise<Readonly<Record<string, string>> | undefined>;
}

export function createCognitoUserAttributesReader(client: CognitoIdentityProviderClient): UserAttributesReader {
  return {
    async read(userPoolId, userName) {
      try {
        const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userName }));
        if (user.Enabled === false) return undefined;
        const attributes = Object.create(null) as Record<string, string>;
        for (const { Name: name, Value: value } of user.UserAttributes ?? []) if (name !== undefined) attributes[name] = value ?? "";
        return attributes;
      } catch (error) {
        if (error instanceof Error && error.name === "UserNotFoundException") return undefined;
        throw new CognitoCallFailedError(`AdminGetUser failed (${error instanceof Error ? error.name : "UnknownError"}).`, { cause: error });
      }
    },
  };
}
