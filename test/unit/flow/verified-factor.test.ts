import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CodeRound, RoundMetadata, VerifiedFactor } from "../../../lib/flow/challenge-metadata.ts";
import type { SessionRound } from "../../../lib/flow/session.ts";
import { verifiedFactorOf } from "../../../lib/flow/verified-factor.ts";
import { hashForKey } from "../../../lib/store/keys.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const EMAIL_HASH = hashForKey("jane@example.com");
const PHONE_HASH = hashForKey("+14155550123");
const PASSKEY_CHALLENGE = "c2lnbi1pbi1jaGFsbGVuZ2UtMQ";

const select: RoundMetadata = { round: "SELECT_METHOD", nonce: "select-nonce" };
const selectWithPasskey: RoundMetadata = { round: "SELECT_METHOD", nonce: "select-nonce", passkeyChallenge: PASSKEY_CHALLENGE };
const emailCode = (overrides: Partial<CodeRound> = {}): CodeRound => ({
  round: "EMAIL_OTP",
  nonce: "code-nonce",
  codeId: "code-1",
  codeHash: "hash",
  salt: "salt",
  expiresAt: NOW + 60_000,
  destination: "j***@e***.com",
  codeLength: 6,
  sentTo: EMAIL_HASH,
  purpose: "sign-in",
  ...overrides,
});
const smsCode = (overrides: Partial<CodeRound> = {}): CodeRound =>
  emailCode({ round: "SMS_OTP", destination: "+*******0123", sentTo: PHONE_HASH, ...overrides });
const registration: RoundMetadata = {
  round: "PASSKEY_REGISTRATION",
  nonce: "reg",
  challenge: "reg-challenge",
  factor: { method: "EMAIL_OTP", sentTo: EMAIL_HASH },
  final: false,
};

const r = (metadata: RoundMetadata, challengeResult = false): SessionRound => ({ metadata, challengeResult });

const cases: { name: string; rounds: SessionRound[]; expected: VerifiedFactor | undefined }[] = [
  {
    name: "a correct email code is the factor, with the address it went to",
    rounds: [r(select), r(emailCode(), true)],
    expected: { method: "EMAIL_OTP", sentTo: EMAIL_HASH },
  },
  {
    name: "a correct SMS code is the factor, with the number it went to",
    rounds: [r(select), r(smsCode(), true)],
    expected: { method: "SMS_OTP", sentTo: PHONE_HASH },
  },
  {
    name: "a correct code after wrong ones is the factor",
    rounds: [r(select), r(emailCode()), r(emailCode()), r(emailCode(), true)],
    expected: { method: "EMAIL_OTP", sentTo: EMAIL_HASH },
  },
  {
    name: "a fresh account's first code is the factor",
    rounds: [r(select), r(emailCode({ purpose: "first-proof" }), true)],
    expected: { method: "EMAIL_OTP", sentTo: EMAIL_HASH },
  },
  {
    name: "a verified passkey assertion in the first round is the factor, with the challenge it signed",
    rounds: [r(selectWithPasskey, true)],
    expected: { method: "PASSKEY", challenge: PASSKEY_CHALLENGE },
  },
  {
    name: "a correct claim code verifies no factor: it signs nobody in",
    rounds: [r(select), r(emailCode({ purpose: "claim" }), true)],
    expected: undefined,
  },
  {
    name: "a decoy round (a code sent nowhere) verifies no factor, even marked true",
    rounds: [r(select), r(emailCode({ sentTo: "", codeHash: "" }), true)],
    expected: undefined,
  },
  {
    name: "a session of wrong codes verifies no factor",
    rounds: [r(select), r(emailCode()), r(emailCode())],
    expected: undefined,
  },
  {
    name: "a method choice offering a passkey but answered with a choice verifies no factor",
    rounds: [r(selectWithPasskey), r(emailCode())],
    expected: undefined,
  },
  {
    name: "a first round marked true without a passkey challenge verifies no factor",
    rounds: [r(select, true)],
    expected: undefined,
  },
  {
    name: "an enrolment round, even answered true, is no factor of its own",
    rounds: [r(select), r(registration, true)],
    expected: undefined,
  },
  {
    name: "an empty session verifies no factor",
    rounds: [],
    expected: undefined,
  },
];

describe("the factor a session carries forward to its enrolment round", () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.deepEqual(verifiedFactorOf(testCase.rounds), testCase.expected);
    });
  }
});
