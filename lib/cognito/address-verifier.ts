/**
 * Marks an email address or phone number verified once a code sent to it was entered: the only
 * way an address becomes verified in this suite (PreSignUp never auto-verifies).
 */
import { AdminUpdateUserAttributesCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";

export type VerifiedFlag = "email_verified" | "phone_number_verified";

export interface AddressVerifier {
  markVerified(userPoolId: string, userName: string, flag: VerifiedFlag): Promise<void>;
}

export function createCognitoAddressVerifier(client: CognitoIdentityProviderClient): AddressVerifier {
  return {
    async markVerified(userPoolId, userName, flag) {
      try {
        await client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: userPoolId,
            Username: userName,
            UserAttributes: [{ Name: flag, Value: "true" }],
          }),
        );
      } catch (error) {
        throw new CognitoCallFailedError(`AdminUpdateUserAttributes (${flag}) failed.`, { cause: error });
      }
    },
  };
}
