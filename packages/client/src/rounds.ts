/**
 * What an app holds during a sign-in: one object per round of the suite's CUSTOM_AUTH flow
 * (README, "How an app signs in"), each with the round's public parameters, typed, and the
 * answers it accepts as methods. Every object has a `kind` to switch on.
 */
import type { CodeMethod, SignInMethod } from "@cognito-passwordless/protocol";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";

/** The tokens of a completed sign-in. */
export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  /** Absent on Amplify, which keeps the refresh token to itself (`fetchAuthSession` refreshes). */
  readonly refreshToken?: string;
  /** Seconds the ID and access tokens are valid for, from when they were issued. */
  readonly expiresIn: number;
}

/** The sign-in is complete. */
export interface SignedIn {
  readonly kind: "signed-in";
  readonly tokens: Tokens;
}

/** What an answer that completes a factor leads to: tokens, or the enrolment round when it was asked for. */
export type SignInOutcome = SignedIn | PasskeyRegistrationRound;

/** Options of `signIn`. */
export interface SignInOptions {
  /**
   * What the person typed, when it is not exactly the username given (you normalised it, say).
   * Sent as ClientMetadata.login with the method choice; defaults to the username.
   */
  readonly login?: string | undefined;
}

/** Round 1, SELECT_METHOD: choose how to prove who you are. */
export interface SelectMethodRound {
  readonly kind: "select-method";
  /** The username this sign-in started with. */
  readonly username: string;
  /** The methods this deployment offers, in its order: the same for every user. */
  readonly methods: readonly SignInMethod[];
  /** Whether PASSKEY is offered (and the round carries its WebAuthn options). */
  readonly passkeyOffered: boolean;
  /**
   * Asks for a code by email or SMS. Sends ClientMetadata `{ signInMethod, login }`; `login`
   * (default: what `signIn` was given) is what the code round's `destination` shows, masked.
   * Throws MethodNotOfferedError, before any call, for a method not in `methods`.
   */
  chooseCode(method: CodeMethod, options?: ChooseCodeOptions): Promise<CodeRound>;
  /**
   * Signs the round's challenge with a passkey the person picks (one round trip), answering
   * with ClientMetadata `{ signInMethod: "PASSKEY" }` (and `registerPasskey` when asked).
   * Throws MethodNotOfferedError when PASSKEY is not offered, PasskeyCancelledError or
   * PasskeyFailedError when the browser does not produce an assertion (this round stays
   * answerable), SignInFailedError when the pool refuses the passkey.
   */
  signInWithPasskey(options?: PasskeySignInOptions): Promise<SignInOutcome>;
}

/** Options of `chooseCode`. */
export interface ChooseCodeOptions {
  /** What the person typed; default: the login of `signIn` (its username unless given). */
  readonly login?: string | undefined;
}

/** Options of `signInWithPasskey`. */
export interface PasskeySignInOptions {
  /** Ask for a PASSKEY_REGISTRATION round after the passkey (to add one more passkey). */
  readonly registerPasskey?: boolean | undefined;
  /** The user agent the registration round sends by default (see `register`). */
  readonly userAgent?: string | undefined;
}

/** Round 2, EMAIL_OTP or SMS_OTP: a code was sent (or, for an unknown user, seemingly sent). */
export interface CodeRound {
  readonly kind: "code";
  readonly method: CodeMethod;
  /** Where the code went, as the person typed it, masked; or "your email address" / "your phone number". */
  readonly destination: string;
  /** Digits in the code. */
  readonly codeLength: number;
  readonly expiresAt: Date;
  /** 1 for the first answer, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** Answers left for this code, counting this one (from the client's `codeMaxAttempts`). */
  readonly attemptsLeft: number;
  /**
   * Answers with the code. Resolves to signed-in, or to the enrolment round when
   * `registerPasskey` is asked (ClientMetadata `{ registerPasskey: "true" }`) and the
   * deployment offers passkeys. Throws WrongCodeError (with the retry round), CodeExpiredError,
   * SignInFailedError, SessionExpiredError.
   */
  answer(code: string, options?: CodeAnswerOptions): Promise<SignInOutcome>;
}

/** Options of a code round's `answer`. */
export interface CodeAnswerOptions {
  /** Ask for a PASSKEY_REGISTRATION round instead of tokens, to enrol a passkey right away. */
  readonly registerPasskey?: boolean | undefined;
}

/** The optional round, PASSKEY_REGISTRATION: a factor is proven; create a passkey or skip. */
export interface PasskeyRegistrationRound {
  readonly kind: "passkey-registration";
  /** 1 when first offered; Cognito offers the round again after a registration it refused. */
  readonly attempt: number;
  /** The WebAuthn creation options the pool sent. */
  readonly options: PublicKeyCredentialCreationOptionsJSON;
  /**
   * Creates a passkey on this device and sends it, with ClientMetadata `{ userAgent }` (default:
   * the browser's, which names the passkey when its authenticator is not a well-known one).
   * Resolves to signed-in, or to this round again when the pool refused the registration and
   * may take another. A PasskeyCancelledError or PasskeyFailedError leaves this round answerable.
   */
  register(options?: RegisterOptions): Promise<SignInOutcome>;
  /** Declines enrolment (answers SKIP): tokens follow at once. */
  skip(): Promise<SignedIn>;
}

/** Options of `register`. */
export interface RegisterOptions {
  /** Sent as ClientMetadata.userAgent; default: the browser's `navigator.userAgent`, none outside a browser. */
  readonly userAgent?: string | undefined;
}
