/**
 * A round's public parameters are read once, at the boundary: a round this suite does not pose,
 * or a parameter missing or malformed, is an UnexpectedResponseError that names it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PUBLIC_PARAMETERS as P } from "@cognito-passwordless/protocol";
import { UnexpectedResponseError } from "../src/index.ts";
import { readRound } from "../src/read-round.ts";
import { creationOptions, requestOptions, roundParameters } from "./support/cognito-replies.ts";

const without = (parameters: Record<string, string>, name: string) => Object.fromEntries(Object.entries(parameters).filter(([key]) => key !== name));

describe("reading a round's parameters", () => {
  it("reads each round of the suite", () => {
    assert.deepEqual(readRound(roundParameters.selectMethod()), {
      round: "SELECT_METHOD",
      methods: ["PASSKEY", "EMAIL_OTP", "SMS_OTP"],
      passkeyOptions: requestOptions,
    });
    assert.deepEqual(readRound(roundParameters.code("SMS_OTP", Date.parse("2026-12-01T10:05:00Z"))), {
      round: "SMS_OTP",
      destination: "+********0123",
      codeLength: 6,
      expiresAt: new Date("2026-12-01T10:05:00Z"),
    });
    assert.deepEqual(readRound(roundParameters.registration()), { round: "PASSKEY_REGISTRATION", options: creationOptions });
  });

  const malformed: [string, Record<string, string>, RegExp][] = [
    ["no type", without(roundParameters.code(), P.type), /not a round/],
    ["a type of another flow", { ...roundParameters.code(), [P.type]: "SMS_MFA" }, /SMS_MFA/],
    ["SELECT_METHOD without methods", without(roundParameters.selectMethod(), P.methods), /methods/],
    ["passkeyOptions that are not JSON", { ...roundParameters.selectMethod(), [P.passkeyOptions]: "{" }, /passkeyOptions.*not JSON/],
    ["passkeyOptions without a challenge", { ...roundParameters.selectMethod(), [P.passkeyOptions]: "{}" }, /passkeyOptions.*no challenge/],
    ["a code round without destination", without(roundParameters.code(), P.destination), /destination/],
    ["a codeLength that is not a number", { ...roundParameters.code(), [P.codeLength]: "six" }, /codeLength/],
    ["an expiresAt that is not a date", { ...roundParameters.code(), [P.expiresAt]: "soon" }, /expiresAt/],
    ["PASSKEY_REGISTRATION without options", without(roundParameters.registration(), P.options), /options/],
    ["creation options without rp or user", { ...roundParameters.registration(), [P.options]: JSON.stringify({ challenge: "x" }) }, /rp or user/],
  ];
  for (const [name, parameters, message] of malformed) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => readRound(parameters),
        (error: unknown) => error instanceof UnexpectedResponseError && message.test(error.message),
      );
    });
  }
});
