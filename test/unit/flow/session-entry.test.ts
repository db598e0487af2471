/**
 * The test kit's session entries (packages/test-kit/src/events.ts) carry round metadata exactly as
 * the suite writes it: the kit may not import lib/, so it encodes on its own, and this test holds
 * its encoding to lib/flow/challenge-metadata.ts's, which parses it back to the same round.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sessionEntry } from "@cognito-passwordless/test-kit/events.ts";
import { type RoundMetadata, encodeRoundMetadata, parseRoundMetadata } from "../../../lib/flow/challenge-metadata.ts";

const ROUNDS: RoundMetadata[] = [
  { round: "SELECT_METHOD", nonce: "c2VsZWN0LW5vbmNl", passkeyChallenge: "Y2hhbGxlbmdl" },
  {
    round: "EMAIL_OTP",
    nonce: "ZW1haWwtbm9uY2U",
    codeId: "Y29kZS1pZA",
    codeHash: "aGFzaA",
    salt: "c2FsdA",
    expiresAt: Date.parse("2099-01-01T00:00:00Z"),
    destination: "j***@e***.com",
    codeLength: 6,
    sentTo: "c2VudC10bw",
    purpose: "sign-in",
  },
];

describe("the test kit's session entries", () => {
  for (const round of ROUNDS) {
    it(`write a ${round.round} round as encodeRoundMetadata does`, () => {
      const entry = sessionEntry(round, true);
      assert.equal(entry.challengeMetadata, encodeRoundMetadata(round));
      assert.deepEqual(parseRoundMetadata(entry.challengeMetadata), round);
      assert.deepEqual(
        { challengeName: entry.challengeName, challengeResult: entry.challengeResult },
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true },
      );
    });
  }
});
