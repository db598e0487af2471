/**
 * A small HTTP proxy to put between the trigger functions and one AWS-compatible service of the
 * local stack (dynalite, or the outbox's SES and SNS receivers), so a test can make that service
 * misbehave on cue: pass requests through, hold them, drop the connection, or answer with the
 * service's own 500 or throttling error in its own wire format, which the real SDK parses into
 * the exception a deployed function would see.
 *
 * The functions read their endpoints once, at cold start, from AWS_ENDPOINT_URL_*: so the proxy
 * starts first, its URL goes into the stack's `functionEnv`, and the service it fronts is named
 * afterwards with `forwardTo` (the stack picks its ports when it starts).
 *
 * Every request is recorded with the operation it asked for and what the proxy did with it, so
 * a test can count the attempts a function made: the AWS SDK's retries show up here one by one.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the service speaks, which decides how an operation is named and how an error is written:
 * - "dynamodb": AWS JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`, errors as `{ "__type", "message" }`;
 * - "query": the AWS query protocol of SES (v1) and SNS, `Action=<Operation>` in a form body, errors as XML.
 */
export type WireProtocol = "dynamodb" | "query";

export type Fault =
  /** Forward the request and relay the answer. */
  | { readonly kind: "pass" }
  /** Hold the request this long, then forward it anyway: a slow service still does the work. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Drop the connection without an answer, as a stopped or crashing server does. */
  | { readonly kind: "refuse" }
  /** HTTP 500 with the service's internal-failure error. */
  | { readonly kind: "server-error" }
  /** The service's throttling error: DynamoDB's ProvisionedThroughputExceededException, SES's and SNS's Throttling. */
  | { readonly kind: "throttle" };

export interface ProxiedRequest {
  /** The AWS operation asked for (`UpdateItem`, `SendEmail`, `Publish`), or "" when none could be read. */
  readonly operation: string;
  readonly path: string;
  /** What the proxy did with it. */
  readonly fault: Fault["kind"];
  /** Epoch milliseconds at arrival. */
  readonly at: number;
}

export interface InjectOptions {
  /** Only requests for these operations; the others pass. */
  readonly operations?: readonly string[];
  /** Only the next this-many matching requests; later ones pass (a blip rather than an outage). */
  readonly times?: number;
  /**
   * Matching requests are served one after the other, in the order they arrived, as a server
   * working through one queue: a retry that arrives while an earlier attempt is held waits
   * behind it, so the earlier attempt always reaches the service first.
   */
  readonly inOrder?: boolean;
}

export interface FaultProxy {
  /** The proxy's own address: give it to the functions as their endpoint. */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly ProxiedRequest[];
  /** Names the service to forward to (an origin such as http://127.0.0.1:8000); paths are kept. */
  forwardTo(target: string): void;
  /** From now on, answer requests with `fault`, as narrowed by `options`. A request keeps the fault it arrived under. */
  inject(fault: Fault, options?: InjectOptions): void;
  /** Back to passing everything through. */
  pass(): void;
  /** Resolves once no request is held or in flight (a delayed request has reached the service). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Error documents as each service writes them; the SDK raises an exception named after the type or code. */
const DYNAMODB_ERRORS = {
  "server-error": {
    status: 500,
    type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
    message: "Internal server error (injected by the fault proxy).",
  },
  throttle: {
    status: 400,
    type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    message: "The level of configured provisioned throughput for the table was exceeded (injected by the fault proxy).",
  },
} as const;

const QUERY_ERRORS = {
  // The query protocol's "Receiver" errors are the service's fault; "Sender" ones the caller's.
  "server-error": {
    status: 500,
    type: "Receiver",
    code: "InternalFailure",
    message: "The service failed to process the request (injected by the fault proxy).",
  },
  // SES answers a sending-rate breach with Throttling (Amazon SES developer guide, "Errors related to
  // the sending quotas"), and SNS its API rate limit the same way ("Rate exceeded").
  throttle: { status: 400, type: "Sender", code: "Throttling", message: "Rate exceeded (injected by the fault proxy)." },
} as const;

function operationOf(protocol: WireProtocol, request: IncomingMessage, body: Buffer): string {
  if (protocol === "dynamodb") {
    const target = request.headers["x-amz-target"];
    return typeof target === "string" ? (target.split(".").pop() ?? "") : "";
  }
  return new URLSearchParams(body.toString("utf8")).get("Action") ?? "";
}

function answerWithError(protocol: WireProtocol, kind: "server-error" | "throttle", response: ServerResponse): void {
  const requestId = randomUUID();
  if (protocol === "dynamodb") {
    const error = DYNAMODB_ERRORS[kind];
    response.writeHead(error.status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": requestId });
    response.end(JSON.stringify({ __type: error.type, message: error.message }));
    return;
  }
  const error = QUERY_ERRORS[kind];
  response.writeHead(error.status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
  response.end(
    `<ErrorResponse><Error><Type>${error.type}</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export async function startFaultProxy(protocol: WireProtocol): Promise<FaultProxy> {
  let target: URL | undefined;
  const PASS: Fault = { kind: "pass" };
  let rule: { fault: Fault; options: InjectOptions; remaining: number } = { fault: PASS, options: {}, remaining: Infinity };
  /** The tail of the in-order queue: resolves once every matching request so far has been served. */
  let queue: Promise<void> = Promise.resolve();
  const requests: ProxiedRequest[] = [];
  const inFlight = new Set<Promise<void>>();

  function forward(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      if (target === undefined) {
        response.writeHead(502).end("The fault proxy has no service to forward to yet.");
        resolve();
        return;
      }
      const upstream = httpRequest(
        new URL(request.url ?? "/", target),
        { method: request.method, headers: { ...request.headers, host: target.host } },
        (answer) => {
          // The client may have given up already (a delayed request): the service still did the work.
          if (!response.destroyed) response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.on("data", (chunk: Buffer) => {
            if (!response.destroyed) response.write(chunk);
          });
          answer.on("end", () => {
            if (!response.destroyed) response.end();
            resolve();
          });
        },
      );
      upstream.on("error", () => {
        response.destroy();
        resolve();
      });
      upstream.end(body);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const operation = operationOf(protocol, request, body);
    const matches = rule.options.operations === undefined || rule.options.operations.includes(operation);
    const fault: Fault = matches && rule.remaining > 0 ? rule.fault : PASS;
    if (matches && rule.remaining > 0) rule.remaining -= 1;
    requests.push({ operation, path: request.url ?? "/", fault: fault.kind, at: Date.now() });
    if (matches && rule.options.inOrder === true) {
      const earlier = queue;
      const served = earlier.then(() => serve(fault, request, body, response));
      queue = served.catch(() => {});
      return served;
    }
    return serve(fault, request, body, response);
  }

  async function serve(fault: Fault, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    switch (fault.kind) {
      case "pass":
        return forward(request, body, response);
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return forward(request, body, response);
      case "refuse":
        request.socket.destroy();
        return;
      case "server-error":
      case "throttle":
        answerWithError(protocol, fault.kind, response);
        return;
    }
  }

  const server: Server = createServer((request, response) => {
    const work = handle(request, response).catch(() => {
      response.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forwardTo(origin) {
      target = new URL(origin);
    },
    inject(fault, options = {}) {
      rule = { fault, options, remaining: options.times ?? Infinity };
    },
    pass() {
      rule = { fault: PASS, options: {}, remaining: Infinity };
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
