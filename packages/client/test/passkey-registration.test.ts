/**
 * The optional PASSKEY_REGISTRATION round on the AWS SDK (mocked): register sends the
 * RegistrationResponseJSON with ClientMetadata { userAgent }, SKIP declines, and a registration
 * the pool refused comes back as the same round until tokens are issued.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { PasskeyCancelledError, PasskeyFailedError, type PasskeyRegistrationRound, type SignInOutcome, createPasswordlessClient } from "../src/index.ts";
import { INTERNAL_USERNAME, NOW, creationOptions, reply } from "./support/cognito-replies.ts";
import { browserError, fakeWebAuthn, registration } from "./support/fake-webauthn.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
const responses = () => cognito.commandCalls(RespondToAuthChallengeCommand).map((call) => call.args[0].input);

function registrationRound(outcome: SignInOutcome): PasskeyRegistrationRound {
  assert.equal(outcome.kind, "passkey-registration");
  return outcome as PasskeyRegistrationRound;
}

/** A code sign-in that asked for enrolment; later replies are queued by each test after these two. */
async function enrolmentAfterCode(...later: Parameters<typeof cognito.resolvesOnce>[0][]) {
  const registrationReply = reply.registration();
  let replies = cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.code()).resolvesOnce(registrationReply);
  for (const next of later) replies = replies.resolvesOnce(next);
  cognito.on(InitiateAuthCommand).resolves(reply.selectMethod());
  const webauthn = fakeWebAuthn();
  const client = createPasswordlessClient({
    cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
    clientId: "app-client",
    clock: () => NOW,
    webauthn,
  });
  const codeRound = await (await client.signIn("jane@example.com")).chooseCode("EMAIL_OTP");
  const round = registrationRound(await codeRound.answer("123456", { registerPasskey: true }));
  return { round, webauthn, session: registrationReply.Session };
}

describe("the PASSKEY_REGISTRATION round", () => {
  beforeEach(() => cognito.reset());

  it("carries the creation options, first offer", async () => {
    const { round } = await enrolmentAfterCode();
    assert.equal(round.attempt, 1);
    assert.deepEqual(round.options, creationOptions);
  });

  it("creates the passkey from the options and sends it with ClientMetadata { userAgent }", async () => {
    const { round, webauthn, session } = await enrolmentAfterCode(reply.tokens());
    const done = await round.register({ userAgent: "Mozilla/5.0 (Macintosh) Safari/605" });
    assert.equal(done.kind, "signed-in");
    assert.deepEqual(webauthn.creations, [creationOptions]);
    assert.deepEqual(responses()[2], {
      ClientId: "app-client",
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: INTERNAL_USERNAME, ANSWER: JSON.stringify(registration) },
      ClientMetadata: { userAgent: "Mozilla/5.0 (Macintosh) Safari/605" },
    });
  });

  it("sends no userAgent outside a browser when none is given", async () => {
    const { round } = await enrolmentAfterCode(reply.tokens());
    await round.register();
    assert.equal("ClientMetadata" in (responses()[2] ?? {}), false);
  });

  it("declines with SKIP, no ClientMetadata, and is signed in", async () => {
    const { round, session } = await enrolmentAfterCode(reply.tokens());
    const done = await round.skip();
    assert.equal(done.kind, "signed-in");
    assert.deepEqual(responses()[2], {
      ClientId: "app-client",
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: INTERNAL_USERNAME, ANSWER: "SKIP" },
    });
  });

  it("offers the round again after a registration the pool refused, then signs in", async () => {
    const { round } = await enrolmentAfterCode(reply.registration(), reply.tokens());
    const again = registrationRound(await round.register({ userAgent: "UA" }));
    assert.equal(again.attempt, 2);
    const done = await again.register({ userAgent: "UA" });
    assert.equal(done.kind, "signed-in");
    assert.equal(responses().length, 4);
  });

  it("leaves the round answerable when the person cancels the prompt, and SKIP still works", async () => {
    const { round, webauthn } = await enrolmentAfterCode(reply.tokens());
    webauthn.failures.push(browserError("NotAllowedError"));
    await assert.rejects(round.register(), (error: unknown) => error instanceof PasskeyCancelledError && error.ceremony === "registration");
    assert.equal(responses().length, 2, "nothing was sent");
    assert.equal((await round.skip()).kind, "signed-in");
  });

  it("names an authenticator that already holds a passkey for this account", async () => {
    const { round, webauthn } = await enrolmentAfterCode();
    webauthn.failures.push(
      Object.assign(new Error("The authenticator was previously registered"), {
        code: "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED",
        cause: browserError("InvalidStateError"),
      }),
    );
    await assert.rejects(
      round.register(),
      (error: unknown) => error instanceof PasskeyFailedError && error.reason === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED",
    );
  });

  it("sends the userAgent given to signInWithPasskey with the registration that follows", async () => {
    cognito.on(InitiateAuthCommand).resolves(reply.selectMethod());
    cognito.on(RespondToAuthChallengeCommand).resolvesOnce(reply.registration()).resolvesOnce(reply.tokens());
    const client = createPasswordlessClient({
      cognito: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
      clientId: "app-client",
      webauthn: fakeWebAuthn(),
    });
    const round = await client.signIn("jane@example.com");
    const enrolment = registrationRound(await round.signInWithPasskey({ registerPasskey: true, userAgent: "Mozilla/5.0 (X11; Linux) Chrome/140" }));
    await enrolment.register();
    assert.deepEqual(responses()[1]?.ClientMetadata, { userAgent: "Mozilla/5.0 (X11; Linux) Chrome/140" });
  });

  it("reports another round after SKIP as an unexpected response", async () => {
    const { round } = await enrolmentAfterCode(reply.registration());
    await assert.rejects(round.skip(), { code: "UNEXPECTED_RESPONSE" });
  });
});
