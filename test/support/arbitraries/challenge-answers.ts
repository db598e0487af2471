/**
 * ANSWERs an app could send to RespondToAuthChallenge, none of them right: random and hostile
 * text, JSON of the wrong shape, JSON bombs, numbers written every way but the plain one, codes
 * that are almost the code, and passkey answers that look like WebAuthn JSON but carry garbage.
 */
import fc from "fast-check";
import { hostileString, trickyString } from "./hostile-strings.ts";
import { awkwardNumber, hostileObject, wrongTypeValue } from "./hostile-values.ts";
import { AWKWARD_NUMBERS_JSON, jsonBombText } from "./json-bombs.ts";

/** The protocol's own words, which are answers only where the protocol says so. */
export const PROTOCOL_WORDS: readonly string[] = ["PASSKEY", "EMAIL_OTP", "SMS_OTP", "SKIP", "skip", "Skip", " SKIP", "SKIP\u0000", "true", "null", ""];

/** Answers that a lenient number parser would read as a code. */
export function numberLikeAnswer(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...AWKWARD_NUMBERS_JSON, "000000", "123456", "999999", " 123456", "123456 ", "123 456", "+123456", "-123456", "１２３４５６", "٠١٢٣٤٥"),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 12 }).map((values) => values.join("")),
    awkwardNumber().map(String),
  );
}

/** The right code, spelled in every way that is not exactly the right code. */
export function nearMissesOf(code: string): string[] {
  const fullwidth = [...code].map((digit) => String.fromCharCode(0xff10 + Number(digit))).join("");
  const arabicIndic = [...code].map((digit) => String.fromCharCode(0x0660 + Number(digit))).join("");
  const changedLast = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
  return [
    ` ${code}`,
    `${code} `,
    `${code}\n`,
    `${code}\u0000`,
    `\u200B${code}`,
    `+${code}`,
    `-${code}`,
    `${code}.0`,
    `${code}0`,
    code.slice(1),
    code.slice(0, -1),
    `${code}${code}`,
    fullwidth,
    arabicIndic,
    changedLast,
    [...code].reverse().join("") === code ? changedLast : [...code].reverse().join(""),
    JSON.stringify(code),
    JSON.stringify({ code }),
  ];
}

/** Text that looks like base64url to a glance and is not, or is but decodes to nothing useful. */
export function garbageBase64(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.base64String({ maxLength: 64 }),
    fc.uint8Array({ maxLength: 96 }).map((bytes) => Buffer.from(bytes).toString("base64url")),
    fc.constantFrom("", "=", "====", "A", "AA==", "-_-_", "not base64!", "A".repeat(16_385), "\uD800AAAA"),
    trickyString(),
    fc.constantFrom(null, 0, [], {}),
  );
}

export interface PasskeyLookingOptions {
  /** Credential ids the store knows, so some answers reach signature verification. */
  readonly knownCredentialIds?: readonly string[];
}

/** JSON with the fields of a WebAuthn response (assertion or registration), each garbage. */
export function passkeyLookingAnswer(options: PasskeyLookingOptions = {}): fc.Arbitrary<string> {
  const known = options.knownCredentialIds ?? [];
  const credentialId = known.length === 0 ? garbageBase64() : fc.oneof(fc.constantFrom(...known), garbageBase64());
  const fields = fc.record(
    {
      id: credentialId,
      rawId: credentialId,
      type: fc.oneof(fc.constant("public-key"), fc.constantFrom("", "Public-Key", null)),
      authenticatorAttachment: fc.constantFrom("platform", "cross-platform", null, "usb", 1),
      clientExtensionResults: fc.oneof(fc.constant({}), hostileObject()),
      response: fc.record(
        {
          clientDataJSON: garbageBase64(),
          authenticatorData: garbageBase64(),
          signature: garbageBase64(),
          userHandle: fc.oneof(garbageBase64(), fc.constant(null)),
          attestationObject: garbageBase64(),
          transports: fc.oneof(fc.array(fc.constantFrom("internal", "hybrid", "usb", "Internal", "", "x".repeat(40)), { maxLength: 10 }), fc.constant("usb")),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ["response"] },
  );
  // Half of them use the same id twice, as a real client does, so they pass the first checks.
  return fc.tuple(fields, fc.boolean()).map(([answer, sameIds]) => JSON.stringify(sameIds ? { ...answer, rawId: answer.id } : answer));
}

/** Any wrong ANSWER. Non-strings included: Cognito sends a string, but a handler must not care. */
export function garbageAnswer(options: PasskeyLookingOptions = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: hostileString() },
    { weight: 2, arbitrary: numberLikeAnswer() },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOCOL_WORDS) },
    { weight: 2, arbitrary: jsonBombText() },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 4, arbitrary: passkeyLookingAnswer(options) },
    { weight: 1, arbitrary: wrongTypeValue() },
  );
}
