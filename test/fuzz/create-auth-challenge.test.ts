/**
 * Fuzzing CreateAuthChallenge (functions/create-auth-challenge/index.ts) with realistic rounds,
 * random and broken sessions and hostile users, the AWS clients mocked with realistic answers
 * (the code-send record is written, or the round was already served, or the address is over its
 * limit; the user has no passkey or one). What reaches the app must be strings, small, and free
 * of every secret the mocks saw: the code sent, its hash and its salt.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CreateAuthChallengeTriggerEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { parseRoundMetadata } from "../../lib/flow/challenge-metadata.ts";
import { checkCodeAnswer } from "../../lib/otp/check-code-answer.ts";
import { createCase } from "../support/arbitraries/custom-auth-events.ts";
import { USER_ATTRIBUTES, createEvent, sessionEntry } from "@cognito-passwordless/test-kit/events.ts";
import { setFunctionEnv } from "../support/function-env.ts";
import type { LogCapture } from "../support/log-capture.ts";
import { storedPasskey } from "../support/stored-passkey.ts";
import { assertLogsKeep, captureFuzzLogs } from "./fuzz-logs.ts";
import { fuzz } from "./fuzz-run.ts";
import { answered, callHandler, timingSummary } from "./handler-invariants.ts";

const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const sns = mockClient(SNSClient);

type Create = (event: CreateAuthChallengeTriggerEvent) => Promise<CreateAuthChallengeTriggerEvent>;
let create: Create;
let logs: LogCapture;

before(async () => {
  setFunctionEnv({ SIGN_IN_METHODS: "PASSKEY,EMAIL_OTP,SMS_OTP", PASSKEY_RP_ID: "example.com", PASSKEY_ALLOWED_ORIGINS: "https://example.com" });
  create = (await import("../../functions/create-auth-challenge/index.ts")).handler as Create;
  mockAws();
  logs = captureFuzzLogs();
});
after(() => logs.stop());

/** Cognito's own limit on a user attribute's value: events with longer ones are not judged on size. */
const COGNITO_ATTRIBUTE_LIMIT = 2048;
/**
 * The public parameters of any round, in UTF-8 bytes, for users within Cognito's limits. The
 * largest is an enrolment round's creation options, which show the address twice (user.name,
 * displayName): 2 × 2048 characters of up to 3 bytes, plus about 1 KiB of options.
 */
const MAX_PUBLIC_BYTES = 16 * 1024;

/** Whether an address keeps to RFC 5321's sizes: a local part of 64 characters at most, a domain of 255. */
function isRfcSized(address: string): boolean {
  const at = address.lastIndexOf("@");
  return at >= 0 && at <= 64 && address.length - at - 1 <= 255;
}

const PUBLIC_KEYS: Readonly<Record<string, readonly string[]>> = {
  SELECT_METHOD: ["type", "methods", "passkeyOptions"],
  EMAIL_OTP: ["type", "destination", "codeLength", "expiresAt"],
  SMS_OTP: ["type", "destination", "codeLength", "expiresAt"],
  PASSKEY_REGISTRATION: ["type", "options"],
};

type StoreAnswer = "send" | "already-issued" | "rate-limited";

/** An earlier invocation's record of this round: a code this call must not send again, nor show. */
const EARLIER_ROUND = { codeId: "earlier-code-id", codeHash: "RWFybGllckhhc2hPZkFDb2RlVGhhdE11c3ROb3RMZWFr", expiresAt: Date.now() + 300_000 };

/** What the table answers in the current run; the mocks read it, so they are set up once. */
const table = { answer: "send" as StoreAnswer, passkeys: 0 };

function mockAws(): void {
  const refused = Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });
  dynamo.on(UpdateCommand).callsFake(() => {
    if (table.answer !== "send") throw refused;
    return {};
  });
  dynamo.on(GetCommand).callsFake((input: { ExpressionAttributeNames?: Record<string, string> }) => {
    const roundAttribute = input.ExpressionAttributeNames?.["#round"] ?? "";
    return table.answer === "already-issued" ? { Item: { sent: 1, [roundAttribute]: EARLIER_ROUND } } : { Item: { sent: 10 } };
  });
  dynamo.on(QueryCommand).callsFake(() => ({
    Items: Array.from({ length: table.passkeys }, (_, index) => ({
      pk: `PASSKEY#cred-${index}`,
      sk: "PASSKEY",
      ...storedPasskey({ credentialId: `cred-${index}` }),
    })),
  }));
  ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
  sns.on(PublishCommand).resolves({ MessageId: "s-1" });
}

interface SentMessage {
  readonly to: string;
  readonly text: string;
}

function sentMessages(): SentMessage[] {
  const emails = ses.commandCalls(SendEmailCommand).map((call) => ({
    to: call.args[0].input.Destination?.ToAddresses?.[0] ?? "",
    text: `${call.args[0].input.Message?.Body?.Text?.Data ?? ""}\n${call.args[0].input.Message?.Body?.Html?.Data ?? ""}`,
  }));
  const sms = sns.commandCalls(PublishCommand).map((call) => ({ to: call.args[0].input.PhoneNumber ?? "", text: call.args[0].input.Message ?? "" }));
  return [...emails, ...sms];
}

function codeIn(message: SentMessage): string {
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(message.text)?.[1];
  assert.ok(code, "a sent message carries a code");
  return code;
}

function stringValues(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(stringValues);
}

/** Whether every name and attribute value is within what Cognito itself allows. */
function withinCognitoLimits(event: CreateAuthChallengeTriggerEvent): boolean {
  const request = event.request as unknown as Record<string, unknown>;
  return [event.userName, ...stringValues(request["userAttributes"])].every((text) => typeof text !== "string" || text.length <= COGNITO_ATTRIBUTE_LIMIT);
}

let largestPublicBytes = 0;

describe("fuzzing CreateAuthChallenge", () => {
  after(() => console.log(timingSummary()));
  it("throws only typed errors, sends at most one code per round, and shows the app only short strings free of codes and hashes", async (t) => {
    const scenario = fc.record({
      event: createCase(),
      store: fc.constantFrom<StoreAnswer>("send", "send", "already-issued", "rate-limited"),
      passkeys: fc.constantFrom(0, 0, 1),
    });
    await fuzz(
      t,
      fc.asyncProperty(scenario, async ({ event, store, passkeys }) => {
        const outcome = await callHandler(create, event, {
          beforeCall: () => {
            Object.assign(table, { answer: store, passkeys });
            for (const mock of [dynamo, ses, sns]) mock.resetHistory();
            logs.clear();
          },
        });
        const sent = sentMessages();
        const codes = sent.map(codeIn);
        assert.ok(sent.length <= 1, `one round sent ${sent.length} messages`);
        if (store !== "send") assert.equal(sent.length, 0, `a code was sent although the store said "${store}"`);
        if (!outcome.ok) return;

        const { publicChallengeParameters: shown, privateChallengeParameters: kept, challengeMetadata } = outcome.value.response;
        assert.ok(typeof shown === "object" && shown !== null && !Array.isArray(shown), "public parameters are a map");
        for (const [key, value] of Object.entries(shown)) assert.equal(typeof value, "string", `public parameter ${key} is not a string`);
        const type = shown["type"] ?? "";
        assert.ok(type in PUBLIC_KEYS, `public type "${type}" is not a round of the protocol`);
        assert.deepEqual(
          Object.keys(shown).filter((key) => !PUBLIC_KEYS[type]?.includes(key)),
          [],
          "public parameters outside the protocol",
        );
        assert.equal(kept["round"], challengeMetadata, "Verify reads the same round the session keeps");

        const round = parseRoundMetadata(challengeMetadata);
        const publicText = JSON.stringify(shown);
        const hashes = [
          round !== undefined && "codeHash" in round ? round.codeHash : "",
          round !== undefined && "salt" in round ? round.salt : "",
          EARLIER_ROUND.codeHash,
        ];
        for (const secret of hashes) if (secret !== "") assert.ok(!publicText.includes(secret), "a public parameter holds the code's hash or salt");
        assert.ok(!publicText.includes(challengeMetadata ?? "\u0000"), "the private round reached the public parameters");
        // A code may appear in what the app sees only if the event itself carried those digits (in an address).
        for (const code of codes)
          assert.ok(!publicText.includes(code) || JSON.stringify(event).includes(code), "a public parameter holds the code that was sent");
        assertLogsKeep(logs, [...codes, ...hashes], "a code, a hash or a salt");

        const [message] = sent;
        if (message !== undefined) {
          const request = event.request as unknown as { userAttributes: Record<string, unknown> };
          assert.ok(
            [request.userAttributes["email"], request.userAttributes["phone_number"]].includes(message.to),
            "a code went to an address the user does not hold",
          );
          // The code the user got must be the one Verify accepts: sent once, for a round that reads
          // back. Judged for addresses of a size mail can go to; a longer attribute value (Cognito
          // allows 2048 characters) is no address, and the mocked SES would take it all the same.
          if (isRfcSized(message.to)) {
            assert.ok(round !== undefined && "codeHash" in round, "a code was sent for a round that cannot be read back");
            assert.ok(checkCodeAnswer(codes[0], round, Date.now()).ok, "the code sent does not match the round's hash");
          }
        }
        const bytes = Buffer.byteLength(publicText);
        if (withinCognitoLimits(event)) {
          largestPublicBytes = Math.max(largestPublicBytes, bytes);
          assert.ok(bytes <= MAX_PUBLIC_BYTES, `public parameters of ${bytes} bytes`);
        }
      }),
    );
    t.diagnostic(`largest public parameters for users within Cognito's limits: ${largestPublicBytes} bytes`);
  });

  // Found by the fuzzer: masking lengthened a 254-character address to 258, past the 256 the
  // round's parser allowed, so the user got a code for a round that Verify and Define refused.
  it("regression: a code sent to the longest address RFC 5321 allows belongs to a round that reads back", async () => {
    const email = `a@b.${["c".repeat(63), "c".repeat(63), "c".repeat(63), "c".repeat(54)].join(".")}.com`;
    assert.equal(email.length, 254);
    const select = { round: "SELECT_METHOD" as const, nonce: "AAAAAAAAAAAAAAAAAAAAAA" };
    const event = createEvent([sessionEntry(select, false)], { userAttributes: { ...USER_ATTRIBUTES, email }, clientMetadata: { signInMethod: "EMAIL_OTP" } });
    const outcome = await callHandler(create, event, {
      beforeCall: () => {
        Object.assign(table, { answer: "send", passkeys: 0 });
        for (const mock of [dynamo, ses, sns]) mock.resetHistory();
      },
    });
    const { challengeMetadata } = answered(outcome, "Create must build the code round").response;
    const round = parseRoundMetadata(challengeMetadata);
    assert.ok(round !== undefined && "codeHash" in round, "the round reads back");
    const [message] = sentMessages();
    assert.ok(message !== undefined && checkCodeAnswer(codeIn(message), round, Date.now()).ok, "the code sent is the round's code");
  });
});
