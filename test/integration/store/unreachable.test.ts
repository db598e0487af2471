import { after, test } from "node:test";
import assert from "node:assert/strict";
import { type AddressInfo, type Socket, createServer } from "node:net";
import { StoreUnavailableError } from "../../../lib/errors.ts";
import { createDynamoCodeSendStore } from "../../../lib/store/code-sends.ts";
import { createDocumentClient } from "../../../lib/store/dynamo-document-client.ts";
import { createDynamoSignInRecordStore } from "../../../lib/store/sign-in-records.ts";
import { AUTH_LEVEL } from "@cognito-passwordless/protocol";
import { useDummyAwsEnvironment } from "../../support/dynamo.ts";

/** A loopback port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("an unreachable DynamoDB fails with StoreUnavailableError well inside a trigger's 5 seconds", async () => {
  // Prepare: this file runs in its own process, so pointing the SDK elsewhere affects no other test.
  useDummyAwsEnvironment();
  process.env["AWS_ENDPOINT_URL_DYNAMODB"] = `http://127.0.0.1:${await closedPort()}`;
  const client = createDocumentClient({ timeoutMs: 500, maxAttempts: 2 });
  const codes = createDynamoCodeSendStore({
    client,
    tableName: "unreachable",
    limits: { windowSeconds: 3600, perUser: 5, perDestination: 10, codeTtlSeconds: 300 },
  });
  const records = createDynamoSignInRecordStore({ client, tableName: "unreachable" });
  const now = Date.now();

  // Act and assess
  for (const call of [
    () =>
      codes.reserve({
        roundKey: "r",
        userName: "u",
        channel: "email",
        destination: "jane@example.com",
        code: { codeId: "c", codeHash: "h", expiresAt: now + 300_000 },
        now,
      }),
    () => records.save({ userName: "u", clientId: "c", methods: ["email_otp"], level: AUTH_LEVEL.code, verifiedAt: now }),
    () => records.findRecent("u", "c", now),
  ]) {
    const started = Date.now();
    await assert.rejects(call(), StoreUnavailableError);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  }
  client.destroy();
});

// The test's own timeout makes a regression fail in seconds instead of hanging the run: without
// throwOnRequestTimeout, @smithy/node-http-handler only logs a warning when requestTimeout passes.
test("a DynamoDB that accepts connections but never answers fails with StoreUnavailableError within the call timeouts", { timeout: 4000 }, async () => {
  // Prepare: a loopback server that holds every connection open and says nothing.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  useDummyAwsEnvironment();
  process.env["AWS_ENDPOINT_URL_DYNAMODB"] = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const client = createDocumentClient({ timeoutMs: 500, maxAttempts: 2 });
  const records = createDynamoSignInRecordStore({ client, tableName: "silent" });

  // Act
  const started = Date.now();
  await assert.rejects(records.findRecent("u", "c", started), StoreUnavailableError);

  // Assess: two attempts of 500 ms each, plus the SDK's short back-off between them.
  const took = Date.now() - started;
  assert.ok(took >= 900 && took < 3000, `took ${took} ms`);
  client.destroy();
});
