/**
 * The request part of a PreSignUp event that the handler reads: the new user's attributes, which
 * only a federated sign-up (PreSignUp_ExternalProvider) needs, to find the native user to link to.
 */
import { asRecord, stringMap } from "./read-event.ts";

/** The event's `request.userAttributes` as a string map; a request that is not an object is a MalformedEventError. */
export function readSignUpUserAttributes(event: unknown): Readonly<Record<string, string>> {
  const request = asRecord(asRecord(event, "event").request, "request");
  return stringMap(request.userAttributes, "request.userAttributes");
}
