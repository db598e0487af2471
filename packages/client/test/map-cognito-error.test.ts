/**
 * Cognito's refusals, by exception name and Cognito's message, and what each becomes: the table
 * an app's error handling rests on.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LimitExceededException } from "@aws-sdk/client-cognito-identity-provider";
import { CodeExpiredError, SessionExpiredError, SessionInvalidError, SignInFailedError, WrongCodeError } from "../src/index.ts";
import { mapCognitoError } from "../src/map-cognito-error.ts";
import { INCORRECT, NOW, SESSION_EXPIRED, SESSION_INVALID, notAuthorized } from "./support/cognito-replies.ts";

/** An error as Amplify raises it: AuthError with the service's exception name and message. */
const amplifyError = (name: string, message: string) => Object.assign(new Error(message), { name, recoverySuggestion: "…" });

describe("mapping Cognito's errors", () => {
  const expiredCode = { codeExpiresAt: new Date(NOW - 1), now: NOW };
  const liveCode = { codeExpiresAt: new Date(NOW + 1), now: NOW };
  const table: [string, unknown, { codeExpiresAt?: Date; now: number }, new (...args: never[]) => Error][] = [
    ["Incorrect username or password. after a code", notAuthorized(INCORRECT), liveCode, SignInFailedError],
    ["Incorrect username or password. with no code", notAuthorized(INCORRECT), { now: NOW }, SignInFailedError],
    ["Incorrect username or password. after the code's expiry", notAuthorized(INCORRECT), expiredCode, CodeExpiredError],
    ["an expired session", notAuthorized(SESSION_EXPIRED), liveCode, SessionExpiredError],
    ["an expired session, even after the code's expiry", notAuthorized(SESSION_EXPIRED), expiredCode, SessionExpiredError],
    ["a used session", notAuthorized(SESSION_INVALID), liveCode, SessionInvalidError],
    ["Amplify's AuthError for a failed sign-in", amplifyError("NotAuthorizedException", INCORRECT), liveCode, SignInFailedError],
    ["Amplify's AuthError for an expired session", amplifyError("NotAuthorizedException", SESSION_EXPIRED), liveCode, SessionExpiredError],
  ];
  for (const [name, error, context, expected] of table) {
    it(`names ${name} ${expected.name}, with Cognito's error as the cause`, () => {
      const mapped = mapCognitoError(error, context);
      assert.ok(mapped instanceof expected);
      assert.equal(mapped.cause, error);
    });
  }

  it("passes through what it does not name: other messages, other exceptions, non-errors, its own errors", () => {
    const passThrough = [
      notAuthorized("User is disabled."),
      new LimitExceededException({ message: "Attempt limit exceeded, please try after some time.", $metadata: {} }),
      amplifyError("UserAlreadyAuthenticatedException", "There is already a signed in user."),
      "a string",
      new SignInFailedError(),
    ];
    for (const error of passThrough) assert.equal(mapCognitoError(error, { now: NOW }), error);
  });

  it("gives every error a stable code on the instance and the class", () => {
    const classes = [CodeExpiredError, SessionExpiredError, SessionInvalidError, SignInFailedError, WrongCodeError];
    assert.deepEqual(
      classes.map((errorClass) => errorClass.code),
      ["CODE_EXPIRED", "SESSION_EXPIRED", "SESSION_INVALID", "SIGN_IN_FAILED", "WRONG_CODE"],
    );
    assert.equal(new SessionExpiredError().code, SessionExpiredError.code);
    assert.equal(new SessionExpiredError().name, "SessionExpiredError");
  });
});
