/**
 * The sign-in's Cognito calls on the AWS SDK v3: InitiateAuth with CUSTOM_AUTH, then
 * RespondToAuthChallenge on the session each answer returns. Both are unauthenticated calls, so
 * a browser needs no AWS credentials.
 */
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CUSTOM_CHALLENGE } from "@cognito-passwordless/protocol";
import { UnexpectedResponseError } from "./errors.ts";
import type { SignInTransport, Step } from "./transport.ts";

export function cognitoSdkTransport(cognito: CognitoIdentityProviderClient, clientId: string): SignInTransport {
  const stepOf = (output: InitiateAuthCommandOutput, username: string): Step => {
    const result = output.AuthenticationResult;
    if (result !== undefined) {
      if (result.IdToken === undefined || result.AccessToken === undefined)
        throw new UnexpectedResponseError("Cognito issued tokens without an ID or access token.");
      return {
        kind: "signed-in",
        tokens: {
          idToken: result.IdToken,
          accessToken: result.AccessToken,
          ...(result.RefreshToken === undefined ? {} : { refreshToken: result.RefreshToken }),
          expiresIn: result.ExpiresIn ?? 0,
        },
      };
    }
    const { ChallengeName, Session, ChallengeParameters: parameters = {} } = output;
    if (ChallengeName !== CUSTOM_CHALLENGE || Session === undefined) {
      throw new UnexpectedResponseError(
        `Cognito answered with ${ChallengeName ?? "no challenge"} and no tokens: the app client must run the suite's CUSTOM_AUTH triggers.`,
      );
    }
    // Cognito's USERNAME is the internal one (a UUID in pools that sign in by email or phone).
    const challengeUsername = parameters["USERNAME"] ?? username;
    return {
      kind: "challenge",
      parameters,
      respond: async (answer, clientMetadata) =>
        stepOf(
          await cognito.send(
            new RespondToAuthChallengeCommand({
              ClientId: clientId,
              ChallengeName: CUSTOM_CHALLENGE,
              Session,
              ChallengeResponses: { USERNAME: challengeUsername, ANSWER: answer },
              ...(clientMetadata === undefined ? {} : { ClientMetadata: { ...clientMetadata } }),
            }),
          ),
          challengeUsername,
        ),
    };
  };

  return {
    async start(username) {
      const output = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username } }));
      return stepOf(output, username);
    },
  };
}
