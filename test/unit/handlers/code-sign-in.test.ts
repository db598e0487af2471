/**
 * The one-time-code sign-in through the handlers built by their factories (handler-kit.ts: the
 * configuration of a deployment, a fixed clock, the real stores and senders over mocked AWS SDK
 * clients): Define → Create (SELECT_METHOD) → Verify → Define → Create (code round, code sent) → Verify.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { type SessionEntry, USER_ATTRIBUTES, createEvent, defineEvent, verifyEvent } from "@cognito-passwordless/test-kit/events.ts";
import { type LogCapture, captureLogs } from "../../support/log-capture.ts";
import { NOW, customAuthHandlers } from "./handler-kit.ts";

const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const sns = mockClient(SNSClient);
const cognito = mockClient(CognitoIdentityProviderClient);

const { define, create, verify } = customAuthHandlers();
let logs: LogCapture;

before(() => {
  logs = captureLogs();
});
after(() => logs.stop());

beforeEach(() => {
  dynamo.reset();
  ses.reset();
  sns.reset();
  cognito.reset();
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  // No proof on record: the sample user's account is fresh (lib/ownership/address-use.ts).
  dynamo.on(GetCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
  sns.on(PublishCommand).resolves({ MessageId: "s-1" });
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
  logs?.clear();
});

interface Round {
  public: Record<string, string>;
  private: Record<string, string>;
  entry: (result: boolean) => SessionEntry;
}

async function nextRound(session: SessionEntry[], options: Parameters<typeof createEvent>[1] = {}): Promise<Round> {
  const defined = await define(defineEvent(session, options));
  assert.equal(defined.response.challengeName, "CUSTOM_CHALLENGE", "Define asks for another round");
  const created = await create(createEvent(session, options));
  const { publicChallengeParameters, privateChallengeParameters, challengeMetadata } = created.response;
  return {
    public: publicChallengeParameters,
    private: privateChallengeParameters,
    entry: (result) => ({ challengeName: "CUSTOM_CHALLENGE", challengeResult: result, challengeMetadata: challengeMetadata as string }),
  };
}

async function answer(round: Round, value: string, options: Parameters<typeof verifyEvent>[2] = {}): Promise<boolean> {
  const verified = await verify(verifyEvent(round.private, value, options));
  return verified.response.answerCorrect;
}

function sentEmail(): { to: string; code: string; text: string; html: string } {
  const calls = ses.commandCalls(SendEmailCommand);
  assert.equal(calls.length, 1, "exactly one email is sent");
  const input = calls[0]!.args[0].input;
  const text = input.Message?.Body?.Text?.Data ?? "";
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  assert.ok(code, "the email's text contains the code");
  return { to: input.Destination?.ToAddresses?.[0] ?? "", code, text, html: input.Message?.Body?.Html?.Data ?? "" };
}

async function toEmailCodeRound(options: Parameters<typeof createEvent>[1] = {}) {
  const select = await nextRound([], options);
  const chose = { ...options, clientMetadata: { signInMethod: "EMAIL_OTP" } };
  assert.equal(await answer(select, "EMAIL_OTP", chose), false, "choosing is not proving");
  const session = [select.entry(false)];
  const code = await nextRound(session, chose);
  return { select, session, code, options: chose };
}

describe("signing in with an email code", () => {
  it("offers the deployment's methods first, with nothing about the user", async () => {
    const select = await nextRound([]);
    assert.deepEqual(select.public, { type: "SELECT_METHOD", methods: "EMAIL_OTP,SMS_OTP" });
    assert.equal(ses.commandCalls(SendEmailCommand).length, 0);
    assert.equal(dynamo.calls().length, 0, "the first round touches no store");
  });

  it("sends one code to the user's email and, with no login sent, shows only the channel's wording", async () => {
    const { code } = await toEmailCodeRound();
    const email = sentEmail();
    assert.equal(email.to, USER_ATTRIBUTES.email);
    assert.equal(code.public.type, "EMAIL_OTP");
    assert.equal(code.public.destination, "your email address", "never the account's stored address");
    assert.equal(code.public.codeLength, "6");
    assert.equal(code.public.expiresAt, new Date(NOW + 300_000).toISOString(), "the code expires in the configured 5 minutes");
    assert.ok(email.html.includes(email.code), "the HTML part carries the code too");
    // The code itself is nowhere but in the message.
    const everythingKept = JSON.stringify([code.public, code.private, code.entry(false)]);
    assert.ok(!everythingKept.includes(email.code), "the code is neither in the parameters nor in the session");
    assert.equal(dynamo.commandCalls(UpdateCommand).length, 1, "one write counts the send and records the round");
  });

  it("the right code completes the factor, records it, and verifies the email it went to, address and flag in one call", async () => {
    const { code, session, options } = await toEmailCodeRound();
    assert.equal(await answer(code, sentEmail().code, options), true);

    const write = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .find((input) => String(input.Key?.["pk"]).startsWith("SIGNIN#"));
    assert.equal(write?.Key?.["pk"], `SIGNIN#${USER_ATTRIBUTES.sub}`);
    assert.deepEqual(write?.ExpressionAttributeValues?.[":methods"], ["email_otp"]);
    assert.equal(write?.ExpressionAttributeValues?.[":level"], "urn:cognito:loa:2");
    // The sample account is fresh: the write holds only if no other address proved it first.
    assert.match(String(write?.ConditionExpression), /attribute_not_exists\(#firstProof\) OR #firstProof = :address/);
    const update = cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input;
    assert.deepEqual(update?.UserAttributes, [
      { Name: "email", Value: USER_ATTRIBUTES.email },
      { Name: "email_verified", Value: "true" },
    ]);

    const done = await define(defineEvent([...session, code.entry(true)], options));
    assert.equal(done.response.issueTokens, true);
    assert.equal(done.response.failAuthentication, false);
  });

  it("an already verified email is not written again", async () => {
    const attributes = { ...USER_ATTRIBUTES, email_verified: "true" };
    const { code, options } = await toEmailCodeRound({ userAttributes: attributes });
    assert.equal(await answer(code, sentEmail().code, { ...options, userAttributes: attributes }), true);
    assert.equal(cognito.commandCalls(AdminUpdateUserAttributesCommand).length, 0);
  });

  it("a wrong code is retried with the same code and no second message; the third wrong code fails", async () => {
    const { code, session, options } = await toEmailCodeRound();
    const sent = sentEmail();
    const wrong = sent.code === "000000" ? "000001" : "000000";
    assert.equal(await answer(code, wrong, options), false);

    let rounds = [...session, code.entry(false)];
    const retry = await nextRound(rounds, options);
    assert.equal(ses.commandCalls(SendEmailCommand).length, 1, "no new message on a retry");
    assert.deepEqual(retry.public, code.public, "the retry round shows the same code's parameters");
    assert.equal(await answer(retry, wrong, options), false);

    rounds = [...rounds, retry.entry(false)];
    const last = await nextRound(rounds, options);
    assert.equal(await answer(last, wrong, options), false);
    rounds = [...rounds, last.entry(false)];
    const failed = await define(defineEvent(rounds, options));
    assert.equal(failed.response.failAuthentication, true);
    assert.equal(failed.response.issueTokens, false);
  });

  it("the right code still works on the second attempt", async () => {
    const { code, session, options } = await toEmailCodeRound();
    const sent = sentEmail();
    assert.equal(await answer(code, sent.code === "000000" ? "000001" : "000000", options), false);
    const retry = await nextRound([...session, code.entry(false)], options);
    assert.equal(await answer(retry, sent.code, options), true);
  });

  it("a code from another sign-in is refused", async () => {
    const first = await toEmailCodeRound();
    const firstCode = sentEmail().code;
    ses.resetHistory();
    const second = await toEmailCodeRound();
    const secondCode = sentEmail().code;
    if (firstCode !== secondCode) assert.equal(await answer(second.code, firstCode, second.options), false);
    assert.equal(await answer(first.code, secondCode === firstCode ? "x" : secondCode, first.options), false);
  });

  it("a repeated Create for the same round re-issues the first code and sends nothing", async () => {
    const select = await nextRound([]);
    const chose = { clientMetadata: { signInMethod: "EMAIL_OTP" } };
    const session = [select.entry(false)];
    const first = await nextRound(session, chose);
    const sent = sentEmail();
    const firstWrite = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    const roundAttribute = Object.values(firstWrite.ExpressionAttributeNames ?? {}).find((name) => name.startsWith("r_"));
    assert.ok(roundAttribute, "the write records the round");
    const stored =
      firstWrite.ExpressionAttributeValues?.[":round"] ??
      Object.values(firstWrite.ExpressionAttributeValues ?? {}).find((v) => typeof v === "object" && v !== null && "codeHash" in v);

    // Cognito calls Create again for the same round: the store says the round was served.
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" }));
    dynamo.on(GetCommand).resolves({ Item: { sent: 1, [roundAttribute]: stored } });
    const again = await nextRound(session, chose);
    assert.equal(ses.commandCalls(SendEmailCommand).length, 1, "still exactly one message");
    assert.deepEqual(again.public, first.public);
    dynamo.on(UpdateCommand).resolves({});
    assert.equal(await answer(again, sent.code, chose), true, "the code that was sent works");
  });

  it("logs say what happened without a code, a hash or a full address", async () => {
    const { code, options } = await toEmailCodeRound();
    const sent = sentEmail();
    await answer(code, "123456", options);
    await answer(code, sent.code, options);
    const text = logs.raw.join("\n");
    assert.ok(logs.lines.some((line) => line.message === "Code sent"));
    assert.ok(logs.lines.some((line) => line.reason === "wrong_code" || line.message === "Answer accepted"));
    assert.ok(!text.includes(sent.code), "no code in the logs");
    assert.ok(!text.includes(USER_ATTRIBUTES.email as string), "no full email address in the logs");
    const round = JSON.parse(code.private.round ?? "{}") as { codeHash: string; salt: string };
    assert.ok(!text.includes(round.codeHash) && !text.includes(round.salt), "no hash or salt in the logs");
  });
});

describe("signing in with an SMS code", () => {
  it("sends one transactional SMS to the user's phone and masks it", async () => {
    const select = await nextRound([]);
    const chose = { clientMetadata: { signInMethod: "SMS_OTP" } };
    const round = await nextRound([select.entry(false)], chose);
    const calls = sns.commandCalls(PublishCommand);
    assert.equal(calls.length, 1);
    const input = calls[0]!.args[0].input;
    assert.equal(input.PhoneNumber, USER_ATTRIBUTES.phone_number);
    assert.equal(input.MessageAttributes?.["AWS.SNS.SMS.SMSType"]?.StringValue, "Transactional");
    assert.equal(round.public.destination, "your phone number", "no digit of the account's number");
    const code = /\b(\d{6})\b/.exec(input.Message ?? "")?.[1] ?? "";
    assert.equal(await answer(round, code, chose), true);
    const update = cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input;
    assert.deepEqual(update?.UserAttributes, [
      { Name: "phone_number", Value: USER_ATTRIBUTES.phone_number },
      { Name: "phone_number_verified", Value: "true" },
    ]);
  });

  it("sends nothing to a country that is not allowed, yet the round looks the same", async () => {
    const attributes = { ...USER_ATTRIBUTES, phone_number: "+8613800138000" };
    const select = await nextRound([], { userAttributes: attributes });
    const chose = { userAttributes: attributes, clientMetadata: { signInMethod: "SMS_OTP" } };
    const round = await nextRound([select.entry(false)], chose);
    assert.equal(sns.commandCalls(PublishCommand).length, 0);
    assert.deepEqual(Object.keys(round.public).sort(), ["codeLength", "destination", "expiresAt", "type"]);
    assert.ok(logs.lines.some((line) => line.reason === "sms_country_not_allowed"));
  });
});

describe("the deployment's SMS budget", () => {
  const chooseSms = { clientMetadata: { signInMethod: "SMS_OTP" } };
  const spent = () => Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });

  it("once spent, no SMS goes out, the address's own count is given back, the round looks the same, and a WARN says why", async () => {
    dynamo.on(UpdateCommand, { Key: { pk: "SMSBUDGET" } }).rejects(spent());
    dynamo.on(GetCommand, { Key: { pk: "SMSBUDGET" } }, false).resolves({ Item: { all: 500 } });
    const select = await nextRound([]);
    const round = await nextRound([select.entry(false)], chooseSms);
    assert.equal(sns.commandCalls(PublishCommand).length, 0, "nothing sent");
    assert.deepEqual(Object.keys(round.public).sort(), ["codeLength", "destination", "expiresAt", "type"]);
    const released = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .find((input) => /^REMOVE #round/.test(input.UpdateExpression ?? ""));
    assert.ok(released, "the reservation on the address's own item is undone");
    const warning = logs.lines.find((line) => line.level === "WARN" && String(line.message).startsWith("SMS budget spent"));
    assert.equal(warning?.scope, "deployment");
    assert.ok(logs.lines.some((line) => line.reason === "sms_budget_spent"));
  });

  it("an SMS that SNS refused gives its budget back", async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error("Throttling"), { name: "Throttling" }));
    const select = await nextRound([]);
    await assert.rejects(create(createEvent([select.entry(false)], chooseSms)));
    const budgetWrites = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.Key?.["pk"] === "SMSBUDGET");
    assert.deepEqual(
      budgetWrites.map((input) => input.ExpressionAttributeValues?.[":one"] ?? input.ExpressionAttributeValues?.[":minusOne"]),
      [1, -1],
      "counted, then given back",
    );
  });

  it("an email code never touches the SMS budget", async () => {
    await toEmailCodeRound();
    assert.equal(dynamo.commandCalls(UpdateCommand).filter((call) => call.args[0].input.Key?.["pk"] === "SMSBUDGET").length, 0);
  });
});

describe("a user who does not exist", () => {
  it("gets the same rounds and parameter shapes, is sent nothing, and every answer fails", async () => {
    const unknown = { userName: "nobody@example.org", userNotFound: true };
    const select = await nextRound([], unknown);
    assert.deepEqual(Object.keys(select.public).sort(), ["methods", "type"]);
    const chose = { ...unknown, clientMetadata: { signInMethod: "EMAIL_OTP" } };
    const round = await nextRound([select.entry(false)], chose);
    assert.deepEqual(Object.keys(round.public).sort(), ["codeLength", "destination", "expiresAt", "type"]);
    assert.equal(round.public.destination, "your email address", "the same as a real account's round without a login");
    assert.equal(ses.commandCalls(SendEmailCommand).length, 0);
    assert.equal(dynamo.calls().length, 0);
    for (const guess of ["000000", "123456", "999999"]) assert.equal(await answer(round, guess, chose), false);
  });

  it("shows the mask of what was typed (ClientMetadata.login) when Cognito passes a stand-in user name", async () => {
    const unknown = { userName: "5f0c8e8a-1b2c-4d3e-8f9a-0b1c2d3e4f5a", userNotFound: true };
    const select = await nextRound([], unknown);
    const email = await nextRound([select.entry(false)], { ...unknown, clientMetadata: { signInMethod: "EMAIL_OTP", login: "zed@example.com" } });
    assert.equal(email.public.destination, "z***@e***.com");
    const sms = await nextRound([select.entry(false)], { ...unknown, clientMetadata: { signInMethod: "SMS_OTP", login: "+447700900999" } });
    assert.equal(sms.public.destination, "+********0999");
  });

  it("shows a real account what was typed, masked, exactly as an unknown one: never its stored address", async () => {
    const select = await nextRound([]);
    const typed = await nextRound([select.entry(false)], { clientMetadata: { signInMethod: "EMAIL_OTP", login: "JANE.DOE@EXAMPLE.COM" } });
    assert.equal(typed.public.destination, "J***@E***.COM", "as typed, capitals and all");
    const phone = await nextRound([select.entry(false)], { clientMetadata: { signInMethod: "EMAIL_OTP", login: "+447700900123" } });
    assert.equal(phone.public.destination, "your email address", "a phone number typed for an email code shows no domain");
  });
});

describe("rate limits", () => {
  it("a destination over its limit is sent nothing, and the round looks like any other", async () => {
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" }));
    dynamo.on(GetCommand).resolves({ Item: { sent: 10 } });
    const { code } = await toEmailCodeRound();
    assert.equal(ses.commandCalls(SendEmailCommand).length, 0);
    assert.deepEqual(Object.keys(code.public).sort(), ["codeLength", "destination", "expiresAt", "type"]);
    assert.equal(code.public.destination, "your email address");
    assert.ok(logs.lines.some((line) => line.reason === "rate_limited"));
  });
});

describe("delivery failures", () => {
  it("an SES failure fails the round with a DeliveryFailedError that holds no code or address", async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error("Throttling: Maximum sending rate exceeded."), { name: "Throttling" }));
    const select = await nextRound([]);
    const chose = { clientMetadata: { signInMethod: "EMAIL_OTP" } };
    await define(defineEvent([select.entry(false)], chose));
    await assert.rejects(create(createEvent([select.entry(false)], chose)), (error: Error & { code?: string }) => {
      assert.equal(error.code, "DELIVERY_FAILED");
      assert.ok(!error.message.includes(USER_ATTRIBUTES.email as string));
      return true;
    });
  });
});
