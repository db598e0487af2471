/** Small steps the fidelity tests repeat: sign up a confirmed user, start a sign-in, answer a round. */
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";

export async function signUp(client: CognitoIdentityProviderClient, clientId: string, email: string): Promise<string> {
  const result = await client.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: "Unused-Passw0rd!xyz" }));
  return result.UserSub!;
}

export function startSignIn(client: CognitoIdentityProviderClient, clientId: string, username: string, clientMetadata?: Record<string, string>) {
  return client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: { USERNAME: username },
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

export function answer(
  client: CognitoIdentityProviderClient,
  clientId: string,
  session: string | undefined,
  username: string,
  value: string,
  clientMetadata?: Record<string, string>,
) {
  return client.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: username, ANSWER: value },
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

/** The payload of a JWT, unverified: for reading claims in assertions. */
export function claimsOf(token: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(token).split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}
