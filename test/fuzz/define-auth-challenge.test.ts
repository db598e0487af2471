/**
 * Fuzzing DefineAuthChallenge (functions/define-auth-challenge/index.ts) with broken, random and
 * mutated sessions and hostile events. Define decides whether tokens are issued, so its oracle is
 * docs/protocol.md's rule restated independently of lib/flow: tokens only after a factor the server
 * verified, in a session made only of this suite's rounds, and client metadata never skips a round.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";
import fc from "fast-check";
import { ROUNDS } from "@cognito-passwordless/protocol";
import { defineCase, earnedDefineEvent } from "../support/arbitraries/custom-auth-events.ts";
import { copyJson } from "../support/arbitraries/copy-json.ts";
import { setFunctionEnv } from "../support/function-env.ts";
import type { LogCapture } from "../support/log-capture.ts";
import { captureFuzzLogs } from "./fuzz-logs.ts";
import { CONTROL_RUNS, fuzz } from "./fuzz-run.ts";
import { answered, callHandler, timingSummary } from "./handler-invariants.ts";

type Define = (event: DefineAuthChallengeTriggerEvent) => Promise<DefineAuthChallengeTriggerEvent>;
let define: Define;
let logs: LogCapture;

before(async () => {
  // Logging at DEBUG (function-env's level), so every log line that carries event data is written too.
  setFunctionEnv({ SIGN_IN_METHODS: "PASSKEY,EMAIL_OTP,SMS_OTP" });
  define = (await import("../../functions/define-auth-challenge/index.ts")).handler as Define;
  logs = captureFuzzLogs();
});
after(() => logs.stop());

const call = (event: DefineAuthChallengeTriggerEvent) => callHandler(define, event, { beforeCall: () => logs.clear() });

/** The longest legitimate session with the default limits: method choice, 3 code attempts, 2 enrolment attempts. */
const MAX_SESSION = 6;
const FACTOR_ROUNDS = new Set(["SELECT_METHOD", "EMAIL_OTP", "SMS_OTP"]);

/** The round name an entry says it holds, if it is shaped like one of ours; undefined otherwise. */
function roundOf(entry: unknown): string | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const { challengeName, challengeResult, challengeMetadata } = entry as Record<string, unknown>;
  if (challengeName !== "CUSTOM_CHALLENGE" || typeof challengeResult !== "boolean" || typeof challengeMetadata !== "string") return undefined;
  try {
    const round = (JSON.parse(challengeMetadata) as Record<string, unknown>)["round"];
    return (ROUNDS as readonly unknown[]).includes(round) ? (round as string) : undefined;
  } catch {
    return undefined;
  }
}

/** Why tokens may be issued for this event (docs/protocol.md, Tokens), or a failure saying which rule was broken. */
function assertTokensEarned(event: DefineAuthChallengeTriggerEvent): void {
  const session: unknown = (event.request as { session?: unknown }).session;
  assert.ok(Array.isArray(session), "tokens were issued without a session array");
  const entries = session as { challengeResult: boolean }[];
  const rounds = entries.map(roundOf);
  assert.ok(
    rounds.every((round) => round !== undefined),
    "tokens were issued for a session holding an entry this suite did not write",
  );
  assert.ok(entries.length <= MAX_SESSION, `tokens were issued after ${entries.length} rounds`);
  assert.equal(rounds[0], "SELECT_METHOD", "tokens were issued for a session that did not start by choosing a method");
  assert.ok(
    entries.some((entry, index) => entry.challengeResult && FACTOR_ROUNDS.has(rounds[index] as string)),
    "tokens were issued with no verified factor in the session",
  );
  const last = entries.length - 1;
  assert.ok(
    entries[last]?.challengeResult === true || rounds[last] === "PASSKEY_REGISTRATION",
    "tokens were issued after a wrong answer that was not a declined enrolment",
  );
}

function assertOneAnswer(response: DefineAuthChallengeTriggerEvent["response"]): void {
  const answer = { issueTokens: response.issueTokens, failAuthentication: response.failAuthentication };
  assert.ok(
    [
      { issueTokens: true, failAuthentication: false },
      { issueTokens: false, failAuthentication: true },
      { issueTokens: false, failAuthentication: false },
    ].some((allowed) => allowed.issueTokens === answer.issueTokens && allowed.failAuthentication === answer.failAuthentication),
    `Define answered ${JSON.stringify(answer)}`,
  );
  if (!response.issueTokens && !response.failAuthentication) assert.equal(response.challengeName, "CUSTOM_CHALLENGE");
}

describe("fuzzing DefineAuthChallenge", () => {
  after(() => console.log(timingSummary()));
  it("never throws, fails every session it did not write, and issues tokens only when a factor was verified", async (t) => {
    await fuzz(
      t,
      fc.asyncProperty(defineCase(), async ({ kind, event }) => {
        const { response } = answered(await call(event), "Define must answer every event");
        assertOneAnswer(response);
        if (kind === "broken-session") {
          assert.deepEqual([response.issueTokens, response.failAuthentication], [false, true], "a session this suite did not write must fail");
        }
        if (!response.issueTokens) return;
        assertTokensEarned(event);
        // Client metadata may choose the next round, never skip one: without it, tokens are still due.
        const request = copyJson(event.request) as unknown as Record<string, unknown>;
        delete request["clientMetadata"];
        const again = answered(await call({ ...event, request } as DefineAuthChallengeTriggerEvent), "Define must answer without client metadata");
        assert.equal(again.response.issueTokens, true, "tokens were issued only because of what the client metadata said");
      }),
    );
  });

  it("positive control: issues tokens after each real sign-in path (passkey, code after retries, enrolment)", async (t) => {
    await fuzz(
      t,
      fc.asyncProperty(earnedDefineEvent(), async (event) => {
        const { response } = answered(await call(event), "Define must answer a real sign-in");
        assert.deepEqual([response.issueTokens, response.failAuthentication], [true, false]);
      }),
      CONTROL_RUNS,
    );
  });
});
