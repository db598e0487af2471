/**
 * The request part shared by Define, Create and Verify events of a CUSTOM_AUTH sign-in.
 */
import { asRecord, readTriggerContext, stringMap, type TriggerContext } from "./read-event.ts";

export interface CustomAuthRequest extends TriggerContext {
  readonly userAttributes: Readonly<Record<string, string>>;
  /** RespondToAuthChallenge's ClientMetadata; InitiateAuth's never reaches these triggers. */
  readonly clientMetadata: Readonly<Record<string, string>> | undefined;
  /** True only when the app client has PreventUserExistenceErrors on and the user does not exist. */
  readonly userNotFound: boolean;
  readonly request: Record<string, unknown>;
}

export function readCustomAuthRequest(event: unknown): CustomAuthRequest {
  const context = readTriggerContext(event);
  const request = asRecord((event as Record<string, unknown>).request, "request");
  const hasMetadata = request.clientMetadata !== undefined && request.clientMetadata !== null;
  return {
    ...context,
    userAttributes: stringMap(request.userAttributes, "request.userAttributes"),
    clientMetadata: hasMetadata ? stringMap(request.clientMetadata, "request.clientMetadata") : undefined,
    userNotFound: request.userNotFound === true,
    request,
  };
}
