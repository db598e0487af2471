/**
 * Exceptions mean a bug, a misconfiguration or an outage; a rejected answer is a value, never one of these.
 * Each class carries a stable `code` that a log query can count.
 *
 * Each class also spells its `name` out as a literal: the bundles are minified (scripts/build.mjs),
 * which renames classes, so a name taken from the class itself (`new.target.name`) would reach the
 * logs as "z". test/template/error-names.test.ts checks the built bundles.
 */
export abstract class TriggerError extends Error {
  abstract readonly code: string;
  abstract override readonly name: string;
}

/** An environment variable is missing or holds something unusable. Thrown at cold start. */
export class ConfigError extends TriggerError {
  override readonly name = "ConfigError";
  readonly code = "CONFIG_INVALID";
}

/** The Cognito event does not have the shape this trigger needs. */
export class MalformedEventError extends TriggerError {
  override readonly name = "MalformedEventError";
  readonly code = "EVENT_MALFORMED";
}

/**
 * The combined function (TriggerLayout Combined) got an event it cannot route to a trigger: no
 * object, or a triggerSource none of its five triggers serves. Thrown, so Cognito fails the call.
 */
export class UnknownTriggerSourceError extends TriggerError {
  override readonly name = "UnknownTriggerSourceError";
  readonly code = "TRIGGER_SOURCE_UNKNOWN";
}

/** DynamoDB did not answer, or answered with an error that is not a business outcome. */
export class StoreUnavailableError extends TriggerError {
  override readonly name = "StoreUnavailableError";
  readonly code = "STORE_UNAVAILABLE";
}

/** SES or SNS refused or failed to take a message. */
export class DeliveryFailedError extends TriggerError {
  override readonly name = "DeliveryFailedError";
  readonly code = "DELIVERY_FAILED";
}

/** A Cognito admin call failed. */
export class CognitoCallFailedError extends TriggerError {
  override readonly name = "CognitoCallFailedError";
  readonly code = "COGNITO_CALL_FAILED";
}

/** A federated identity could not be linked to its native user; the sign-in fails and may be retried. */
export class LinkFailedError extends TriggerError {
  override readonly name = "LinkFailedError";
  readonly code = "LINK_FAILED";
}

/**
 * Not a fault: thrown by PreSignUp after it linked a federated identity, so that Cognito ends this
 * first sign-in with a recognisable message instead of carrying on to create a federated user
 * that now collides with the link ("Already found an entry for username …"). The app starts the
 * federated sign-in again and lands on the native user (see README, "Account linking").
 */
export class AccountLinkedError extends TriggerError {
  override readonly name = "AccountLinkedError";
  readonly code = "ACCOUNT_LINKED";
  constructor() {
    super("ACCOUNT_LINKED: this sign-in was linked to an existing account; sign in again to continue");
  }
}
