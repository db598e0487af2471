/**
 * One AWS SDK client of each kind per process and call settings (documentClientFor, sesClientFor,
 * snsClientFor): in the combined function Create, Verify and PreTokenGeneration ask for the same
 * DynamoDB client, so they share its sockets and its first call's setup.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { readAwsCallConfig } from "../../../lib/config.ts";
import { sesClientFor } from "../../../lib/send/email-sender.ts";
import { snsClientFor } from "../../../lib/send/sms-sender.ts";
import { documentClientFor } from "../../../lib/store/dynamo-document-client.ts";

describe("AWS SDK clients shared within a process", () => {
  it("every caller with the same call settings gets the same client of each kind", () => {
    // Two triggers reading the same environment, as in the combined function.
    const first = readAwsCallConfig({});
    const second = readAwsCallConfig({});
    assert.equal(documentClientFor(first), documentClientFor(second));
    assert.equal(sesClientFor(first), sesClientFor(second));
    assert.equal(snsClientFor(first), snsClientFor(second));
  });

  it("other timeouts or attempts get a client of their own, so no caller runs with another's settings", () => {
    const usual = readAwsCallConfig({});
    const patient = readAwsCallConfig({ AWS_CALL_TIMEOUT_MS: "2000" });
    const once = readAwsCallConfig({ AWS_CALL_MAX_ATTEMPTS: "1" });
    assert.notEqual(documentClientFor(usual), documentClientFor(patient));
    assert.notEqual(documentClientFor(usual), documentClientFor(once));
    assert.notEqual(sesClientFor(usual), sesClientFor(patient));
    assert.notEqual(snsClientFor(usual), snsClientFor(once));
  });

  it("a shared client is still mocked by aws-sdk-client-mock, which patches the class", async () => {
    const client = documentClientFor(readAwsCallConfig({}));
    const dynamo = mockClient(DynamoDBDocumentClient);
    try {
      dynamo.on(GetCommand).resolves({ Item: { pk: "SIGNIN#someone" } });
      const answer = await client.send(new GetCommand({ TableName: "t", Key: { pk: "SIGNIN#someone", sk: "SIGNIN" } }));
      assert.deepEqual(answer.Item, { pk: "SIGNIN#someone" });
    } finally {
      dynamo.restore();
    }
  });
});
