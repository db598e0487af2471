/**
 * Factories for what Cognito answers in the suite's flow (README, "How an app signs in"), for
 * the unit tests' mocked SDK client and fake Amplify: each round's public parameters as the
 * triggers build them, plus Cognito's USERNAME, session and errors.
 */
import { NotAuthorizedException, type RespondToAuthChallengeCommandOutput } from "@aws-sdk/client-cognito-identity-provider";
import { type CodeMethod, CUSTOM_CHALLENGE, PUBLIC_PARAMETERS as P, type SignInMethod } from "@cognito-passwordless/protocol";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";

/** The internal username Cognito returns as USERNAME (pools that sign in by email or phone). */
export const INTERNAL_USERNAME = "6f1c3c2e-8d1b-4a55-9c0e-0a1b2c3d4e5f";
export const NOW = Date.parse("2026-12-01T10:00:00.000Z");

export const requestOptions: PublicKeyCredentialRequestOptionsJSON = {
  challenge: "c2lnbi1pbi1jaGFsbGVuZ2U",
  rpId: "example.com",
  timeout: 60_000,
  userVerification: "preferred",
  allowCredentials: [],
};

export const creationOptions: PublicKeyCredentialCreationOptionsJSON = {
  challenge: "cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ",
  rp: { id: "example.com", name: "Example" },
  user: { id: "dXNlci1oYW5kbGU", name: "jane@example.com", displayName: "jane@example.com" },
  pubKeyCredParams: [{ type: "public-key", alg: -7 }],
  authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  excludeCredentials: [],
  attestation: "none",
};

let sessions = 0;
const challenge = (parameters: Record<string, string>): RespondToAuthChallengeCommandOutput => ({
  $metadata: {},
  ChallengeName: CUSTOM_CHALLENGE,
  Session: `session-${++sessions}`,
  ChallengeParameters: { ...parameters, USERNAME: INTERNAL_USERNAME },
});

/** The public parameters of each round (what Amplify puts in additionalInfo, with USERNAME). */
export const roundParameters = {
  selectMethod: (methods: readonly SignInMethod[] = ["PASSKEY", "EMAIL_OTP", "SMS_OTP"]): Record<string, string> => ({
    [P.type]: "SELECT_METHOD",
    [P.methods]: methods.join(","),
    ...(methods.includes("PASSKEY") ? { [P.passkeyOptions]: JSON.stringify(requestOptions) } : {}),
  }),
  code: (method: CodeMethod = "EMAIL_OTP", expiresAt = NOW + 300_000): Record<string, string> => ({
    [P.type]: method,
    [P.destination]: method === "EMAIL_OTP" ? "j***@e***.com" : "+********0123",
    [P.codeLength]: "6",
    [P.expiresAt]: new Date(expiresAt).toISOString(),
  }),
  registration: (): Record<string, string> => ({ [P.type]: "PASSKEY_REGISTRATION", [P.options]: JSON.stringify(creationOptions) }),
};

/** Cognito's replies to InitiateAuth and RespondToAuthChallenge. */
export const reply = {
  selectMethod: (methods?: readonly SignInMethod[]) => challenge(roundParameters.selectMethod(methods)),
  code: (method?: CodeMethod, expiresAt?: number) => challenge(roundParameters.code(method, expiresAt)),
  registration: () => challenge(roundParameters.registration()),
  raw: (parameters: Record<string, string>) => challenge(parameters),
  tokens: ({ withRefreshToken = true } = {}): RespondToAuthChallengeCommandOutput => ({
    $metadata: {},
    ChallengeParameters: {},
    AuthenticationResult: {
      IdToken: "id-token",
      AccessToken: "access-token",
      ...(withRefreshToken ? { RefreshToken: "refresh-token" } : {}),
      ExpiresIn: 3600,
      TokenType: "Bearer",
    },
  }),
};

/** Cognito's NotAuthorizedException with one of its messages, as the SDK raises it. */
export const notAuthorized = (message: string) => new NotAuthorizedException({ message, $metadata: {} });
export const INCORRECT = "Incorrect username or password.";
export const SESSION_EXPIRED = "Invalid session for the user, session is expired.";
export const SESSION_INVALID = "Invalid session for the user.";
