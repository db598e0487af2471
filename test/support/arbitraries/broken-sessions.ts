/**
 * Sessions holding at least one entry this suite cannot have written (a foreign challenge name, a
 * result that is not a boolean, metadata that is not one of our rounds), or no array at all.
 * Define must end the sign-in for every one of them.
 */
import fc from "fast-check";
import type { RoundMetadata } from "../../../lib/flow/challenge-metadata.ts";
import type { SessionEntry } from "@cognito-passwordless/test-kit/events.ts";
import { hostileString } from "./hostile-strings.ts";
import { jsonBombText } from "./json-bombs.ts";
import { randomSession, signInSession } from "./sessions.ts";

/** For each required field of a round, values it can never hold in a round this suite wrote. */
const IMPOSSIBLE_FIELD_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  nonce: [null, "", 1, [], {}, "n".repeat(65)],
  codeId: [null, "", 1, "c".repeat(65)],
  codeHash: [null, 1, "h".repeat(129)],
  expiresAt: ["2030-01-01T00:00:00Z", null, [], "1"],
  codeLength: ["6", 6.5, null],
  challenge: [null, "", 1, "c".repeat(129)],
};

const REQUIRED_FIELDS: Readonly<Record<RoundMetadata["round"], readonly string[]>> = {
  SELECT_METHOD: ["nonce"],
  PASSKEY_REGISTRATION: ["nonce", "challenge"],
  EMAIL_OTP: ["nonce", "codeId", "codeHash", "expiresAt", "codeLength"],
  SMS_OTP: ["nonce", "codeId", "codeHash", "expiresAt", "codeLength"],
};

/** One way to break an entry so no real session could hold it; drawn on its own, applied to whichever entry is picked. */
type Breakage =
  | { readonly kind: "name" | "result" | "metadata" | "not-an-entry"; readonly value: unknown }
  | { readonly kind: "metadata-as-object" | "metadata-in-array" | "padded" }
  | { readonly kind: "round-name"; readonly value: unknown }
  | { readonly kind: "impossible-field"; readonly field: number; readonly value: number }
  | { readonly kind: "missing-field"; readonly field: number };

function breakage(): fc.Arbitrary<Breakage> {
  return fc.oneof(
    fc.record({
      kind: fc.constant("name" as const),
      value: fc.constantFrom("SRP_A", "PASSWORD_VERIFIER", "custom_challenge", "CUSTOM_CHALLENGE ", "", null, 1),
    }),
    fc.record({ kind: fc.constant("result" as const), value: fc.constantFrom("true", "false", 1, 0, null, undefined, [], {}) }),
    // Cognito's own "no metadata", other JSON types, and text that is not JSON of ours.
    fc.record({
      kind: fc.constant("metadata" as const),
      value: fc.oneof(
        fc.constantFrom(null, undefined, 42, true, ""),
        jsonBombText(),
        hostileString().filter((text) => !text.trimStart().startsWith("{")),
      ),
    }),
    fc.record({ kind: fc.constantFrom("metadata-as-object" as const, "metadata-in-array" as const, "padded" as const) }),
    fc.record({ kind: fc.constant("round-name" as const), value: fc.constantFrom("select_method", "SELECT_METHOD ", "EMAIL_OTP\u0000", "PASSKEY", "", null) }),
    fc.record({ kind: fc.constant("impossible-field" as const), field: fc.nat(), value: fc.nat() }),
    fc.record({ kind: fc.constant("missing-field" as const), field: fc.nat() }),
    fc.record({ kind: fc.constant("not-an-entry" as const), value: fc.constantFrom(null, "CUSTOM_CHALLENGE", 0, true, ["CUSTOM_CHALLENGE", false, "{}"]) }),
  );
}

function breakEntry(entry: SessionEntry, how: Breakage): unknown {
  const round = JSON.parse(entry.challengeMetadata) as Record<string, unknown>;
  const required = REQUIRED_FIELDS[round["round"] as RoundMetadata["round"]];
  const withMetadata = (challengeMetadata: unknown) => ({ ...entry, challengeMetadata });
  switch (how.kind) {
    case "name":
      return { ...entry, challengeName: how.value };
    case "result":
      return { ...entry, challengeResult: how.value };
    case "metadata":
      return withMetadata(how.value);
    case "metadata-as-object":
      return withMetadata(round);
    case "metadata-in-array":
      return withMetadata([entry.challengeMetadata]);
    // Ours, but longer than any round this suite writes.
    case "padded":
      return withMetadata(JSON.stringify({ ...round, padding: "x".repeat(3000) }));
    case "round-name":
      return withMetadata(JSON.stringify({ ...round, round: how.value }));
    case "impossible-field": {
      const field = required[how.field % required.length] as string;
      const values = IMPOSSIBLE_FIELD_VALUES[field] ?? [null];
      return withMetadata(JSON.stringify({ ...round, [field]: values[how.value % values.length] }));
    }
    case "missing-field": {
      const { [required[how.field % required.length] as string]: _dropped, ...rest } = round;
      return withMetadata(JSON.stringify(rest));
    }
    case "not-an-entry":
      return how.value;
  }
}

/** A session with at least one entry this suite did not write, or no array at all. */
export function brokenSession(): fc.Arbitrary<unknown> {
  const base = fc
    .oneof(
      signInSession().map(({ session }) => session as SessionEntry[]),
      randomSession(),
    )
    .filter((session) => session.length > 0);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(base, fc.nat(), breakage())
        .map(([session, pick, how]) => session.map((entry, at) => (at === pick % session.length ? breakEntry(entry, how) : entry))),
    },
    { weight: 1, arbitrary: base.map((session) => ({ ...session, length: session.length })) },
    { weight: 1, arbitrary: fc.constantFrom(null, "[]", 0, {}, true) },
  );
}
