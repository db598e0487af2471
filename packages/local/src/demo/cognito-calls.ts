/**
 * The Cognito calls the demo makes besides signing in, with the AWS SDK's own client pointed at
 * the local endpoint from /config.json: SignUp, RevokeToken, GlobalSignOut and GetUser, exactly
 * what an app would write against a real pool. Sign-in itself is @cognito-passwordless/client on
 * the same SDK client (main.ts). All of these are unauthenticated (the SDK resolves them to
 * "no auth"), so the browser needs no AWS credentials.
 */
import {
  CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LocalConfig } from "../web/server.ts";
import { randomPassword } from "./random-password.ts";

/** What the page holds once signed in: the passwordless client's tokens, or the hosted UI's (federated-sign-in.ts). */
export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
}

/** The one SDK client the page uses, for sign-in (through the passwordless client) and the calls below. */
export function cognitoClient(config: LocalConfig): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: config.region, endpoint: config.cognitoEndpoint, maxAttempts: 1 });
}

export class DemoCognito {
  constructor(
    readonly client: CognitoIdentityProviderClient,
    readonly clientId: string,
  ) {}

  /** SignUp with the email and/or phone number; PreSignUp confirms the user, nothing is verified yet. */
  async signUp(email: string | undefined, phoneNumber: string | undefined): Promise<{ username: string }> {
    const username = email ?? phoneNumber;
    if (username === undefined) throw new Error("Give an email address, a phone number or both.");
    await this.client.send(
      new SignUpCommand({
        ClientId: this.clientId,
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

  /** Revokes the refresh token and the access tokens issued from it. */
  async signOut(tokens: Tokens): Promise<void> {
    if (tokens.refreshToken === undefined) return this.signOutEverywhere(tokens);
    await this.client.send(new RevokeTokenCommand({ ClientId: this.clientId, Token: tokens.refreshToken }));
  }

  /** Revokes every refresh token of the user, on every device. */
  async signOutEverywhere(tokens: Tokens): Promise<void> {
    await this.client.send(new GlobalSignOutCommand({ AccessToken: tokens.accessToken }));
  }

  /** Whether the pool still accepts the access token: after a sign-out it should not. */
  async acceptsAccessToken(accessToken: string): Promise<boolean> {
    try {
      await this.client.send(new GetUserCommand({ AccessToken: accessToken }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "NotAuthorizedException") return false;
      throw error;
    }
  }
}
