/**
 * The request part of Define, Create and Verify events of a CUSTOM_AUTH sign-in, read into the
 * typed fields each of those handlers needs: the shared context and, per trigger, the session's
 * rounds (Define, Create) or the private parameters and the answer (Verify). A field of the wrong
 * shape is a MalformedEventError; what a handler does about one is the handler's decision.
 */
import { type ParsedSession, parseSession } from "../flow/session.ts";
import { asRecord, readTriggerContext, stringMap, type TriggerContext } from "./read-event.ts";

export interface CustomAuthRequest extends TriggerContext {
  readonly userAttributes: Readonly<Record<string, string>>;
  /** RespondToAuthChallenge's ClientMetadata; InitiateAuth's never reaches these triggers. */
  readonly clientMetadata: Readonly<Record<string, string>> | undefined;
  /** True only when the app client has PreventUserExistenceErrors on and the user does not exist. */
  readonly userNotFound: boolean;
}

/** DefineAuthChallenge and CreateAuthChallenge: the rounds so far, from Cognito's `session[]`. */
export interface SessionRequest extends CustomAuthRequest {
  /**
   * The session parsed into this suite's rounds, or why it could not be: a session that is no
   * array or holds a round this suite did not create is not thrown here, since Define answers it
   * by failing the sign-in and Create by refusing the event.
   */
  readonly session: ParsedSession;
}

/** VerifyAuthChallengeResponse: what Create left for Verify, and the app's answer. */
export interface AnswerRequest extends CustomAuthRequest {
  /** Create's private challenge parameters (Verify sees no session): where the round's facts are. */
  readonly privateChallengeParameters: Readonly<Record<string, string>>;
  /** RespondToAuthChallenge's ANSWER as Cognito passes it: untrusted, of any type. */
  readonly challengeAnswer: unknown;
}

function readRequest(event: unknown): { request: Record<string, unknown>; common: CustomAuthRequest } {
  const context = readTriggerContext(event);
  const request = asRecord((event as Record<string, unknown>).request, "request");
  const hasMetadata = request.clientMetadata !== undefined && request.clientMetadata !== null;
  return {
    request,
    common: {
      ...context,
      userAttributes: stringMap(request.userAttributes, "request.userAttributes"),
      clientMetadata: hasMetadata ? stringMap(request.clientMetadata, "request.clientMetadata") : undefined,
      userNotFound: request.userNotFound === true,
    },
  };
}

/** A DefineAuthChallenge event: the shared fields and the session's rounds. */
export function readDefineAuthChallengeRequest(event: unknown): SessionRequest {
  const { request, common } = readRequest(event);
  return { ...common, session: parseSession(request.session) };
}

/** A CreateAuthChallenge event: the same fields as Define's, since Create builds the round Define asked for. */
export function readCreateAuthChallengeRequest(event: unknown): SessionRequest {
  return readDefineAuthChallengeRequest(event);
}

/** A VerifyAuthChallengeResponse event: the shared fields, the private parameters (a string map) and the answer. */
export function readVerifyAuthChallengeRequest(event: unknown): AnswerRequest {
  const { request, common } = readRequest(event);
  return {
    ...common,
    // Private parameters that are not a string map are a malformed event too.
    privateChallengeParameters: stringMap(request.privateChallengeParameters, "request.privateChallengeParameters"),
    challengeAnswer: request.challengeAnswer,
  };
}
