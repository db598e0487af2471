/**
 * The operator's command (scripts/passkeys.ts) against the local stack, run as an operator would
 * run it: a child process with the SDK's own configuration aimed at the stack's endpoints and
 * dummy credentials. `list` shows an enrolled passkey, `revoke --id` removes it, and the very next
 * passkey sign-in by it is refused by Cognito while an emailed code still signs in.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type SignInWorld, startAttackWorld } from "../support/attack-stack.ts";
import { authenticatorFor, enrolPasskey, requestOptionsOf } from "../support/attack-passkeys.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

describe("the operator's passkeys command against the local stack", () => {
  let world: SignInWorld;

  before(async () => {
    world = await startAttackWorld();
  });
  after(() => world?.stop());

  /** Runs the command; resolves with its exit code and output, whatever the code. */
  async function passkeys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { stack } = world;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env["PATH"],
      AWS_REGION: stack.config.region,
      AWS_ACCESS_KEY_ID: "operator",
      AWS_SECRET_ACCESS_KEY: "operator",
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: stack.cognitoEndpoint,
      AWS_ENDPOINT_URL_SES: `${stack.webUrl}/aws/ses`,
      AWS_ENDPOINT_URL_SNS: `${stack.webUrl}/aws/sns`,
      EMAIL_FROM: "no-reply@example.com",
      APP_NAME: "Example App",
      TABLE_NAME: stack.tableName,
      USER_POOL_ID: stack.config.userPoolId,
    };
    try {
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", join(ROOT, "scripts/passkeys.ts"), ...args], { cwd: ROOT, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  async function passkeySignIn(email: string, authenticator: ReturnType<typeof authenticatorFor>) {
    const started = await world.driver.start(email);
    return world.driver.answer(started, email, JSON.stringify(authenticator.authenticate(requestOptionsOf(started))), { signInMethod: "PASSKEY" });
  }

  it("lists the passkey, revokes it by id, and the next passkey sign-in is refused while an email code still signs in", async () => {
    const email = world.newEmail("operator");
    const userName = await world.driver.signUp(email);
    const authenticator = authenticatorFor(world.stack);
    await enrolPasskey(world.driver, email, authenticator);
    assert.ok((await passkeySignIn(email, authenticator)).AuthenticationResult?.IdToken, "the passkey signs in before");

    const listed = await passkeys("list", "--user", email);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`User ${userName}: 1 passkey`));
    assert.ok(listed.stdout.includes(authenticator.credentialId), "list shows the passkey's id");

    const revoked = await passkeys("revoke", "--user", email, "--id", authenticator.credentialId);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.ok(revoked.stdout.includes(`Revoked passkey ${authenticator.credentialId} of user ${userName}.`));

    await assert.rejects(passkeySignIn(email, authenticator), (error: Error) => error.name === "NotAuthorizedException");
    const round = await world.driver.codeRound(email, "EMAIL_OTP");
    const done = await world.driver.answer(round, email, world.driver.latestCode(email));
    assert.ok(done.AuthenticationResult?.IdToken, "an email code still signs in");

    assert.ok(
      world.driver.messagesTo(email).some((message) => /passkey was removed/.test(JSON.stringify(message))),
      "the owner is told of the removal",
    );
    const after = await passkeys("list", "--user", userName);
    assert.match(after.stdout, /: 0 passkeys/);
    const notices = world.driver.messagesTo(email).length;
    const again = await passkeys("revoke", "--user", email, "--id", authenticator.credentialId);
    assert.equal(again.code, 0, "revoking again is the same answer");
    assert.equal(world.driver.messagesTo(email).length, notices, "and tells the owner nothing twice");
    const unknownId = await passkeys("revoke", "--user", email, "--id", "bm8tc3VjaC1wYXNza2V5");
    assert.equal(unknownId.code, 1);
    assert.match(unknownId.stderr, /has no passkey bm8tc3VjaC1wYXNza2V5/);
  });

  it("says so, and fails, for an unknown user or a bad command", async () => {
    const unknown = await passkeys("list", "--user", "nobody@example.com");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No user "nobody@example\.com"/);

    const usage = await passkeys("revoke", "--user", "someone@example.com");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /revoke takes --id <credentialId> or --all/);
  });
});
