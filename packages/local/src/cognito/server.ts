/**
 * The local Cognito user pool endpoint: AWS JSON 1.1 over HTTP (`POST /`,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, errors as HTTP 400
 * `{ "__type", "message" }`), CORS like Cognito's so a web page can call it directly, and the
 * pool's keys at `/<userPoolId>/.well-known/jwks.json`. The admin operations are the exception:
 * Cognito requires SigV4 for them, which this endpoint cannot check (it has no IAM), so a browser
 * may call them only from the demo page's own origins (`useAdminOrigins`; see `PUBLIC_OPERATIONS`).
 * The token issuer is `<endpoint>/<userPoolId>`, mirroring `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`.
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
import { adminDeleteUser, adminDeleteUserAttributes, adminGetUser, adminLinkProviderForUser, adminUpdateUserAttributes, listUsers } from "./user-operations.ts";
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

/**
 * The operations Cognito serves to anyone, with no AWS credentials (the SDK signs them with "no
 * auth"): what an app calls from the browser, so they answer any origin, as Cognito does. Every
 * other operation here (every Admin* and ListUsers) needs SigV4 on a real pool: a page on another
 * site can never make such a call, and since this endpoint accepts any signature, it instead
 * refuses them from a browser unless the page is the demo's own (see `handle`). An operation
 * added to OPERATIONS is admin-only until it is listed here.
 */
const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set([
  "SignUp",
  "InitiateAuth",
  "RespondToAuthChallenge",
  "GetTokensFromRefreshToken",
  "GetUser",
  "RevokeToken",
  "GlobalSignOut",
  "GetUserAttributeVerificationCode",
  "VerifyUserAttribute",
]);

/**
 * The CORS headers of an answer readable from `allowOrigin`: "*" (any origin, Cognito's own answer)
 * or one origin (an admin operation, to the demo page); none when null (not to be read there).
 * The SDKs send x-amz-* and amz-sdk-* headers, Amplify also cache-control.
 */
function corsHeaders(request: IncomingMessage, allowOrigin: string | null = "*"): Record<string, string> {
  // An answer for one origin, or for none, must not be reused by a cache for another.
  if (allowOrigin === null) return { vary: "origin" };
  return {
    "access-control-allow-origin": allowOrigin,
    ...(allowOrigin === "*" ? {} : { vary: "origin" }),
    "access-control-allow-methods": "POST, GET, OPTIONS",
    "access-control-allow-headers":
      request.headers["access-control-request-headers"] ??
      "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control",
    "access-control-expose-headers": "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date",
    "access-control-max-age": "86400",
  };
}

function send(
  response: ServerResponse,
  request: IncomingMessage,
  status: number,
  body: unknown,
  contentType = "application/x-amz-json-1.1",
  cors: Record<string, string> = corsHeaders(request),
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...cors,
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
  /** Browser origins allowed to call the admin operations (the demo page's); none by default (see useAdminOrigins). */
  readonly adminOrigins?: readonly string[] | undefined;
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
  /**
   * The only browser origins that may call the admin operations (Admin*, ListUsers): the demo
   * page's (the stack passes the web server's origins once it listens). A browser request for one
   * of them from any other origin is refused with 403 AccessDeniedException before it runs.
   * Requests without an Origin header (the SDK from Node, the triggers) are not from a browser and
   * are always served.
   */
  useAdminOrigins(origins: readonly string[]): void;
  close(): Promise<void>;
}

export async function startCognitoServer(options: CognitoServerOptions): Promise<CognitoServer> {
  const { pool } = options;
  const now = options.now ?? Date.now;
  const file = (name: string) => (options.dataDir === undefined ? undefined : join(options.dataDir, name));
  let url = "";
  let invoker = new TriggerInvoker({});
  let federation = options.federation ?? NO_FEDERATION;
  let adminOrigins: readonly string[] = options.adminOrigins ?? [];
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
    // A preflight names no operation (X-Amz-Target is only in its Access-Control-Request-Headers),
    // so it is answered for any origin, as Cognito does, or no page could call InitiateAuth. The
    // admin operations are refused on the POST that follows, which carries Origin and the target.
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
      send(
        response,
        request,
        200,
        { issuer: issuer(), jwks_uri: `${issuer()}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ["RS256"] },
        "application/json",
      );
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
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    // Own properties only: "constructor" or "toString" are not operations.
    const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
    // Public operations (and unknown ones, which run nothing) answer any origin; admin ones only
    // the demo page's origin, and no origin at all when the request carries none.
    const origin = request.headers.origin;
    const adminOnly = operation !== undefined && !PUBLIC_OPERATIONS.has(name);
    const cors = corsHeaders(request, !adminOnly ? "*" : origin !== undefined && adminOrigins.includes(origin) ? origin : null);
    try {
      const body = await readBody(request);
      if (operation === undefined) throw new CognitoError("UnknownOperationException", `Unknown operation ${target}.`);
      // A browser sends Origin with every cross-origin POST (and X-Amz-Target forces a CORS one),
      // so a page from another site asking for an admin operation is told no before it runs.
      if (adminOnly && origin !== undefined && !adminOrigins.includes(origin)) {
        throw new CognitoError(
          "AccessDeniedException",
          `${name} needs AWS credentials (SigV4): the local endpoint takes it from the demo page's origin or from a client outside the browser, not from a page at ${origin}.`,
          403,
        );
      }
      const context: RequestContext = {
        services,
        callerContext: {
          awsSdkVersion: sdkVersionFrom(String(request.headers["x-amz-user-agent"] ?? request.headers["user-agent"] ?? "")),
          clientId: pool.clientId,
        },
      };
      send(response, request, 200, await operation(parseBody(body), context), undefined, cors);
    } catch (error) {
      if (error instanceof CognitoError) {
        send(response, request, error.status, { __type: error.type, message: error.message }, undefined, cors);
        return;
      }
      console.error(`[cognito] ${target} failed:`, error);
      send(response, request, 500, { __type: "InternalErrorException", message: "Internal error." }, undefined, cors);
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
    useAdminOrigins(next: readonly string[]) {
      adminOrigins = [...next];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await invoker.close();
    },
  };
}
