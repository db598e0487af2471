/** One admin write of one user attribute: what every attribute the suite maintains goes through. */
import { AdminUpdateUserAttributesCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";

export async function updateUserAttribute(
  client: CognitoIdentityProviderClient,
  target: { userPoolId: string; userName: string },
  name: string,
  value: string,
): Promise<void> {
  try {
    await client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: target.userPoolId, Username: target.userName, UserAttributes: [{ Name: name, Value: value }] }),
    );
  } catch (error) {
    throw new CognitoCallFailedError(`AdminUpdateUserAttributes (${name}) failed.`, { cause: error });
  }
}
