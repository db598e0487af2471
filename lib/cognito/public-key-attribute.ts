/**
 * Writes the user's `custom:passkeys` attribute (lib/passkey/public-key-cache.ts) when a passkey is
 * enrolled. Enrolment is rare, so this admin call stays far below Cognito's quota for user
 * updates; sign-ins never call it.
 */
import { AdminUpdateUserAttributesCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";
import { PUBLIC_KEY_ATTRIBUTE } from "../passkey/public-key-cache.ts";

export interface PublicKeyAttributeWriter {
  write(userPoolId: string, userName: string, value: string): Promise<void>;
}

export function createCognitoPublicKeyAttributeWriter(client: CognitoIdentityProviderClient): PublicKeyAttributeWriter {
  return {
    async write(userPoolId, userName, value) {
      try {
        await client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: userPoolId,
            Username: userName,
            UserAttributes: [{ Name: PUBLIC_KEY_ATTRIBUTE, Value: value }],
          }),
        );
      } catch (error) {
        throw new CognitoCallFailedError(`AdminUpdateUserAttributes (${PUBLIC_KEY_ATTRIBUTE}) failed.`, { cause: error });
      }
    },
  };
}
