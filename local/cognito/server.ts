/**
 * The local Cognito user pool endpoint: AWS JSON 1.1 over HTTP (`POST /`,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, errors as HTTP 400
 * `{ "__type", "message" }`), CORS like Cognito's so a web page can call it directly, and the
 * pool's keys at `/<userPoolId>/.well-known/jwks.json`. The token issuer is
 * `<endpoint>/<userPoolId>`, mirroring `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`.
 * The hosted UI's federated sign-in (/oauth2/authorize, /oauth2/idpresponse, /oauth2/token) is
 * served from the same port (hosted-ui/).
 * Real SDK clients reach it through their `endpoint` option or AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
 * Amplify through `Auth.Cognito.userPoolEndpoint`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { getUserAttributeVerificationCode, verifyUserAttribute } from "./attribute-verification.ts";
import { getTokensFromRefreshToken, initiateAuth, respondToAuthChallenge } from "./auth-operations.ts";
import { AuthSessions } from "./auth-sessions.ts";
import { CognitoError } from "./errors.ts";
import { type FederationConfig, NO_FEDERATION } from "./federation-config.ts";
import { HostedUi } from "./hosted-ui/hosted-ui.ts";
import type { PoolConfig } from "./pool-config.ts";
import type { PoolMessage, PoolServices, RequestContext } from "./pool-services.ts";
import { type Input, parseBody } from "./request-input.ts";
import { adminCreateUser, signUp } from "./sign-up-operations.ts";
import { SigningKey } from "./signing-key.ts";
import { TokenService } from "./token-service.ts";
import { getUser, globalSignOut, revokeToken } from "./token-operations.ts";
import { sdkVersionFrom } from "./trigger-events.ts";
import { TriggerInvoker } from "./trigger-invoker.ts";
import { UserDirectory } from "./user-directory.ts";
import {
  adminDeleteUser,
  adminDeleteUserAttributes,
  adminGetUser,
  adminLinkProviderForUser,
  adminUpdateUserAttributes,
  listUsers,
} from "./user-operations.ts";
import { VerificationCodes } from "./verification-codes.ts";

type Operation = (input: Input, context: RequestContext) => Promise<unknown>;

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";

const OPERATIONS: Readonly<Record<string, Operation>> = {
  SignUp: signUp,
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUser: getUser,
  RevokeToken: revokeToken,
  GlobalSignOut: globalSignOut,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  AdminGetUser: adminGetUser,
  ListUsers: listUsers,
  AdminCreateUser: adminCreateUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminDeleteUser: adminDeleteUser,
  AdminLinkProviderForUser: adminLinkProviderForUser,
};

/** Cognito answers any origin; the SDKs send x-amz-* and amz-sdk-* headers, Amplify also cache-control. */
function corsHeaders(request: IncomingMessage): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "POST, GET, OPTIONS",
    "access-control-allow-headers":
      request.headers["access-control-request-headers"] ??
      "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control",
    "access-control-expose-headers": "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date",
    "access-control-max-age": "86400",
  };
}

function send(response: ServerResponse, request: IncomingMessage, status: number, body: unknown, contentType = "application/x-amz-json-1.1"): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...corsHeaders(request),
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface CognitoServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly pool: PoolConfig;
  /** Keeps users.json, signing-key.json and tokens.json here; in memory only without it. */
  readonly dataDir?: string | undefined;
  /** The clock of sessions, tokens and verification codes; tests move it to expire them. */
  readonly now?: (() => number) | undefined;
  /** Where the pool's own messages (AdminCreateUser invitations, attribute verification codes) go. */
  readonly deliver?: ((message: PoolMessage) => void) | undefined;
  /** Identity providers and the client's OAuth settings; none by default (see useFederation). */
  readonly federation?: FederationConfig | undefined;
}

export interface CognitoServer {
  readonly url: string;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly pool: PoolConfig;
  readonly users: UserDirectory;
  /** Installs the trigger functions (the stack does so once the servers they call are up). */
  useTriggers(invoker: TriggerInvoker): void;
  /**
   * Installs the identity providers and the client's OAuth settings (the stack does so once the IdP
   * and the demo page, which they name, are up).
   */
  useFederation(federation: FederationConfig): void;
  close(): Promise<void>;
}

export async function startCognitoServer(options: CognitoServerOptions): Promise<CognitoServer> {
  const { pool } = options;
  const now = options.now ?? Date.now;
  const file = (name: string) => (options.dataDir === undefined ? undefined : join(options.dataDir, name));
  let url = "";
  let invoker = new TriggerInvoker({});
  let federation = options.federation ?? NO_FEDERATION;
  const users = new UserDirectory(pool.usernameAttributes, file("users.json"));
  const key = SigningKey.load(file("signing-key.json"));
  const issuer = () => `${url}/${pool.userPoolId}`;
  const services: PoolServices = {
    pool,
    users,
    sessions: new AuthSessions(pool.authSessionValidityMinutes, now),
    tokens: new TokenService({ pool, key, issuer, users, triggers: () => invoker, now, file: file("tokens.json") }),
    triggers: () => invoker,
    federation: () => federation,
    now,
    standInSecret: randomBytes(32),
    deliver: options.deliver ?? (() => {}),
    verificationCodes: new VerificationCodes(now),
  };

  const hostedUi = new HostedUi(services, () => url);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === "OPTIONS") {
      response.writeHead(200, { ...corsHeaders(request), "content-length": 0 });
      response.end();
      return;
    }
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && path === `/${pool.userPoolId}/.well-known/jwks.json`) {
      send(response, request, 200, key.jwks(), "application/json");
      return;
    }
    if (request.method === "GET" && path === `/${pool.userPoolId}/.well-known/openid-configuration`) {
      send(response, request, 200, { issuer: issuer(), jwks_uri: `${issuer()}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ["RS256"] }, "application/json");
      return;
    }
    if (path?.startsWith("/oauth2/") === true) {
      try {
        if (await hostedUi.handle(request, response, corsHeaders(request))) return;
      } catch (error) {
        console.error(`[cognito] ${request.method} ${path} failed:`, error);
        if (!response.headersSent) send(response, request, 500, { error: "server_error" }, "application/json");
        return;
      }
    }
    if (request.method !== "POST" || path !== "/") {
      send(response, request, 404, { __type: "UnknownOperationException", message: `Nothing at ${request.method} ${path}.` });
      return;
    }
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(TARGET_PREFIX) ? OPERATIONS[target.slice(TARGET_PREFIX.length)] : undefined;
    try {
      const body = await readBody(request);
      if (operation === undefined) throw new CognitoError("UnknownOperationException", `Unknown operation ${target}.`);
      const context: RequestContext = {
        services,
        callerContext: { awsSdkVersion: sdkVersionFrom(String(request.headers["x-amz-user-agent"] ?? request.headers["user-agent"] ?? "")), clientId: pool.clientId },
      };
      send(response, request, 200, await operation(parseBody(body), context));
    } catch (error) {
      if (error instanceof CognitoError) {
        send(response, request, error.status, { __type: error.type, message: error.message });
        return;
      }
      console.error(`[cognito] ${target} failed:`, error);
      send(response, request, 500, { __type: "InternalErrorException", message: "Internal error." });
    }
  };

  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${options.host}:${address.port}`;

  return {
    url,
    issuer: issuer(),
    jwksUri: `${issuer()}/.well-known/jwks.json`,
    pool,
    users,
    useTriggers(next: TriggerInvoker) {
      invoker = next;
    },
    useFederation(next: FederationConfig) {
      federation = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await invoker.close();
    },
  };
}
