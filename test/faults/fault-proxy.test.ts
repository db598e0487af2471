/**
 * The fault proxy itself, checked with the real AWS SDK clients the functions use: each injected
 * fault must reach the SDK as the exception a real service would cause (by name and HTTP status),
 * retries must show up as separate requests, and a held request must still reach the service.
 * The fault suites' conclusions are only as good as this.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { type DynamoServer, startDynamoServer } from "@cognito-passwordless/local/cognito/dynalite-server.ts";
import { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import { type WebServer, startWebServer } from "@cognito-passwordless/local/web/server.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";

const CLIENT = { region: "eu-west-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const EMAIL = new SendEmailCommand({
  Source: "sender@example.com",
  Destination: { ToAddresses: ["someone@example.com"] },
  Message: { Subject: { Data: "Hello" }, Body: { Text: { Data: "Hello there" } } },
});

/** Rejected with the named exception the SDK raised for an answer of this HTTP status. */
async function rejectsAs(call: Promise<unknown>, name: string, httpStatusCode: number) {
  await assert.rejects(call, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name);
    assert.equal(error.$metadata?.httpStatusCode, httpStatusCode);
    return true;
  });
}

describe("the fault proxy, seen through the AWS SDK", () => {
  let dynamo: DynamoServer;
  let web: WebServer;
  let outbox: Outbox;
  let dynamoProxy: FaultProxy;
  let queryProxy: FaultProxy;
  const clients: { destroy(): void }[] = [];
  /** Every client made here is destroyed at the end, so no kept-alive socket outlives the file. */
  const made = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };

  before(async () => {
    dynamo = await startDynamoServer({ host: "127.0.0.1", port: 0 });
    outbox = new Outbox();
    web = await startWebServer({
      host: "127.0.0.1",
      port: 0,
      outbox,
      config: { region: "eu-west-1", userPoolId: "pool", clientId: "client", cognitoEndpoint: "", issuer: "", jwksUri: "", passkeyApiUrl: "" },
    });
    dynamoProxy = await startFaultProxy("dynamodb");
    dynamoProxy.forwardTo(dynamo.endpoint);
    queryProxy = await startFaultProxy("query");
    queryProxy.forwardTo(web.url);
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await dynamoProxy?.close();
    await queryProxy?.close();
    await web?.close();
    await dynamo?.close();
  });

  const dynamoClient = (maxAttempts = 1, requestTimeout?: number) =>
    made(
      new DynamoDBClient({
        ...CLIENT,
        endpoint: dynamoProxy.url,
        maxAttempts,
        ...(requestTimeout === undefined ? {} : { requestHandler: new NodeHttpHandler({ requestTimeout, throwOnRequestTimeout: true }) }),
      }),
    );

  it("passes DynamoDB calls through and records each operation", async () => {
    const before = dynamoProxy.requests.length;
    const listed = await dynamoClient().send(new ListTablesCommand({}));
    assert.ok(Array.isArray(listed.TableNames));
    assert.deepEqual(
      dynamoProxy.requests.slice(before).map((request) => [request.operation, request.fault]),
      [["ListTables", "pass"]],
    );
  });

  it("throttles DynamoDB with ProvisionedThroughputExceededException, and answers 500 with InternalServerError", async () => {
    dynamoProxy.inject({ kind: "throttle" });
    await rejectsAs(dynamoClient().send(new ListTablesCommand({})), "ProvisionedThroughputExceededException", 400);
    dynamoProxy.inject({ kind: "server-error" });
    await rejectsAs(dynamoClient().send(new ListTablesCommand({})), "InternalServerError", 500);
    dynamoProxy.pass();
  });

  it("drops the connection on refuse, and the SDK's retry arrives as a second request", async () => {
    const before = dynamoProxy.requests.length;
    dynamoProxy.inject({ kind: "refuse" });
    await assert.rejects(dynamoClient(2).send(new ListTablesCommand({})));
    dynamoProxy.pass();
    assert.deepEqual(
      dynamoProxy.requests.slice(before).map((request) => request.fault),
      ["refuse", "refuse"],
    );
  });

  it("faults only the operations named, passing the others", async () => {
    dynamoProxy.inject({ kind: "throttle" }, { operations: ["DescribeTable"] });
    const client = dynamoClient();
    await assert.rejects(client.send(new DescribeTableCommand({ TableName: "absent" })), { name: "ProvisionedThroughputExceededException" });
    assert.ok(Array.isArray((await client.send(new ListTablesCommand({}))).TableNames), "ListTables passed");
    dynamoProxy.pass();
  });

  it("holds a request past the client's timeout, and the service still does the work afterwards", async () => {
    dynamoProxy.inject({ kind: "delay", ms: 400 });
    const create = new CreateTableCommand({
      TableName: "held",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    await assert.rejects(dynamoClient(1, 100).send(create), { name: "TimeoutError" });
    dynamoProxy.pass();
    await dynamoProxy.settled();
    const direct = made(new DynamoDBClient({ ...CLIENT, endpoint: dynamo.endpoint }));
    const described = await direct.send(new DescribeTableCommand({ TableName: "held" }));
    assert.equal(described.Table?.TableName, "held");
  });

  it("holds only the first matching request and, in order, serves the SDK's retry after it", async () => {
    const before = dynamoProxy.requests.length;
    dynamoProxy.inject({ kind: "delay", ms: 300 }, { operations: ["CreateTable"], times: 1, inOrder: true });
    const create = new CreateTableCommand({
      TableName: "ordered",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    // The first attempt times out while held, then creates the table; the retry, served after it, finds it there.
    await rejectsAs(dynamoClient(2, 250).send(create), "ResourceInUseException", 400);
    dynamoProxy.pass();
    assert.deepEqual(
      dynamoProxy.requests.slice(before).map((request) => request.fault),
      ["delay", "pass"],
    );
  });

  it("passes SES through to the outbox, and throttles it with the query protocol's Throttling error", async () => {
    const ses = made(new SESClient({ ...CLIENT, endpoint: `${queryProxy.url}/aws/ses`, maxAttempts: 1 }));
    await ses.send(EMAIL);
    assert.equal(outbox.list().at(-1)?.to, "someone@example.com");
    queryProxy.inject({ kind: "throttle" });
    await rejectsAs(ses.send(EMAIL), "Throttling", 400);
    queryProxy.pass();
    assert.equal(queryProxy.requests.at(-1)?.operation, "SendEmail");
  });

  it("fails SNS with HTTP 500 and the query protocol's InternalFailure error", async () => {
    const sns = made(new SNSClient({ ...CLIENT, endpoint: `${queryProxy.url}/aws/sns`, maxAttempts: 1 }));
    const sent = outbox.list().length;
    queryProxy.inject({ kind: "server-error" });
    await rejectsAs(sns.send(new PublishCommand({ PhoneNumber: "+447700900123", Message: "Hello" })), "InternalFailure", 500);
    queryProxy.pass();
    assert.equal(outbox.list().length, sent, "nothing reached the outbox");
    assert.equal(queryProxy.requests.at(-1)?.operation, "Publish");
  });
});
