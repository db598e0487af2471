/**
 * The two changes a code makes to an address on the account (lib/ownership/address-use.ts):
 * - marks it verified once its owner proved it: the only way an address becomes verified in this
 *   suite (PreSignUp never auto-verifies). The address the code went to is written with its flag
 *   in one call: a change of the address between the code and this write (the signed-in user may
 *   update their own email) cannot leave the flag on an address nobody proved;
 * - releases it from an account that never proved it, once the person holding it proved it in a
 *   claim round: Cognito keeps sign-in addresses unique, so the owner can then sign up with it.
 */
import { AdminDeleteUserAttributesCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";
import { type AddressAttribute, VERIFIED_FLAG } from "../ownership/account-facts.ts";
import { updateUserAttributes } from "./update-user-attribute.ts";

export interface AddressVerifier {
  markVerified(userPoolId: string, userName: string, attribute: AddressAttribute, address: string): Promise<void>;
  release(userPoolId: string, userName: string, attribute: AddressAttribute): Promise<void>;
}

export function createCognitoAddressVerifier(client: CognitoIdentityProviderClient): AddressVerifier {
  return {
    markVerified: (userPoolId, userName, attribute, address) =>
      updateUserAttributes(client, { userPoolId, userName }, { [attribute]: address, [VERIFIED_FLAG[attribute]]: "true" }),
    async release(userPoolId, userName, attribute) {
      try {
        // Deleting the address deletes its flag with it.
        await client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: userName, UserAttributeNames: [attribute] }));
      } catch (error) {
        throw new CognitoCallFailedError(`AdminDeleteUserAttributes (${attribute}) failed.`, { cause: error });
      }
    },
  };
}
