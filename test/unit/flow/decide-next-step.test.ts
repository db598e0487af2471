import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFlowConfig } from "../../../lib/config.ts";
import type { CodeRound, RoundMetadata } from "../../../lib/flow/challenge-metadata.ts";
import { decideNextStep, maxRounds, type NextStep } from "../../../lib/flow/decide-next-step.ts";
import { type SessionRound, parseSession } from "../../../lib/flow/session.ts";
import { sessionEntry } from "@cognito-passwordless/test-kit/events.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const flow = readFlowConfig({ SIGN_IN_METHODS: "EMAIL_OTP,SMS_OTP", CODE_MAX_ATTEMPTS: "3" });
const flowWithPasskeys = { ...flow, signInMethods: ["PASSKEY", "EMAIL_OTP", "SMS_OTP"] as const };

const select: RoundMetadata = { round: "SELECT_METHOD", nonce: "select-nonce" };
const emailCode = (codeId = "code-1", expiresAt = NOW + 60_000): CodeRound => ({
  round: "EMAIL_OTP",
  nonce: `n-${Math.random()}`,
  codeId,
  codeHash: "hash",
  salt: "salt",
  expiresAt,
  destination: "j***@e***.com",
  codeLength: 6,
  sentTo: "h",
  purpose: "sign-in",
});
const smsCode = (): CodeRound => ({ ...emailCode("sms-1"), round: "SMS_OTP", destination: "+*******0123" });
const claimCode = (): CodeRound => ({ ...emailCode("claim-1"), purpose: "claim" });
const registration: RoundMetadata = {
  round: "PASSKEY_REGISTRATION",
  nonce: "reg",
  challenge: "reg-challenge",
  factor: { method: "EMAIL_OTP", sentTo: "h" },
  final: false,
};

const r = (metadata: RoundMetadata, challengeResult = false): SessionRound => ({ metadata, challengeResult });

interface Case {
  name: string;
  rounds: SessionRound[];
  clientMetadata?: Record<string, string>;
  config?: typeof flow;
  expected: NextStep | { kind: "challenge"; round: string; retry: true };
}

const cases: Case[] = [
  { name: "a new sign-in starts with the method choice", rounds: [], expected: { kind: "challenge", round: "SELECT_METHOD" } },
  {
    name: "choosing EMAIL_OTP leads to the email code round",
    rounds: [r(select)],
    clientMetadata: { signInMethod: "EMAIL_OTP" },
    expected: { kind: "challenge", round: "EMAIL_OTP" },
  },
  {
    name: "choosing SMS_OTP leads to the SMS code round",
    rounds: [r(select)],
    clientMetadata: { signInMethod: "SMS_OTP" },
    expected: { kind: "challenge", round: "SMS_OTP" },
  },
  {
    name: "answering the method choice without choosing fails",
    rounds: [r(select)],
    expected: { kind: "fail", reason: "no_method_chosen" },
  },
  {
    name: "choosing a method the deployment does not offer fails",
    rounds: [r(select)],
    clientMetadata: { signInMethod: "SMS_OTP" },
    config: { ...flow, signInMethods: ["EMAIL_OTP"] },
    expected: { kind: "fail", reason: "method_not_offered" },
  },
  {
    name: "choosing an unknown method fails",
    rounds: [r(select)],
    clientMetadata: { signInMethod: "MAGIC_LINK" },
    expected: { kind: "fail", reason: "method_not_offered" },
  },
  {
    name: "a rejected passkey assertion fails the sign-in",
    rounds: [r(select)],
    clientMetadata: { signInMethod: "PASSKEY" },
    config: flowWithPasskeys,
    expected: { kind: "fail", reason: "passkey_rejected" },
  },
  {
    name: "a verified passkey assertion in the first round issues tokens",
    rounds: [r(select, true)],
    clientMetadata: { signInMethod: "PASSKEY" },
    config: flowWithPasskeys,
    expected: { kind: "issue-tokens" },
  },
  {
    name: "a correct email code issues tokens",
    rounds: [r(select), r(emailCode(), true)],
    expected: { kind: "issue-tokens" },
  },
  {
    name: "a correct SMS code issues tokens",
    rounds: [r(select), r(smsCode(), true)],
    expected: { kind: "issue-tokens" },
  },
  {
    name: "a correct claim code signs nobody in: the address was released, the sign-in fails",
    rounds: [r(select), r(claimCode(), true)],
    expected: { kind: "fail", reason: "address_released" },
  },
  {
    name: "a correct claim code leads to no passkey enrolment either",
    rounds: [r(select), r(claimCode(), true)],
    clientMetadata: { registerPasskey: "true" },
    config: flowWithPasskeys,
    expected: { kind: "fail", reason: "address_released" },
  },
  {
    name: "an enrolment round in a session whose only true round was a claim is not recognised",
    rounds: [r(select), r(claimCode(), true), r(registration, true)],
    config: flowWithPasskeys,
    expected: { kind: "fail", reason: "session_unrecognised" },
  },
  {
    name: "a wrong code is retried on the same code",
    rounds: [r(select), r(emailCode())],
    expected: { kind: "challenge", round: "EMAIL_OTP", retry: true },
  },
  {
    name: "a second wrong code is retried on the same code",
    rounds: [r(select), r(emailCode()), r(emailCode())],
    expected: { kind: "challenge", round: "EMAIL_OTP", retry: true },
  },
  {
    name: "a wrong code three times fails the session",
    rounds: [r(select), r(emailCode()), r(emailCode()), r(emailCode())],
    expected: { kind: "fail", reason: "too_many_attempts" },
  },
  {
    name: "the attempt limit is configurable",
    rounds: [r(select), r(emailCode())],
    config: { ...flow, codeMaxAttempts: 1 },
    expected: { kind: "fail", reason: "too_many_attempts" },
  },
  {
    name: "a wrong code after the code expired fails instead of retrying",
    rounds: [r(select), r(emailCode("code-1", NOW - 1))],
    expected: { kind: "fail", reason: "code_expired" },
  },
  {
    name: "client metadata cannot skip the code round",
    rounds: [r(select)],
    clientMetadata: { signInMethod: "EMAIL_OTP", registerPasskey: "true", issueTokens: "true" },
    config: flowWithPasskeys,
    expected: { kind: "challenge", round: "EMAIL_OTP" },
  },
  {
    name: "a correct code with registerPasskey leads to passkey enrolment",
    rounds: [r(select), r(emailCode(), true)],
    clientMetadata: { registerPasskey: "true" },
    config: flowWithPasskeys,
    expected: { kind: "challenge", round: "PASSKEY_REGISTRATION" },
  },
  {
    name: "registerPasskey is ignored where passkeys are not offered",
    rounds: [r(select), r(emailCode(), true)],
    clientMetadata: { registerPasskey: "true" },
    expected: { kind: "issue-tokens" },
  },
  {
    name: "a completed enrolment issues tokens",
    rounds: [r(select), r(emailCode(), true), r(registration, true)],
    config: flowWithPasskeys,
    expected: { kind: "issue-tokens" },
  },
  {
    name: "a failed enrolment is offered again",
    rounds: [r(select), r(emailCode(), true), r(registration)],
    config: flowWithPasskeys,
    expected: { kind: "challenge", round: "PASSKEY_REGISTRATION" },
  },
  {
    name: "enrolment failing up to its limit still issues tokens: a proven user is never locked out",
    rounds: [r(select), r(emailCode(), true), r(registration), r(registration)],
    config: flowWithPasskeys,
    expected: { kind: "issue-tokens" },
  },
  {
    name: "an enrolment round without a verified factor before it fails",
    rounds: [r(select), r(registration, true)],
    config: flowWithPasskeys,
    expected: { kind: "fail", reason: "session_unrecognised" },
  },
  {
    name: "a session that does not start with the method choice fails",
    rounds: [r(emailCode(), true)],
    expected: { kind: "fail", reason: "session_unrecognised" },
  },
  {
    name: "a second method choice in one session fails",
    rounds: [r(select), r(select)],
    clientMetadata: { signInMethod: "EMAIL_OTP" },
    expected: { kind: "fail", reason: "session_unrecognised" },
  },
  {
    name: "a session longer than any legitimate sign-in fails",
    rounds: [r(select), ...Array.from({ length: maxRounds(flow) }, () => r(emailCode()))],
    expected: { kind: "fail", reason: "too_many_rounds" },
  },
];

describe("the next step of a sign-in", () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const step = decideNextStep({
        rounds: testCase.rounds,
        clientMetadata: testCase.clientMetadata,
        config: testCase.config ?? flow,
        now: NOW,
      });
      if ("retry" in testCase.expected) {
        assert.equal(step.kind, "challenge");
        assert.ok(step.kind === "challenge" && step.round === testCase.expected.round);
        const last = testCase.rounds.at(-1)?.metadata;
        assert.ok("retryOf" in step && step.retryOf !== undefined && last !== undefined && "codeId" in last);
        assert.equal(step.retryOf.codeId, last.codeId, "a retry keeps the same code");
      } else {
        assert.deepEqual(step, testCase.expected);
      }
    });
  }

  it("an unknown user never gets tokens, whatever the session says", () => {
    for (const rounds of [[r(select, true)], [r(select), r(emailCode(), true)], [r(select), r(emailCode(), true), r(registration, true)]]) {
      const step = decideNextStep({ rounds, clientMetadata: undefined, config: flowWithPasskeys, userNotFound: true, now: NOW });
      assert.deepEqual(step, { kind: "fail", reason: "user_not_found" });
    }
  });

  it("an unknown user still gets the rounds a real one gets", () => {
    const step = decideNextStep({ rounds: [r(select)], clientMetadata: { signInMethod: "EMAIL_OTP" }, config: flow, userNotFound: true, now: NOW });
    assert.deepEqual(step, { kind: "challenge", round: "EMAIL_OTP" });
  });

  it("Create, which runs without a clock, still builds the retry round Define asked for", () => {
    const step = decideNextStep({ rounds: [r(select), r(emailCode("code-1", NOW - 1))], clientMetadata: undefined, config: flow });
    assert.equal(step.kind, "challenge");
  });
});

describe("reading Cognito's session", () => {
  it("accepts the rounds this suite created", () => {
    const parsed = parseSession([sessionEntry(select), sessionEntry(emailCode(), true)]);
    assert.equal(parsed.ok, true);
    assert.ok(parsed.ok && parsed.rounds.length === 2 && parsed.rounds[1]?.challengeResult === true);
  });

  for (const [name, session] of [
    ["a round whose metadata Create never set (null)", [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: null }]],
    ["a built-in challenge such as SRP_A", [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }]],
    ["metadata that is not JSON", [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "EMAIL_OTP" }]],
    ["a result that is not a boolean", [{ ...sessionEntry(select), challengeResult: "true" }]],
    ["a session that is not a list", { 0: sessionEntry(select) }],
    ["metadata naming an unknown round", [{ ...sessionEntry(select), challengeMetadata: JSON.stringify({ round: "ADMIN", nonce: "x" }) }]],
    ["an oversized metadata string", [{ ...sessionEntry(select), challengeMetadata: "x".repeat(100_000) }]],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(parseSession(session), { ok: false, reason: "session_unrecognised" });
    });
  }
});
