/**
 * Writes the user's `custom:passkeys` attribute (lib/passkey/public-key-cache.ts) when a passkey is
 * enrolled. Enrolment is rare, so this admin call stays far below Cognito's quota for user
 * updates; sign-ins never call it.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { PUBLIC_KEY_ATTRIBUTE } from "../passkey/public-key-cache.ts";
import { updateUserAttributes } from "./update-user-attribute.ts";

export interface PublicKeyAttributeWriter {
  write(userPoolId: string, userName: string, value: string): Promise<void>;
}

export function createCognitoPublicKeyAttributeWriter(client: CognitoIdentityProviderClient): PublicKeyAttributeWriter {
  return {
    write: (userPoolId, userName, value) => updateUserAttributes(client, { userPoolId, userName }, { [PUBLIC_KEY_ATTRIBUTE]: value }),
  };
}
