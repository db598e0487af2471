/**
 * Fuzzing VerifyAuthChallengeResponse (functions/verify-auth-challenge-response/index.ts): every
 * kind of round (code, decoy, expired, method choice, enrolment), real or mutated, answered with
 * garbage, with codes that are almost the code, and with passkey assertions signed by a real
 * authenticator but changed in one way a verifier must catch. The AWS clients are mocked; the
 * table holds the real passkey or nothing. Only the right code for its own live round, a valid
 * assertion, or SKIP of an enrolment may be accepted, and nothing is recorded for a refusal.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { challengeParameters } from "../../lib/flow/challenge-parameters.ts";
import { PUBLIC_KEY_ATTRIBUTE, withCachedPublicKey } from "../../lib/passkey/public-key-cache.ts";
import { garbageAnswer, passkeyLookingAnswer } from "../support/arbitraries/challenge-answers.ts";
import { FUZZ_FLOW, rightCodeEvent, verifyCase } from "../support/arbitraries/custom-auth-events.ts";
import { refusedTampering } from "../support/arbitraries/passkey-answers.ts";
import { nonce, randomBase64Url } from "../support/arbitraries/round-metadata.ts";
import { USER_NAME, verifyEvent } from "@cognito-passwordless/test-kit/events.ts";
import { setFunctionEnv } from "../support/function-env.ts";
import type { LogCapture } from "../support/log-capture.ts";
import { type EnrolledPasskey, PASSKEY_ENV, enrolPasskey, requestOptions } from "./enrolled-passkey.ts";
import { assertLogsKeep, captureFuzzLogs } from "./fuzz-logs.ts";
import { CONTROL_RUNS, FUZZ_RUNS, fuzz } from "./fuzz-run.ts";
import { answered, callHandler, timingSummary } from "./handler-invariants.ts";

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);

type Verify = (event: VerifyAuthChallengeResponseTriggerEvent) => Promise<VerifyAuthChallengeResponseTriggerEvent>;
let verify: Verify;
let logs: LogCapture;
let passkey: EnrolledPasskey;

/** Whose passkey the table holds in the current run (undefined: none). The mocks read it, so they are set up once. */
const table: { passkeyOwner: string | undefined } = { passkeyOwner: USER_NAME };

before(async () => {
  setFunctionEnv({ SIGN_IN_METHODS: "PASSKEY,EMAIL_OTP,SMS_OTP", ...PASSKEY_ENV });
  verify = (await import("../../functions/verify-auth-challenge-response/index.ts")).handler as Verify;
  passkey = await enrolPasskey();
  dynamo
    .on(GetCommand)
    .callsFake((input: { Key?: Record<string, unknown> }) =>
      input.Key?.["pk"] === `PASSKEY#${passkey.stored.credentialId}` && table.passkeyOwner !== undefined
        ? { Item: { pk: input.Key["pk"], sk: "PASSKEY", ...passkey.stored, userName: table.passkeyOwner } }
        : {},
    );
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
  logs = captureFuzzLogs();
});
after(() => logs.stop());

function call(event: VerifyAuthChallengeResponseTriggerEvent) {
  return callHandler(verify, event, {
    beforeCall: () => {
      dynamo.resetHistory();
      cognito.resetHistory();
      logs.clear();
    },
  });
}

/** What the call left behind: sign-in records, enrolled passkeys, recorded passkey uses, verified addresses. */
function sideEffects() {
  const puts = dynamo.commandCalls(PutCommand).map((put) => put.args[0].input.Item ?? {});
  const updates = dynamo.commandCalls(UpdateCommand).map((update) => update.args[0].input);
  const values = (update: (typeof updates)[number]) => update.ExpressionAttributeValues ?? {};
  // Verify writes a sign-in record with an update of the user's item; a passkey sign-in's update
  // also carries the passkey's new state, and an enrolment's carries only that state.
  const records = updates.filter((update) => String(update.Key?.["pk"]).startsWith("SIGNIN#") && ":level" in values(update));
  return {
    signInRecords: records.map((update) => ({ pk: update.Key?.["pk"], methods: values(update)[":methods"], level: values(update)[":level"] })),
    enrolments: [
      ...puts.filter((item) => String(item["pk"]).startsWith("PASSKEY#")),
      ...updates.filter((update) => ":passkey" in values(update) && !(":level" in values(update))),
    ],
    passkeyUses: records.filter((update) => ":passkey" in values(update)).length,
    verifiedAddresses: cognito.commandCalls(AdminUpdateUserAttributesCommand).length,
  };
}

/**
 * Each passkey run signs with P-256 and verifies through SimpleWebAuthn, about a millisecond: these
 * properties take a fifth and a fiftieth of the fuzz runs. The ten thousand runs of the property
 * above already include passkey-shaped garbage that names the real credential.
 */
const PASSKEY_RUNS = Math.max(200, Math.ceil(FUZZ_RUNS / 5));
const PASSKEY_CONTROL_RUNS = Math.max(100, Math.ceil(FUZZ_RUNS / 50));

/**
 * The user's answer to a SELECT_METHOD round whose passkey options carried this challenge. With
 * `keyCached`, the event's attributes carry the passkey's key (custom:passkeys), as after an
 * enrolment; without, Verify reads the key from the table.
 */
function selectMethodEvent(challenge: string, roundNonce: string, answer: unknown, keyCached = false) {
  const { privateChallengeParameters } = challengeParameters({ round: "SELECT_METHOD", nonce: roundNonce, passkeyChallenge: challenge }, FUZZ_FLOW);
  const event = verifyEvent(privateChallengeParameters, answer);
  if (keyCached) {
    const cached = withCachedPublicKey(undefined, passkey.stored.credentialId, { publicKey: passkey.stored.publicKey, method: "swk" });
    event.request.userAttributes = { ...event.request.userAttributes, [PUBLIC_KEY_ATTRIBUTE]: cached! };
  }
  return event;
}

describe("fuzzing VerifyAuthChallengeResponse", () => {
  after(() => console.log(timingSummary()));
  it("never throws, and accepts no wrong answer: garbage, near-miss codes, decoy or expired rounds, mutated events", async (t) => {
    const scenario = fc.record({
      verifyCase: verifyCase(garbageAnswer({ knownCredentialIds: [passkey.stored.credentialId] })),
      passkeyOwner: fc.constantFrom(USER_NAME, "another-user", undefined),
    });
    await fuzz(
      t,
      fc.asyncProperty(scenario, async ({ verifyCase: { event, round, code }, passkeyOwner }) => {
        table.passkeyOwner = passkeyOwner;
        const { response } = answered(await call(event), "Verify must answer every event when no AWS call fails");
        assert.equal(typeof response.answerCorrect, "boolean", "answerCorrect is a boolean");
        // A mutation may have dropped or replaced the request itself.
        const request: Record<string, unknown> =
          typeof event.request === "object" && event.request !== null ? (event.request as unknown as Record<string, unknown>) : {};
        const answer = request["challengeAnswer"];
        const effects = sideEffects();
        if (response.answerCorrect) {
          const skipped = round.round === "PASSKEY_REGISTRATION" && answer === "SKIP";
          const ownCode = code !== "" && answer === code;
          const live = "expiresAt" in round && round.expiresAt > Date.now();
          const found = request["userNotFound"] !== true;
          assert.ok(
            skipped || (ownCode && live && found),
            `Verify accepted ${JSON.stringify(answer)?.slice(0, 80)} for a ${round.round} round (the round's code: ${ownCode}, live: ${live}, user found: ${found})`,
          );
        } else if (round.round === "PASSKEY_REGISTRATION" && round.final) {
          // The last enrolment attempt is followed by tokens whatever its answer: it records the
          // factor its own session verified (carried in the round), never another.
          // (A passkey factor's pending sign-in is made the record without re-stating it: no :level.)
          const carried =
            round.factor.method === "PASSKEY"
              ? undefined
              : { methods: [round.factor.method === "EMAIL_OTP" ? "email_otp" : "sms"], level: "urn:cognito:loa:2" };
          for (const { methods, level } of effects.signInRecords) {
            assert.deepEqual({ methods, level }, carried, "the last enrolment attempt recorded a factor its session did not verify");
          }
          assert.equal(effects.verifiedAddresses, 0, "a refused answer marked an address verified");
        } else {
          assert.deepEqual(effects.signInRecords, [], "a refused answer left a sign-in record (claims for a factor nobody proved)");
          assert.equal(effects.verifiedAddresses, 0, "a refused answer marked an address verified");
        }
        assert.deepEqual(effects.enrolments, [], "a passkey was enrolled from garbage");
        assert.equal(effects.passkeyUses, 0, "a passkey use was recorded for garbage");
        const secrets = "codeHash" in round ? [code, round.codeHash, round.salt] : [];
        assertLogsKeep(logs, secrets, "the code, its hash or its salt");
      }),
    );
  });

  it("refuses every changed or misplaced passkey assertion, and garbage naming a real credential, recording no use", async (t) => {
    const changed = fc.record({ tamper: refusedTampering(), owner: fc.constant(USER_NAME), garbage: fc.constant(undefined) });
    // Untouched, but the credential belongs to someone else (or the table holds no such credential).
    const misplaced = fc.record({ tamper: fc.constant({}), owner: fc.constantFrom("another-user", undefined), garbage: fc.constant(undefined) });
    const garbage = fc.record({
      tamper: fc.constant({}),
      owner: fc.constant(USER_NAME),
      garbage: passkeyLookingAnswer({ knownCredentialIds: [passkey.stored.credentialId] }),
    });
    const scenario = fc.record({
      challenge: randomBase64Url(32),
      roundNonce: nonce(),
      attempt: fc.oneof(changed, misplaced, garbage),
      keyCached: fc.boolean(),
    });
    await fuzz(
      t,
      fc.asyncProperty(scenario, async ({ challenge, roundNonce, attempt, keyCached }) => {
        table.passkeyOwner = attempt.owner;
        const answer = attempt.garbage ?? JSON.stringify(passkey.authenticator.authenticate(requestOptions(challenge), attempt.tamper));
        // A misplaced credential is never in this user's own attribute.
        const event = selectMethodEvent(challenge, roundNonce, answer, keyCached && attempt.owner === USER_NAME);
        const { response } = answered(await call(event), "Verify must answer a passkey attempt");
        assert.equal(response.answerCorrect, false, "a changed, misplaced or garbage assertion was accepted");
        assert.deepEqual(sideEffects(), { signInRecords: [], enrolments: [], passkeyUses: 0, verifiedAddresses: 0 });
      }),
      PASSKEY_RUNS,
    );
  });

  // Found by the fuzzer: Verify threw MalformedEventError (Cognito: UserLambdaValidationException)
  // for private parameters that are not a string map, instead of refusing the answer.
  it("regression: private challenge parameters that are not a string map make a wrong answer, not an exception", async () => {
    for (const privateChallengeParameters of [0, "round", [], Object.fromEntries(Array.from({ length: 201 }, (_, index) => [`k${index}`, "v"]))]) {
      const event = verifyEvent(privateChallengeParameters as unknown as Record<string, string>, "123456");
      const { response } = answered(await call(event), "Verify must answer malformed private parameters");
      assert.equal(response.answerCorrect, false);
    }
  });

  it("positive control: the right code for its own live round is accepted and recorded as a code factor, unless an enrolment round follows", async (t) => {
    await fuzz(
      t,
      fc.asyncProperty(rightCodeEvent(), async ({ event, code }) => {
        const { response } = answered(await call(event), "Verify must answer the right code");
        assert.equal(response.answerCorrect, true);
        if (event.request.clientMetadata?.["registerPasskey"] === "true") {
          // The enrolment round's answer completes this sign-in, and records it then.
          assert.deepEqual(sideEffects().signInRecords, [], "a code followed by enrolment records no sign-in yet");
          return;
        }
        const [record] = sideEffects().signInRecords;
        assert.ok(["email_otp", "sms"].includes(String((record?.["methods"] as string[] | undefined)?.[0])), "the factor is recorded as a code");
        assert.equal(record?.["level"], "urn:cognito:loa:2");
        assertLogsKeep(logs, [code], "the code");
      }),
      CONTROL_RUNS,
    );
  });

  it("positive control: a valid assertion by the user's own passkey is accepted and recorded as a passkey factor", async (t) => {
    await fuzz(
      t,
      fc.asyncProperty(randomBase64Url(32), nonce(), fc.boolean(), async (challenge, roundNonce, keyCached) => {
        table.passkeyOwner = USER_NAME;
        const answer = JSON.stringify(passkey.authenticator.authenticate(requestOptions(challenge)));
        const { response } = answered(await call(selectMethodEvent(challenge, roundNonce, answer, keyCached)), "Verify must answer a valid assertion");
        assert.equal(response.answerCorrect, true);
        const { signInRecords, passkeyUses } = sideEffects();
        assert.equal(signInRecords[0]?.["level"], "urn:cognito:loa:3");
        assert.equal(passkeyUses, 1, "the new signature counter is recorded with the sign-in, in one write");
        assert.equal(dynamo.commandCalls(GetCommand).length, keyCached ? 0 : 1, "a cached key costs no read");
      }),
      PASSKEY_CONTROL_RUNS,
    );
  });
});
