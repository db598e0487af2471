/**
 * What `npm run invoke` points a function's SES, SNS and Cognito calls at when no local stack is
 * running: one HTTP server in the invoking process, reached through the standard
 * AWS_ENDPOINT_URL_* variables (lib/ has no local code path).
 * - `/aws/ses` and `/aws/sns`: the local stack's own SES and SNS receivers (packages/local/src/outbox/), which
 *   put every message into an outbox;
 * - `/` with `X-Amz-Target: AWSCognitoIdentityProviderService.*`: a stand-in for the user pool's
 *   admin API. Offline there is no pool, so it answers the calls the triggers make as a pool that
 *   holds nobody and accepts every change would, and keeps each call so invoke can show it.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { QueryReply } from "@cognito-passwordless/local/outbox/query-protocol.ts";
import { answerSesRequest } from "@cognito-passwordless/local/outbox/ses-query.ts";
import { answerSnsRequest } from "@cognito-passwordless/local/outbox/sns-query.ts";

export interface CognitoCall {
  readonly operation: string;
  readonly input: unknown;
}

export interface OfflineReceivers {
  /** Where the server listens, e.g. http://127.0.0.1:54321 (no trailing slash). */
  readonly url: string;
  readonly outbox: Outbox;
  /** Every Cognito admin call, in order. */
  readonly cognitoCalls: readonly CognitoCall[];
  close(): Promise<void>;
}

const COGNITO_TARGET = "AWSCognitoIdentityProviderService.";

const QUERY_RECEIVERS: Readonly<Record<string, (body: string) => QueryReply>> = {
  "/aws/ses": answerSesRequest,
  "/aws/sns": answerSnsRequest,
};

/**
 * The answers of a pool with nobody in it that takes every change: the operations lib/cognito/
 * and lib/linking/ call. Anything else is refused, as Cognito refuses what it does not know.
 */
const COGNITO_ANSWERS: Readonly<Record<string, (input: Record<string, unknown>) => unknown>> = {
  AdminUpdateUserAttributes: () => ({}),
  AdminDeleteUserAttributes: () => ({}),
  AdminLinkProviderForUser: () => ({}),
  AdminDeleteUser: () => ({}),
  ListUsers: () => ({ Users: [] }),
  AdminCreateUser: (input) => ({
    User: {
      Username: randomUUID(),
      Attributes: input["UserAttributes"] ?? [],
      Enabled: true,
      UserStatus: "FORCE_CHANGE_PASSWORD",
      UserCreateDate: Math.floor(Date.now() / 1000),
      UserLastModifiedDate: Math.floor(Date.now() / 1000),
    },
  }),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
  response.end(JSON.stringify(body));
}

export async function startOfflineReceivers(options: { host?: string } = {}): Promise<OfflineReceivers> {
  const outbox = new Outbox();
  const cognitoCalls: CognitoCall[] = [];

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const target = request.headers["x-amz-target"];
    if (typeof target === "string" && target.startsWith(COGNITO_TARGET)) {
      const operation = target.slice(COGNITO_TARGET.length);
      const input = (body === "" ? {} : JSON.parse(body)) as Record<string, unknown>;
      cognitoCalls.push({ operation, input });
      const answer = COGNITO_ANSWERS[operation];
      if (answer === undefined) {
        sendJson(response, 400, { __type: "UnsupportedOperationException", message: `invoke's offline user pool does not answer ${operation}.` });
        return;
      }
      sendJson(response, 200, answer(input));
      return;
    }
    // The SDK appends "/" to an endpoint that has a path: AWS_ENDPOINT_URL_SES=…/aws/ses posts to /aws/ses/.
    const path = new URL(request.url ?? "/", "http://localhost").pathname.replace(/\/$/, "");
    const receiver = QUERY_RECEIVERS[path];
    if (receiver === undefined || request.method !== "POST") {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end(`Nothing at ${request.method ?? "GET"} ${path}: this server takes SES, SNS and Cognito calls from the AWS SDK.`);
      return;
    }
    const reply = receiver(body);
    for (const message of reply.messages) outbox.add(message);
    response.writeHead(reply.status, { "content-type": "text/xml", "x-amzn-requestid": reply.requestId });
    response.end(reply.xml);
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { __type: "InternalErrorException", message: String(error) });
      else response.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    outbox,
    cognitoCalls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
