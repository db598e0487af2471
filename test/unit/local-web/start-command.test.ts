import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { browserUrl, readStartRequest } from "@cognito-passwordless/local/start.ts";

const START = resolve(import.meta.dirname, "../../../packages/local/src/start.ts");

function runStart(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", START, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
}

describe("npm start's command line", () => {
  it("uses ports 9229, 8000 and 3000 on 127.0.0.1 and keeps data in memory by default", () => {
    assert.deepEqual(readStartRequest([], {}), {
      help: false,
      options: { host: "127.0.0.1", cognitoPort: 9229, dynamoPort: 8000, webPort: 3000, passkeyApiPort: 9231 },
    });
  });

  it("takes ports from COGNITO_PORT, DYNAMODB_PORT, WEB_PORT and PASSKEY_API_PORT, and a data folder from --data", () => {
    const request = readStartRequest(["--data", "my-data"], { COGNITO_PORT: "19229", DYNAMODB_PORT: "18000", WEB_PORT: "0", PASSKEY_API_PORT: "19231" });
    assert.deepEqual(request, {
      help: false,
      options: { host: "127.0.0.1", cognitoPort: 19229, dynamoPort: 18000, webPort: 0, passkeyApiPort: 19231, dataDir: resolve("my-data") },
    });
    assert.deepEqual(readStartRequest(["--data=other"], {}), readStartRequest(["--data", "other"], {}));
  });

  it("names a port variable that is not a port", () => {
    assert.deepEqual(readStartRequest([], { DYNAMODB_PORT: "80000" }), {
      error: 'DYNAMODB_PORT is "80000": it should be a port number from 1 to 65535 (or 0 for any free port).',
    });
  });

  it("refuses an option it does not know, and --data without a folder", () => {
    assert.match((readStartRequest(["--verbose"], {}) as { error: string }).error, /Unknown option '--verbose'/);
    assert.ok("error" in readStartRequest(["--data"], {}));
  });

  it("takes template parameters from --parameter NAME=VALUE, as many as given, a value with = kept whole", () => {
    const request = readStartRequest(["--parameter", "TriggerLayout=Combined", "--parameter=CallbackUrls=https://app.example/?a=b"], {});
    assert.ok("options" in request);
    assert.deepEqual(request.options.templateParameters, { TriggerLayout: "Combined", CallbackUrls: "https://app.example/?a=b" });
    assert.equal("templateParameters" in (readStartRequest([], {}) as { options: object }).options, false, "none given: the local defaults alone");
  });

  it("refuses a --parameter that is not NAME=VALUE", () => {
    assert.deepEqual(readStartRequest(["--parameter", "TriggerLayout"], {}), {
      error: '--parameter "TriggerLayout" should be NAME=VALUE, such as --parameter TriggerLayout=Combined',
    });
    assert.ok("error" in readStartRequest(["--parameter", "=Combined"], {}));
  });

  it("shows localhost rather than 127.0.0.1 for the browser", () => {
    assert.equal(browserUrl("http://127.0.0.1:3000"), "http://localhost:3000");
    assert.equal(browserUrl("http://127.0.0.10:3000"), "http://127.0.0.10:3000");
  });

  it("--help prints the usage, the port variables and exits 0 without starting anything", () => {
    const result = runStart(["--help"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Usage: npm start/);
    assert.match(result.stdout, /--data DIR/);
    assert.match(result.stdout, /COGNITO_PORT.*9229/);
    assert.match(result.stdout, /WEB_PORT.*3000/);
    assert.match(result.stdout, /PASSKEY_API_PORT.*9231/);
  });

  it("a bad argument prints why and the usage, and exits 2", () => {
    const result = runStart([], { WEB_PORT: "web" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /WEB_PORT is "web"/);
    assert.match(result.stderr, /Usage: npm start/);
  });
});

describe("npm start, run as a program", { timeout: 90_000 }, () => {
  it("starts the stack, prints where everything is, serves the demo, and stops cleanly on Ctrl-C with exit code 0", async () => {
    // Prepare: free ports, so the test never collides with a running npm start.
    const child = spawn(process.execPath, ["--import", "tsx", START], {
      env: { ...process.env, COGNITO_PORT: "0", DYNAMODB_PORT: "0", WEB_PORT: "0", IDP_PORT: "0", PASSKEY_API_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, "exit");
    try {
      // Act: wait for the banner.
      const deadline = Date.now() + 60_000;
      while (!stdout.includes("Press Ctrl-C to stop.")) {
        if (child.exitCode !== null || Date.now() > deadline) assert.fail(`npm start did not come up.\n${stdout}\n${stderr}`);
        await new Promise((done) => setTimeout(done, 100));
      }
      // Assess: the addresses, ids and how to sign in are printed, and the printed address works.
      const demo = /Demo page\s+(http:\/\/localhost:\d+)/.exec(stdout)?.[1];
      assert.ok(demo, stdout);
      assert.match(stdout, /Cognito endpoint\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.match(stdout, /DynamoDB endpoint\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.match(stdout, /Passkey API\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.match(stdout, /User pool id\s+\S+_\S+/);
      assert.match(stdout, /App client id\s+\S+/);
      assert.match(stdout, /Region\s+[a-z]+-[a-z]+-\d/);
      assert.match(stdout, /To sign in, open http:\/\/localhost:\d+/);
      const config = (await (await fetch(`${demo.replace("localhost", "127.0.0.1")}/config.json`)).json()) as { userPoolId: string };
      assert.ok(stdout.includes(config.userPoolId));

      child.kill("SIGINT");
      const [code] = await exited;
      assert.equal(code, 0, stderr);
      assert.match(stdout, /SIGINT: stopping the local stack…\nStopped\./);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
