import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTableInput, defaultTableName } from "@cognito-passwordless/test-kit/create-tables.ts";
import { readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import type { CfnResource } from "@cognito-passwordless/test-kit/read-template.ts";

describe("tables from the template", () => {
  test("the table of template.yaml is created with its keys, its index and on-demand billing", () => {
    const table = readTemplate().Resources["Table"];
    assert.ok(table);

    const input = createTableInput("Table", table, "local-table");

    assert.deepEqual(input, {
      TableName: "local-table",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "gsi1pk", AttributeType: "S" },
        { AttributeName: "gsi1sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "gsi1",
          KeySchema: [
            { AttributeName: "gsi1pk", KeyType: "HASH" },
            { AttributeName: "gsi1sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    });
  });

  test("settings only a managed table has (TTL, recovery, encryption) are not part of the request", () => {
    const table = readTemplate().Resources["Table"];
    assert.ok(table);

    const input: Record<string, unknown> = { ...createTableInput("Table", table, "local-table") };

    for (const managedOnly of ["TimeToLiveSpecification", "PointInTimeRecoverySpecification", "SSESpecification"]) {
      assert.equal(input[managedOnly], undefined);
    }
  });

  test("a table without key schema fails with the resource's name", () => {
    const broken: CfnResource = { Type: "AWS::DynamoDB::Table", Properties: { AttributeDefinitions: [] } };

    assert.throws(() => createTableInput("Broken", broken, "x"), /Broken needs AttributeDefinitions and KeySchema/);
  });

  test("a literal TableName is kept; a computed one falls back to the logical id", () => {
    assert.equal(defaultTableName("Table", { Type: "AWS::DynamoDB::Table", Properties: { TableName: "fixed" } }), "fixed");
    assert.equal(defaultTableName("Table", { Type: "AWS::DynamoDB::Table", Properties: { TableName: { "Fn::Sub": "${AWS::StackName}-t" } } }), "Table");
  });
});
