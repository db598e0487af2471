/**
 * PreSignUp and PreTokenGeneration events for fuzzing, built with packages/test-kit/src/events.ts and, in a
 * third of the runs, mutated. PreSignUp events may arrive with `response` already saying "verify
 * everything": a handler that returned the event without writing its own answer would be caught.
 */
import fc from "fast-check";
import type { PreSignUpTriggerEvent, PreTokenGenerationTriggerEvent, PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { CLIENT_ID, USER_NAME, preSignUpEvent, preTokenEventV1, preTokenEventV2 } from "@cognito-passwordless/test-kit/events.ts";
import { emailAddress, phoneNumber, userAttributes, wellFormedClientMetadata } from "./event-parts.ts";
import { hostileString, trickyString } from "./hostile-strings.ts";
import { unprintableObject, wrongTypeValue } from "./hostile-values.ts";
import { ownProperties } from "./json-bombs.ts";
import { mutated } from "./mutate-event.ts";

const SIGN_UP_SOURCES = ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"] as const;

/** What a sloppy caller, or a previous trigger, may have left in `response`. */
const SIGN_UP_RESPONSES = [
  { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
  null,
];

/** Federated user names as Cognito makes them (`<provider>_<subject>`), for trusted and untrusted providers. */
function federatedUserName(): fc.Arbitrary<string> {
  const subject = fc.oneof(fc.constantFrom("1073167912395", "a_b_c", "x"), trickyString(), hostileString());
  const provider = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("Google", "google", "GOOGLE", "Descope") },
    { weight: 1, arbitrary: fc.constantFrom("Facebook", "Cognito", "") },
  );
  return fc.tuple(provider, subject).map(([name, id]) => `${name}_${id}`);
}

/** Attributes an IdP asserts: an address it may or may not say it verified. */
function federatedAttributes(): fc.Arbitrary<unknown> {
  const verifiedFlag = fc.oneof({ weight: 3, arbitrary: fc.constant("true") }, { weight: 2, arbitrary: fc.constantFrom("false", "True", "1", undefined) });
  const asserted = fc
    .record({ email: emailAddress(), email_verified: verifiedFlag, phone_number: phoneNumber(), phone_number_verified: verifiedFlag }, { requiredKeys: [] })
    .map((attributes) => ownProperties(Object.entries(attributes).filter(([, value]) => value !== undefined)));
  return fc.oneof({ weight: 4, arbitrary: asserted }, { weight: 1, arbitrary: userAttributes() });
}

export function preSignUpCase(): fc.Arbitrary<PreSignUpTriggerEvent> {
  const built = fc
    .record({
      source: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...SIGN_UP_SOURCES) },
        { weight: 1, arbitrary: fc.constantFrom("PreSignUp_signup", "PostConfirmation_ConfirmSignUp", "") },
      ),
      federatedName: federatedUserName(),
      attributes: federatedAttributes(),
      validationData: fc.oneof(fc.constant(undefined), wellFormedClientMetadata(), wrongTypeValue()),
      clientMetadata: wellFormedClientMetadata(),
      response: fc.constantFrom(...SIGN_UP_RESPONSES),
    })
    .map(({ source, federatedName, attributes, validationData, clientMetadata, response }) => {
      const event = preSignUpEvent(source as (typeof SIGN_UP_SOURCES)[number], {
        userName: source === "PreSignUp_ExternalProvider" ? federatedName : USER_NAME,
        userAttributes: attributes as Record<string, string>,
        ...(validationData === undefined ? {} : { validationData: validationData as Record<string, string> }),
        ...(clientMetadata === undefined ? {} : { clientMetadata }),
      });
      return { ...event, response } as unknown as PreSignUpTriggerEvent;
    });
  return fc.oneof({ weight: 2, arbitrary: built }, { weight: 1, arbitrary: mutated(built) as fc.Arbitrary<PreSignUpTriggerEvent> });
}

export type TokenEvent = PreTokenGenerationTriggerEvent | PreTokenGenerationV2TriggerEvent;

const TOKEN_SOURCES = [
  "TokenGeneration_Authentication",
  "TokenGeneration_RefreshTokens",
  "TokenGeneration_HostedAuth",
  "TokenGeneration_NewPasswordChallenge",
  "TokenGeneration_AuthenticateDevice",
];

export function preTokenCase(): fc.Arbitrary<TokenEvent> {
  const built = fc
    .record({
      version: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom("1", "2", "3") },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom("9", "", 1, 2, null, "1 "), unprintableObject()) },
      ),
      // Sign-ins (the only source that may get claims) half the time.
      source: fc.oneof(
        { weight: 6, arbitrary: fc.constant(TOKEN_SOURCES[0] as string) },
        { weight: 5, arbitrary: fc.constantFrom(...TOKEN_SOURCES.slice(1)) },
        { weight: 1, arbitrary: fc.constantFrom("tokengeneration_authentication", "TokenGeneration_Authentication\u0000", "") },
      ),
      clientId: fc.oneof({ weight: 5, arbitrary: fc.constant(CLIENT_ID) }, { weight: 1, arbitrary: fc.constantFrom("another-client", `${CLIENT_ID} `) }),
      // What an app might send hoping to choose its own claims: it must change nothing.
      clientMetadata: fc.oneof(
        wellFormedClientMetadata(),
        fc.constantFrom({ auth_methods: "swk", auth_level: "urn:cognito:loa:3" }, { amr: "hwk", acr: "urn:cognito:loa:3", "cognito:groups": "admin" }),
      ),
      attributes: userAttributes(),
    })
    .map(({ version, source, clientId, clientMetadata, attributes }) => {
      const options = { userAttributes: attributes as Record<string, string>, ...(clientMetadata === undefined ? {} : { clientMetadata }) };
      const event = version === "1" ? preTokenEventV1(source, options) : preTokenEventV2(source, options);
      return { ...event, version, callerContext: { ...event.callerContext, clientId } } as unknown as TokenEvent;
    });
  return fc.oneof({ weight: 2, arbitrary: built }, { weight: 1, arbitrary: mutated(built) as fc.Arbitrary<TokenEvent> });
}
