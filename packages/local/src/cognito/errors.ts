/**
 * Cognito's error replies. The AWS JSON 1.1 protocol answers an error with HTTP 400 and
 * `{ "__type": "<Name>", "message": "…" }`; the SDK turns `__type` into the exception's `name`.
 * The names and, where an app may match on them, the messages are Cognito's own
 * (API reference, "Common Errors" and each operation's "Errors" section:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html).
 */
export type CognitoErrorName =
  | "AccessDeniedException"
  | "AliasExistsException"
  | "CodeMismatchException"
  | "ExpiredCodeException"
  | "InvalidLambdaResponseException"
  | "InvalidParameterException"
  | "InvalidPasswordException"
  | "InternalErrorException"
  | "LimitExceededException"
  | "NotAuthorizedException"
  | "ResourceNotFoundException"
  | "UnexpectedLambdaException"
  | "UnknownOperationException"
  | "UnsupportedOperationException"
  | "UnsupportedTokenTypeException"
  | "UserLambdaValidationException"
  | "UserNotConfirmedException"
  | "UserNotFoundException"
  | "UsernameExistsException"
  | "SerializationException";

export class CognitoError extends Error {
  constructor(
    readonly type: CognitoErrorName,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** The messages Cognito uses for the outcomes an app is expected to tell apart. */
export const MESSAGES = {
  incorrectCredentials: "Incorrect username or password.",
  invalidSession: "Invalid session for the user.",
  expiredSession: "Invalid session for the user, session is expired.",
  userNotFound: "User does not exist.",
  invalidRefreshToken: "Invalid Refresh Token",
  revokedRefreshToken: "Refresh Token has been revoked",
  invalidAccessToken: "Invalid Access Token",
  expiredAccessToken: "Access Token has expired",
  revokedAccessToken: "Access Token has been revoked",
  unrecognizableLambdaOutput: "Unrecognizable lambda output",
  codeMismatch: "Invalid verification code provided, please try again.",
  expiredCode: "Invalid code provided, please request a code again.",
} as const;

export const notAuthorized = (message: string) => new CognitoError("NotAuthorizedException", message);
export const invalidParameter = (message: string) => new CognitoError("InvalidParameterException", message);
export const userNotFound = () => new CognitoError("UserNotFoundException", MESSAGES.userNotFound);
export const unrecognizableLambdaOutput = () => new CognitoError("InvalidLambdaResponseException", MESSAGES.unrecognizableLambdaOutput);
