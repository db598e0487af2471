/**
 * A counting HTTP proxy between the functions and the local Cognito-compatible endpoint: every
 * request passes through unchanged and is counted by its X-Amz-Target operation
 * (AWSCognitoIdentityProviderService.AdminGetUser → AdminGetUser). The functions are pointed at it
 * through AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER in startLocalStack's functionEnv, as the
 * DynamoDB counter is (bench/dynamo-counter.ts): packages/local needs no hook.
 */
import { Agent, type IncomingMessage, type Server, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface CognitoCounter {
  /** Where the functions should send their Cognito requests. */
  readonly endpoint: string;
  /** Sets the endpoint requests are passed on to: known only once the local stack has started. */
  forwardTo(endpoint: string): void;
  /** Requests by operation since the counter started. */
  counts(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

export async function startCognitoCounter(host = "127.0.0.1"): Promise<CognitoCounter> {
  let target: URL | undefined;
  const operations: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      if (target === undefined) throw new Error("The Cognito counter has nowhere to forward to yet.");
      const operation = String(incoming.headers["x-amz-target"] ?? "").split(".")[1] ?? "unknown";
      const body = await readBody(incoming);
      const headers = { ...incoming.headers, host: target.host, "content-length": String(body.length) };
      delete headers["transfer-encoding"];
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const upstream = request(new URL(incoming.url ?? "/", target), { method: incoming.method, headers, agent }, resolve);
        upstream.on("error", reject);
        upstream.end(body);
      });
      const responseBody = await readBody(answer);
      operations[operation] = (operations[operation] ?? 0) + 1;
      const responseHeaders = { ...answer.headers, "content-length": String(responseBody.length) };
      delete responseHeaders["transfer-encoding"];
      outgoing.writeHead(answer.statusCode ?? 500, responseHeaders);
      outgoing.end(responseBody);
    } catch (error) {
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(error instanceof Error ? error.message : String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    forwardTo(endpoint) {
      target = new URL(endpoint);
    },
    counts: () => ({ ...operations }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        agent.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
