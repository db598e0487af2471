/**
 * Who is calling, from the claims API Gateway's JWT authorizer verified. The authorizer checks
 * the signature, issuer, expiry and audience (`aud`, or `client_id` when a token has none) but
 * cannot tell an ID token from an access token, since an ID token's `aud` is the app client too:
 * so `token_use` is checked here, and `client_id` again, in case the authorizer's audience ever
 * lists more than this client. Pure.
 */
import { type ApiRefusal, refusal } from "./api-refusal.ts";

export interface Caller {
  /** The internal username (the access token's `username`), which the table keys. */
  readonly userName: string;
  /** When the user signed in (`auth_time`, kept by refreshes), epoch seconds; undefined if the token says not. */
  readonly authTime: number | undefined;
}

/** Cognito's usernames are at most 128 characters. */
const MAX_USERNAME_CHARS = 128;

/** How far ahead of this clock a sign-in time may be and still count (NTP keeps clocks far closer). */
const AUTH_TIME_SKEW_SECONDS = 60;

type ReadCaller = { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly refusal: ApiRefusal };

function unauthorized(reason: ApiRefusal["reason"], message: string): ReadCaller {
  return { ok: false, refusal: refusal("unauthorized", reason, message) };
}

/** Epoch seconds from `auth_time`, which API Gateway passes as a string of digits. */
function readAuthTime(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  return Number(value);
}

export function readCaller(claims: Readonly<Record<string, string>>, userPoolClientId: string): ReadCaller {
  if (claims["token_use"] !== "access") return unauthorized("not_an_access_token", "An access token of this app is required.");
  if (claims["client_id"] !== userPoolClientId) return unauthorized("token_of_another_client", "An access token of this app is required.");
  const userName = claims["username"];
  if (userName === undefined || userName === "" || userName.length > MAX_USERNAME_CHARS || /\p{Cc}/u.test(userName)) {
    return unauthorized("username_missing", "The access token names no user.");
  }
  return { ok: true, caller: { userName, authTime: readAuthTime(claims["auth_time"]) } };
}

/**
 * Adding a passkey asks for a sign-in at most `maxAgeSeconds` old: a passkey is a way in for
 * good, so a session found on an unlocked device, or a stolen refresh token, must not add one.
 * Undefined when the sign-in is recent enough; a refusal the app acts on by signing in again.
 */
export function recentSignInRefusal(caller: Caller, nowMs: number, maxAgeSeconds: number): ApiRefusal | undefined {
  const reauthenticate = "Adding a passkey needs a recent sign-in: sign in again, then add it.";
  if (caller.authTime === undefined) return refusal("reauthentication_required", "auth_time_missing", reauthenticate);
  const age = Math.floor(nowMs / 1000) - caller.authTime;
  // A sign-in dated ahead of this clock by more than clocks disagree is no sign-in to trust.
  if (age > maxAgeSeconds || age < -AUTH_TIME_SKEW_SECONDS) return refusal("reauthentication_required", "sign_in_too_old", reauthenticate);
  return undefined;
}
