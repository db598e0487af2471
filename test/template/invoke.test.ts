/**
 * `npm run invoke -- <LogicalId> <event.json>`: runs a built function with its template
 * environment, like `sam local invoke` without Docker, and with no AWS account: against the local
 * stack when it runs, else against a table, an outbox and a user pool stand-in of its own.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import { buildFixture, REPO_ROOT, runBuild, type BuiltFixture } from "./fixture-build.ts";

let fixture: BuiltFixture;
let eventPath: string;

/** A port nothing listens on (it was free a moment ago): where invoke looks for a local stack that is not running. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The local stack's port variables, each at a port where nothing listens: invoke finds no stack running, whatever runs on this machine. */
let noStack: Record<string, string> = {};

function invoke(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "scripts", "invoke.ts"), ...args, "--template", fixture.templatePath], {
    encoding: "utf8",
    cwd: REPO_ROOT,
    env: { ...process.env, ...noStack, AWS_REGION: "eu-west-1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** invoke as a child process that does not block the test process (the local stack answers from it). */
function invokeAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "scripts", "invoke.ts"), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_REGION: "eu-west-1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  noStack = { WEB_PORT: String(await closedPort()), DYNAMODB_PORT: String(await closedPort()), COGNITO_PORT: String(await closedPort()) };
});

describe("npm run invoke", () => {
  before(() => {
    fixture = buildFixture();
    eventPath = join(fixture.dir, "event.json");
    writeFileSync(eventPath, JSON.stringify({ version: "1", triggerSource: "DefineAuthChallenge_Authentication", request: {}, response: {} }));
  });
  after(() => fixture.remove());

  it("prints the event the handler returned, run with the function's template environment", () => {
    const { status, stdout, stderr } = invoke("EchoFunction", eventPath);
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), {
      version: "1",
      triggerSource: "DefineAuthChallenge_Authentication",
      request: {},
      response: {
        greeting: "hello",
        tableName: "passwordless",
        codeLength: "6",
        lineEnding: JSON.stringify("\n"),
        sdkBundled: true,
        functionName: "EchoFunction",
        hasTimeLeft: true,
      },
    });
    assert.match(stderr, /EchoFunction answered in \d+ ms/);
    assert.match(stderr, /"message":"echo answered"/, "the function's log lines go to stderr, leaving stdout to the answer");
  });

  it("lets --env replace a variable and --param override a template parameter", () => {
    const { status, stdout, stderr } = invoke("EchoFunction", eventPath, "--env", "TABLE_NAME=my-table", "--param", "Greeting=hi", "--param", "CodeLength=8");
    assert.equal(status, 0, stderr);
    const { response } = JSON.parse(stdout) as { response: Record<string, unknown> };
    assert.equal(response["tableName"], "my-table");
    assert.equal(response["greeting"], "hi");
    assert.equal(response["codeLength"], "8");
  });

  it("exits non-zero with the handler's error when the handler throws", () => {
    const { status, stdout, stderr } = invoke("FailingFunction", eventPath);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /invoke failed: Error: the store is unavailable/);
  });

  it("fails a function that does not answer within its Timeout, as Cognito would", () => {
    const { status, stdout, stderr } = invoke("SlowFunction", eventPath);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /SlowFunction did not answer within its 1 s Timeout/);
  });

  it("exits non-zero with a clear message for an unknown function, an unbuilt one, a bad event or bad arguments", () => {
    const unknown = invoke("NoSuchFunction", eventPath);
    assert.equal(unknown.status, 1);
    assert.match(
      unknown.stderr,
      /NoSuchFunction is not a function in .*template\.yaml\. Functions: EchoFunction, FailingFunction, SlowFunction, NotBuiltFunction\./,
    );

    const unbuilt = invoke("NotBuiltFunction", eventPath);
    assert.equal(unbuilt.status, 1);
    assert.match(unbuilt.stderr, /dist\/never-built\/app\.mjs does not exist: run `npm run build` first/);

    const noEvent = invoke("EchoFunction", join(fixture.dir, "missing.json"));
    assert.equal(noEvent.status, 1);
    assert.match(noEvent.stderr, /Cannot read the event .*missing\.json/);

    const badParameter = invoke("EchoFunction", eventPath, "--param", "CodeLength=4");
    assert.equal(badParameter.status, 1);
    assert.match(badParameter.stderr, /Parameter CodeLength is "4": it should be at least 6/);

    const noArguments = invoke();
    assert.equal(noArguments.status, 1);
    assert.match(noArguments.stderr, /Usage: npm run invoke -- <LogicalId> <event\.json>/);
  });
});

/** The function of template.yaml each trigger source goes to. */
const FUNCTION_OF_SOURCE: Array<[RegExp, string]> = [
  [/^DefineAuthChallenge_/, "DefineAuthChallengeFunction"],
  [/^CreateAuthChallenge_/, "CreateAuthChallengeFunction"],
  [/^VerifyAuthChallengeResponse_/, "VerifyAuthChallengeResponseFunction"],
  [/^PreSignUp_/, "PreSignUpFunction"],
  [/^TokenGeneration_/, "PreTokenGenerationFunction"],
];

const EVENTS = join(REPO_ROOT, "events");
const SAMPLES = readdirSync(EVENTS)
  .filter((name) => name.endsWith(".json"))
  .sort();

/** API Gateway's samples (payload 2.0) name a route instead of a trigger source: the passkey API's. */
const PASSKEYS_API = "PasskeysApiFunction";

function functionOf(file: string): string {
  const { triggerSource, routeKey } = JSON.parse(readFileSync(join(EVENTS, file), "utf8")) as { triggerSource?: string; routeKey?: string };
  if (typeof routeKey === "string") return PASSKEYS_API;
  const logicalId = FUNCTION_OF_SOURCE.find(([pattern]) => pattern.test(triggerSource ?? ""))?.[1];
  assert.ok(logicalId, `a function for ${triggerSource}`);
  return logicalId;
}

/** The status each passkey API sample answers with (test/unit/events.test.ts checks the rest). */
const API_STATUS: Record<string, number> = {
  "passkeys-api-list.json": 200,
  "passkeys-api-list-with-id-token.json": 401,
  "passkeys-api-rename-unknown-passkey.json": 404,
  "passkeys-api-registration-options-after-old-sign-in.json": 403,
};

/** What a sample must have had sent or asked of Cognito, beyond answering without an error. */
const SIDE_EFFECTS: Record<string, RegExp> = {
  "create-email-code.json":
    /Messages sent \(1\):\n {2}email to jane\.doe@example\.com, "Your sign-in code":\n {4}Your sign-in code[^\n]*\n[\s\S]*?\n {4}\d{6}\n/,
  "create-sms-code.json": /Messages sent \(1\):\n {2}sms to \+447700900123:\n {4}\d{6} is your sign-in code/,
  "create-email-code-retry.json": /Messages sent: none\./,
  "create-user-not-found.json": /Messages sent: none\./,
  "verify-email-code-correct.json": /Cognito admin calls \(1\):\n {2}AdminUpdateUserAttributes .*"Name":"email_verified","Value":"true"/,
  "verify-sms-code-correct.json": /Cognito admin calls \(1\):\n {2}AdminUpdateUserAttributes .*"Name":"phone_number_verified","Value":"true"/,
};

// The real functions, built into a folder beside a copy of template.yaml (a build elsewhere may replace dist/ meanwhile).
const built = mkdtempSync(join(tmpdir(), "passwordless-invoke-samples-"));
const templatePath = join(built, "template.yaml");
before(() => {
  copyFileSync(join(REPO_ROOT, "template.yaml"), templatePath);
  runBuild(["--outdir", join(built, "dist")]);
});
after(() => rmSync(built, { recursive: true, force: true }));

describe("npm run invoke on the sample events, with no local stack running and no AWS credentials", { concurrency: 6 }, () => {
  const credentialless = {
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_PROFILE: "",
    AWS_SHARED_CREDENTIALS_FILE: join(built, "none"),
    AWS_CONFIG_FILE: join(built, "none"),
  };

  it("has a sample for each function", () => {
    assert.deepEqual([...new Set(SAMPLES.map(functionOf))].sort(), [...FUNCTION_OF_SOURCE.map(([, logicalId]) => logicalId), PASSKEYS_API].sort());
  });

  for (const file of SAMPLES) {
    it(`${file} runs offline through its function without an error`, async () => {
      const logicalId = functionOf(file);
      const { status, stdout, stderr } = await invokeAsync([logicalId, join(EVENTS, file), "--template", templatePath], { ...noStack, ...credentialless });
      assert.equal(status, 0, stderr);
      if (logicalId === PASSKEYS_API) {
        const answer = JSON.parse(stdout) as { statusCode: number; headers: Record<string, string> };
        assert.equal(answer.statusCode, API_STATUS[file], `${file}: an expected status`);
        assert.equal(answer.headers["content-type"], "application/json");
      } else {
        const sample = JSON.parse(readFileSync(join(EVENTS, file), "utf8")) as { triggerSource: string; userName: string };
        const answer = JSON.parse(stdout) as { triggerSource: string; userName: string; response: unknown };
        assert.equal(answer.triggerSource, sample.triggerSource);
        assert.equal(answer.userName, sample.userName);
      }
      assert.match(
        stderr,
        new RegExp(`${logicalId} runs against in-process services, stopped after the call: dynalite http://127\\.0\\.0\\.1:\\d+ \\(table passwordless\\)`),
      );
      assert.match(stderr, new RegExp(`${logicalId} answered in \\d+ ms`));
      assert.match(stderr, /Messages sent/);
      const errors = stderr.split("\n").filter((line) => line.startsWith("{") && (JSON.parse(line) as { level?: string }).level === "ERROR");
      assert.deepEqual(errors, [], "no ERROR log line");
      const expected = SIDE_EFFECTS[file];
      if (expected !== undefined) assert.match(stderr, expected);
    });
  }
});

describe("npm run invoke while the local stack is running", () => {
  let stack: LocalStack;
  let stackEnv: Record<string, string>;

  before(async () => {
    const { startLocalStack } = await import("@cognito-passwordless/local/stack.ts");
    stack = await startLocalStack({ cognitoPort: 0, dynamoPort: 0, webPort: 0, idpPort: 0, passkeyApiPort: 0 });
    stackEnv = { WEB_PORT: new URL(stack.webUrl).port, DYNAMODB_PORT: new URL(stack.dynamoEndpoint).port };
  });
  after(() => stack?.stop());

  const createEmailCode = ["CreateAuthChallengeFunction", join(EVENTS, "create-email-code.json"), "--template", templatePath];

  it("uses its table and its outbox, where the message lands as a sign-in's would", async () => {
    const before = stack.outbox.list().length;
    const { status, stderr } = await invokeAsync(createEmailCode, stackEnv);
    assert.equal(status, 0, stderr);
    assert.match(stderr, new RegExp(`runs against the local stack: DynamoDB ${stack.dynamoEndpoint} \\(table ${stack.tableName}\\)`));
    const sent = stack.outbox.list().slice(before);
    assert.deepEqual(
      sent.map((message) => [message.channel, message.to]),
      [["email", "jane.doe@example.com"]],
    );
    assert.match(stderr, /Messages sent \(1\):\n {2}email to jane\.doe@example\.com/);
    const client = new DynamoDBClient({ region: "eu-west-1", endpoint: stack.dynamoEndpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    try {
      const { Items = [] } = await client.send(new ScanCommand({ TableName: stack.tableName }));
      assert.ok(
        Items.some((item) => item["pk"]?.S?.startsWith("CODES#email#")),
        "the send was counted in the stack's table",
      );
    } finally {
      client.destroy();
    }
  });

  it("keeps to its own services with --offline", async () => {
    const before = stack.outbox.list().length;
    const { status, stderr } = await invokeAsync([...createEmailCode, "--offline"], stackEnv);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /runs against in-process services/);
    assert.equal(stack.outbox.list().length, before, "nothing in the stack's outbox");
  });
});
