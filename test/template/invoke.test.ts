/**
 * `npm run invoke -- <LogicalId> <event.json>`: runs a built function with its template
 * environment, like `sam local invoke` without Docker.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildFixture, REPO_ROOT, type BuiltFixture } from "./fixture-build.ts";

let fixture: BuiltFixture;
let eventPath: string;

function invoke(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "scripts", "invoke.ts"), ...args, "--template", fixture.templatePath],
    { encoding: "utf8", cwd: REPO_ROOT, env: { ...process.env, AWS_REGION: "eu-west-1" } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

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
    assert.match(unknown.stderr, /NoSuchFunction is not a function in .*template\.yaml\. Functions: EchoFunction, FailingFunction, SlowFunction, NotBuiltFunction\./);

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
