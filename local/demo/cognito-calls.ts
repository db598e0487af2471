/**
 * The Cognito calls the demo makes, with the AWS SDK's own client pointed at the local endpoint
 * from /config.json: exactly what an app would write against a real pool. InitiateAuth,
 * RespondToAuthChallenge, SignUp, RevokeToken, GlobalSignOut and GetUser are unauthenticated
 * (the SDK resolves them to "no auth"), so the browser needs no AWS credentials.
 */
import {
  CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CUSTOM_CHALLENGE } from "@cognito-passwordless/protocol";
import type { LocalConfig } from "../web/server.ts";
import { randomPassword } from "./random-password.ts";

/** A round of the custom flow: its `type` and public parameters, and what answering it needs. */
export interface Challenge {
  type: string;
  parameters: Record<string, string>;
  session: string;
  /** Cognito's USERNAME for the answer (the internal one in pools that sign in by email or phone). */
  username: string;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string | undefined;
}

export type SignInStep = { kind: "challenge"; challenge: Challenge } | { kind: "tokens"; tokens: Tokens };

export class DemoCognito {
  readonly #client: CognitoIdentityProviderClient;
  readonly #clientId: string;

  constructor(config: LocalConfig) {
    this.#client = new CognitoIdentityProviderClient({ region: config.region, endpoint: config.cognitoEndpoint, maxAttempts: 1 });
    this.#clientId = config.clientId;
  }

  /** SignUp with the email and/or phone number; PreSignUp confirms the user, nothing is verified yet. */
  async signUp(email: string | undefined, phoneNumber: string | undefined): Promise<{ username: string }> {
    const username = email ?? phoneNumber;
    if (username === undefined) throw new Error("Give an email address, a phone number or both.");
    await this.#client.send(
      new SignUpCommand({
        ClientId: this.#clientId,
        Username: username,
        Password: randomPassword(),
        UserAttributes: [
          ...(email === undefined ? [] : [{ Name: "email", Value: email }]),
          ...(phoneNumber === undefined ? [] : [{ Name: "phone_number", Value: phoneNumber }]),
        ],
      }),
    );
    return { username };
  }

  async startSignIn(username: string): Promise<SignInStep> {
    const output = await this.#client.send(
      new InitiateAuthCommand({ ClientId: this.#clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username } }),
    );
    return step(output, username);
  }

  /** RespondToAuthChallenge; client metadata is how the app states its choice (PROTOCOL, round 1). */
  async answer(challenge: Challenge, answer: string, clientMetadata?: Record<string, string>): Promise<SignInStep> {
    const output = await this.#client.send(
      new RespondToAuthChallengeCommand({
        ClientId: this.#clientId,
        ChallengeName: CUSTOM_CHALLENGE,
        Session: challenge.session,
        ChallengeResponses: { USERNAME: challenge.username, ANSWER: answer },
        ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
      }),
    );
    return step(output, challenge.username);
  }

  /** Revokes the refresh token and the access tokens issued from it. */
  async signOut(tokens: Tokens): Promise<void> {
    if (tokens.refreshToken === undefined) return this.signOutEverywhere(tokens);
    await this.#client.send(new RevokeTokenCommand({ ClientId: this.#clientId, Token: tokens.refreshToken }));
  }

  /** Revokes every refresh token of the user, on every device. */
  async signOutEverywhere(tokens: Tokens): Promise<void> {
    await this.#client.send(new GlobalSignOutCommand({ AccessToken: tokens.accessToken }));
  }

  /** Whether the pool still accepts the access token: after a sign-out it should not. */
  async acceptsAccessToken(accessToken: string): Promise<boolean> {
    try {
      await this.#client.send(new GetUserCommand({ AccessToken: accessToken }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "NotAuthorizedException") return false;
      throw error;
    }
  }
}

function step(output: InitiateAuthCommandOutput, username: string): SignInStep {
  const result = output.AuthenticationResult;
  if (result?.IdToken !== undefined && result.AccessToken !== undefined) {
    return { kind: "tokens", tokens: { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken } };
  }
  const parameters = output.ChallengeParameters ?? {};
  if (output.ChallengeName !== CUSTOM_CHALLENGE || output.Session === undefined || parameters.type === undefined) {
    throw new Error(`Cognito answered with ${output.ChallengeName ?? "no challenge"} and no tokens: this demo expects the suite's custom rounds.`);
  }
  return {
    kind: "challenge",
    challenge: { type: parameters.type, parameters, session: output.Session, username: parameters.USERNAME ?? username },
  };
}
