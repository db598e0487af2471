/**
 * Cognito's refusals, told apart by the exception's `name` and Cognito's own message (the AWS
 * SDK and Amplify both carry them), turned into this client's typed errors. Anything else is
 * returned unchanged: an outage or a misconfiguration the app must see as it is.
 */
import { CodeExpiredError, PasswordlessError, SessionExpiredError, SessionInvalidError, SignInFailedError } from "./errors.ts";

/** Cognito's messages (API reference, RespondToAuthChallenge, NotAuthorizedException). */
const MESSAGES = {
  failed: "Incorrect username or password.",
  sessionExpired: "Invalid session for the user, session is expired.",
  sessionInvalid: "Invalid session for the user.",
} as const;

export interface ErrorContext {
  /** Set when a code was answered: Cognito fails an expired code the same way as the last wrong one. */
  readonly codeExpiresAt?: Date | undefined;
  /** Epoch milliseconds. */
  readonly now: number;
}

export function mapCognitoError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof PasswordlessError) return error;
  if (!(error instanceof Error) || error.name !== "NotAuthorizedException") return error;
  switch (error.message) {
    case MESSAGES.sessionExpired:
      return new SessionExpiredError({ cause: error });
    case MESSAGES.sessionInvalid:
      return new SessionInvalidError({ cause: error });
    case MESSAGES.failed: {
      const expiresAt = context.codeExpiresAt;
      if (expiresAt !== undefined && context.now >= expiresAt.getTime()) return new CodeExpiredError(expiresAt, { cause: error });
      return new SignInFailedError({ cause: error });
    }
    default:
      // "User is disabled." and the like: not a sign-in outcome this client names.
      return error;
  }
}
