/**
 * Exceptions mean a bug, a misconfiguration or an outage; a rejected answer is a value, never one of these.
 * Each class carries a stable `code` that a log query can count.
 *
 * Each class also spells its `name` out as a literal: the bundles are minified (scripts/build.mjs),
 * which renames classes, so a name taken from the class itself (`new.target.name`) would reach the
 * logs as "z". test/template/error-names.test.ts checks the built bundles.
 */
/**
 * Marks a TriggerError. A function's lazy part is a bundle of its own (scripts/build.mjs, "parts")
 * with its own copy of this module, so an error it throws is an instance of the other copy's
 * classes; the registered symbol is the same in both, and `instanceof` below checks it.
 */
const TRIGGER_ERROR = Symbol.for("cognito-passwordless.TriggerError");

function isTriggerErrorOf(errorClass: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(errorClass, value)) return true;
  if (typeof value !== "object" || value === null || (value as { [TRIGGER_ERROR]?: unknown })[TRIGGER_ERROR] !== true) return false;
  if (errorClass === TriggerError) return true;
  return Object.hasOwn(errorClass, "code") && (value as { code?: unknown }).code === (errorClass as unknown as { code: unknown }).code;
}

export abstract class TriggerError extends Error {
  abstract readonly code: string;
  abstract override readonly name: string;
  readonly [TRIGGER_ERROR] = true;

  /**
   * `error instanceof StoreUnavailableError` holds for this module's class and for the same class
   * of another copy: a marked error whose code is the class's own static code. TriggerError itself
   * matches every marked error. A plain object with the right `code` is no instance: the marker
   * is a registered symbol, which JSON cannot carry.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, a subclass as often as not.
    return isTriggerErrorOf(this, value);
  }
}

/** An environment variable is missing or holds something unusable. Thrown at cold start. */
export class ConfigError extends TriggerError {
  override readonly name = "ConfigError";
  static readonly code = "CONFIG_INVALID";
  readonly code = ConfigError.code;
}

/** The Cognito event does not have the shape this trigger needs. */
export class MalformedEventError extends TriggerError {
  override readonly name = "MalformedEventError";
  static readonly code = "EVENT_MALFORMED";
  readonly code = MalformedEventError.code;
}

/**
 * The combined function (TriggerLayout Combined) got an event it cannot route to a trigger: no
 * object, or a triggerSource none of its five triggers serves. Thrown, so Cognito fails the call.
 */
export class UnknownTriggerSourceError extends TriggerError {
  override readonly name = "UnknownTriggerSourceError";
  static readonly code = "TRIGGER_SOURCE_UNKNOWN";
  readonly code = UnknownTriggerSourceError.code;
}

/** DynamoDB did not answer, or answered with an error that is not a business outcome. */
export class StoreUnavailableError extends TriggerError {
  override readonly name = "StoreUnavailableError";
  static readonly code = "STORE_UNAVAILABLE";
  readonly code = StoreUnavailableError.code;
}

/** SES or SNS refused or failed to take a message. */
export class DeliveryFailedError extends TriggerError {
  override readonly name = "DeliveryFailedError";
  static readonly code = "DELIVERY_FAILED";
  readonly code = DeliveryFailedError.code;
}

/** A Cognito admin call failed. */
export class CognitoCallFailedError extends TriggerError {
  override readonly name = "CognitoCallFailedError";
  static readonly code = "COGNITO_CALL_FAILED";
  readonly code = CognitoCallFailedError.code;
}

/** A federated identity could not be linked to its native user; the sign-in fails and may be retried. */
export class LinkFailedError extends TriggerError {
  override readonly name = "LinkFailedError";
  static readonly code = "LINK_FAILED";
  readonly code = LinkFailedError.code;
}

/**
 * Not a fault: thrown by PreSignUp after it linked a federated identity, so that Cognito ends this
 * first sign-in with a recognisable message instead of carrying on to create a federated user
 * that now collides with the link ("Already found an entry for username …"). The app starts the
 * federated sign-in again and lands on the native user (see README, "Account linking").
 */
export class AccountLinkedError extends TriggerError {
  override readonly name = "AccountLinkedError";
  static readonly code = "ACCOUNT_LINKED";
  readonly code = AccountLinkedError.code;
  constructor() {
    super("ACCOUNT_LINKED: this sign-in was linked to an existing account; sign in again to continue");
  }
}
