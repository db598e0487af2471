/** One admin write of user attributes: what every attribute the suite maintains goes through. */
import { AdminUpdateUserAttributesCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallFailedError } from "../errors.ts";

/** Writes every attribute given in one call, so they change together or not at all. */
export async function updateUserAttributes(
  client: CognitoIdentityProviderClient,
  target: { userPoolId: string; userName: string },
  attributes: Readonly<Record<string, string>>,
): Promise<void> {
  const names = Object.keys(attributes);
  try {
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: target.userPoolId,
        Username: target.userName,
        UserAttributes: names.map((name) => ({ Name: name, Value: attributes[name] })),
      }),
    );
  } catch (error) {
    throw new CognitoCallFailedError(`AdminUpdateUserAttributes (${names.join(", ")}) failed.`, { cause: error });
  }
}
