/**
 * Marks an email address or phone number verified once a code sent to it was entered: the only
 * way an address becomes verified in this suite (PreSignUp never auto-verifies).
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { updateUserAttribute } from "./update-user-attribute.ts";

export type VerifiedFlag = "email_verified" | "phone_number_verified";

export interface AddressVerifier {
  markVerified(userPoolId: string, userName: string, flag: VerifiedFlag): Promise<void>;
}

export function createCognitoAddressVerifier(client: CognitoIdentityProviderClient): AddressVerifier {
  return {
    markVerified: (userPoolId, userName, flag) => updateUserAttribute(client, { userPoolId, userName }, flag, "true"),
  };
}
