/**
 * Define, Create and Verify events for fuzzing: built with the factories of packages/test-kit/src/events.ts
 * from realistic sessions and rounds and realistic or hostile users, then, in two runs of five,
 * mutated anywhere.
 */
import fc from "fast-check";
import type { CreateAuthChallengeTriggerEvent, DefineAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import { challengeParameters } from "../../../lib/flow/challenge-parameters.ts";
import type { RoundMetadata } from "../../../lib/flow/challenge-metadata.ts";
import type { FlowConfig } from "../../../lib/config.ts";
import { type SessionEntry, createEvent, defineEvent, sessionEntry, verifyEvent } from "@cognito-passwordless/test-kit/events.ts";
import { type EventOptions, eventOptions, wellFormedClientMetadata } from "./event-parts.ts";
import { applyMutations, mutated, mutation } from "./mutate-event.ts";
import { nearMissesOf } from "./challenge-answers.ts";
import { codeRound, digits, issuedCodeRound, registrationRound, selectMethodRound } from "./round-metadata.ts";
import { brokenSession } from "./broken-sessions.ts";
import { randomSession, signInSession, tamperedSignInSession } from "./sessions.ts";

/** The flow every fuzzed function runs with: all three methods, default limits. */
export const FUZZ_FLOW: FlowConfig = { signInMethods: ["PASSKEY", "EMAIL_OTP", "SMS_OTP"], codeMaxAttempts: 3, registrationMaxAttempts: 2 };

/** Most runs keep the event as built, to reach deep into the handler; the rest drop, replace or add fields anywhere in it. */
function sometimesMutated<T>(event: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: event }, { weight: 2, arbitrary: mutated(event) as fc.Arbitrary<T> });
}

export interface DefineCase {
  /** "broken-session": an entry this suite did not write, so the sign-in must fail. */
  readonly kind: "broken-session" | "any";
  readonly event: DefineAuthChallengeTriggerEvent;
}

/** Define events whose session is broken (must fail) or random and possibly mutated (must not issue tokens unearned). */
export function defineCase(): fc.Arbitrary<DefineCase> {
  const broken = fc
    .tuple(brokenSession(), eventOptions())
    .map(([session, options]): DefineCase => ({ kind: "broken-session", event: defineEvent(session as SessionEntry[], options) }));
  // A sign-in's own client metadata half the time, so "register a passkey" meets the sessions it matters for.
  const sessionCase = fc.oneof(
    randomSession().map((session) => ({ session, clientMetadata: undefined })),
    signInSession(),
    tamperedSignInSession(),
  );
  const any = sometimesMutated(
    fc
      .tuple(sessionCase, eventOptions(), fc.boolean())
      .map(([{ session, clientMetadata }, options, ownMetadata]) =>
        defineEvent(session as SessionEntry[], ownMetadata && clientMetadata !== undefined ? { ...options, clientMetadata } : options),
      ),
  ).map((event): DefineCase => ({ kind: "any", event }));
  return fc.oneof(broken, any);
}

/** A real sign-in's session after its last correct answer, with realistic parts: Define must issue tokens. */
export function earnedDefineEvent(): fc.Arbitrary<DefineAuthChallengeTriggerEvent> {
  return signInSession().map(({ session, clientMetadata: metadata }) =>
    defineEvent(session as SessionEntry[], metadata === undefined ? {} : { clientMetadata: metadata }),
  );
}

/**
 * Create events: the first round, a code round chosen in SELECT_METHOD, a retry of a code round,
 * an enrolment round, and random or broken sessions, with realistic or hostile users.
 */
export function createCase(): fc.Arbitrary<CreateAuthChallengeTriggerEvent> {
  const chosenMethod = fc.constantFrom("EMAIL_OTP", "SMS_OTP");
  const withMetadata = (options: EventOptions, extra: Record<string, string>): EventOptions => {
    const given = options.clientMetadata;
    const base = typeof given === "object" && given !== null && !Array.isArray(given) ? given : {};
    return { ...options, clientMetadata: { ...base, ...extra } };
  };
  // Weighted towards the code round, the one that sends a message.
  const realistic = fc.oneof(
    { weight: 1, arbitrary: eventOptions().map((options) => createEvent([], options)) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(selectMethodRound(), chosenMethod, eventOptions())
        .map(([select, method, options]) => createEvent([sessionEntry(select, false)], withMetadata(options, { signInMethod: method }))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(selectMethodRound(), codeRound({ expiry: "live" }), eventOptions())
        .map(([select, code, options]) => createEvent([sessionEntry(select, false), sessionEntry(code, false)], options)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(selectMethodRound(), eventOptions())
        .map(([select, options]) => createEvent([sessionEntry(select, true)], withMetadata(options, { registerPasskey: "true" }))),
    },
  );
  const odd = fc
    .tuple(fc.oneof(randomSession(), brokenSession() as fc.Arbitrary<SessionEntry[]>), eventOptions())
    .map(([session, options]) => createEvent(session, options));
  return sometimesMutated(fc.oneof({ weight: 4, arbitrary: realistic }, { weight: 1, arbitrary: odd }));
}

export interface VerifyCase {
  readonly event: VerifyAuthChallengeResponseTriggerEvent;
  /** The round the private parameters were made from (before any mutation). */
  readonly round: RoundMetadata;
  /** The code the round was issued for, when it is a code round that was really sent ("" otherwise). */
  readonly code: string;
}

function privateParameters(round: RoundMetadata): Record<string, string> {
  return challengeParameters(round, FUZZ_FLOW).privateChallengeParameters;
}

/** Every kind of round Verify may be asked about, with the code of a code round. */
function roundWithCode(): fc.Arbitrary<{ round: RoundMetadata; code: string }> {
  return fc.oneof(
    issuedCodeRound({ expiry: "any" }).map(({ metadata, code }) => ({ round: metadata as RoundMetadata, code })),
    selectMethodRound().map((round) => ({ round: round as RoundMetadata, code: "" })),
    registrationRound().map((round) => ({ round: round as RoundMetadata, code: "" })),
  );
}

/**
 * How a run answers: something from `garbage`, a near miss of the round's code, a code of the
 * right length, or the round's own code (right only if the round is live, real and the user's).
 */
type AnswerChoice = { readonly garbage: unknown } | { readonly nearMiss: number } | { readonly sameLength: string } | { readonly ownCode: true };

function answerFor(round: RoundMetadata, code: string, choice: AnswerChoice): unknown {
  if ("garbage" in choice) return choice.garbage;
  const length = "codeLength" in round ? round.codeLength : 6;
  if ("sameLength" in choice) return choice.sameLength.slice(0, length);
  // A round without a code (a decoy, the method choice, an enrolment) gets a well-formed code all the same.
  if (code === "") return "0".repeat(length);
  if ("ownCode" in choice) return code;
  const misses = nearMissesOf(code);
  return misses[choice.nearMiss % misses.length];
}

/**
 * Verify events for any round, possibly mutated, answered with `garbage`, a near miss of the
 * round's code, a random code of the round's length (which reaches the hash comparison), or the
 * round's own code (which an expired or decoy round, an unknown user or a mutated event must refuse).
 */
export function verifyCase(garbage: fc.Arbitrary<unknown>): fc.Arbitrary<VerifyCase> {
  const choice: fc.Arbitrary<AnswerChoice> = fc.oneof(
    { weight: 4, arbitrary: garbage.map((value) => ({ garbage: value })) },
    { weight: 1, arbitrary: fc.nat().map((nearMiss) => ({ nearMiss })) },
    { weight: 1, arbitrary: digits(10).map((sameLength) => ({ sameLength })) },
    { weight: 1, arbitrary: fc.constant({ ownCode: true as const }) },
  );
  const built = fc.tuple(roundWithCode(), choice, eventOptions()).map(([{ round, code }, answer, options]) => ({
    event: verifyEvent(privateParameters(round), answerFor(round, code, answer), options),
    round,
    code,
  }));
  // The mutation reaches the event only; the round and code stay what the oracle needs.
  return fc.oneof(
    { weight: 3, arbitrary: built },
    {
      weight: 2,
      arbitrary: fc
        .tuple(built, fc.array(mutation(), { minLength: 1, maxLength: 3 }))
        .map(([{ event, ...rest }, mutations]) => ({ ...rest, event: applyMutations(event, mutations) as VerifyAuthChallengeResponseTriggerEvent })),
    },
  );
}

/** A live code round answered with its own code by the user it was sent to: Verify must accept. */
export function rightCodeEvent(): fc.Arbitrary<{ event: VerifyAuthChallengeResponseTriggerEvent; code: string }> {
  return fc.tuple(issuedCodeRound({ expiry: "live", decoys: false }), wellFormedClientMetadata()).map(([{ metadata, code }, metadataValue]) => ({
    event: verifyEvent(privateParameters(metadata), code, metadataValue === undefined ? {} : { clientMetadata: metadataValue }),
    code,
  }));
}
