/**
 * The local stack for end-to-end tests: every server on 127.0.0.1 with an ephemeral port, so test
 * files can run side by side; plus the two things every such test needs, a real Cognito SDK
 * client aimed at the local endpoint and verifiers for the tokens it issues.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { JwtRsaVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "@cognito-passwordless/local/stack.ts";
import type { LocalConfig } from "@cognito-passwordless/local/web/server.ts";

export type { LocalStack } from "@cognito-passwordless/local/stack.ts";

export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ host: "127.0.0.1", cognitoPort: 0, dynamoPort: 0, webPort: 0, idpPort: 0, passkeyApiPort: 0, ...options });
}

/** The real SDK client, pointed at the local endpoint the way an app's configuration would. */
export function cognitoClient(config: LocalConfig): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.cognitoEndpoint,
    // Admin calls are SigV4-signed; the local endpoint accepts any signature.
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

/**
 * Verifiers for the local pool's ID and access tokens, with aws-jwt-verify.
 * CognitoJwtVerifier derives the issuer from the pool id (https://cognito-idp.<region>.amazonaws.com/<pool>)
 * and fetches keys over HTTPS only, so the local pool's tokens are verified with JwtRsaVerifier
 * (issuer and jwksUri from /config.json), a JWKS cache that fetches over plain HTTP, and
 * aws-jwt-verify's own Cognito checks (token_use, client_id / aud) as the custom check.
 */
export function tokenVerifiers(config: Pick<LocalConfig, "issuer" | "jwksUri" | "clientId">) {
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async (uri: string) => {
        const response = await fetch(uri);
        if (!response.ok) throw new Error(`GET ${uri} answered ${response.status}.`);
        return response.arrayBuffer();
      },
    },
  });
  const verifierFor = (tokenUse: "id" | "access") =>
    JwtRsaVerifier.create(
      {
        issuer: config.issuer,
        jwksUri: config.jwksUri,
        // ID tokens carry `aud`; access tokens carry `client_id`, which the Cognito check below compares.
        audience: tokenUse === "id" ? config.clientId : null,
        customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId: config.clientId, groups: null }),
      },
      { jwksCache },
    );
  return { id: verifierFor("id"), access: verifierFor("access") };
}
