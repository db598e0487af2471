/**
 * The caller, from the authorizer's claims: an access token of this app client naming a user,
 * and, to add a passkey, a sign-in no older than the configured age.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCaller, recentSignInRefusal } from "../../../lib/api/api-caller.ts";
import { API_CLIENT_ID, accessTokenClaims, idTokenClaims } from "../../support/passkey-api-events.ts";

const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);
const NOW_S = NOW / 1000;

function reasonOf(claims: Record<string, string>) {
  const read = readCaller(claims, API_CLIENT_ID);
  return read.ok ? "ok" : `${read.refusal.error}/${read.refusal.reason}`;
}

describe("the caller", () => {
  it("an access token of this app client names the user by its internal username, and when they signed in", () => {
    const read = readCaller(accessTokenClaims({ userName: "user-1", authTime: 1768467000 }), API_CLIENT_ID);
    assert.deepEqual(read, { ok: true, caller: { userName: "user-1", authTime: 1768467000 } });
  });

  const refusals: [string, Record<string, string>, string][] = [
    ["an ID token (the authorizer cannot tell it from an access token)", idTokenClaims(), "unauthorized/not_an_access_token"],
    ["a token_use other than access", accessTokenClaims({ tokenUse: "refresh" }), "unauthorized/not_an_access_token"],
    ["another app client's access token", accessTokenClaims({ clientId: "another-app-client" }), "unauthorized/token_of_another_client"],
    ["an access token without username", { ...accessTokenClaims(), username: "" }, "unauthorized/username_missing"],
    ["a username with a control character", accessTokenClaims({ userName: "user\n1" }), "unauthorized/username_missing"],
    ["a username longer than Cognito allows", accessTokenClaims({ userName: "u".repeat(129) }), "unauthorized/username_missing"],
    ["no claims at all", {}, "unauthorized/not_an_access_token"],
  ];
  for (const [what, claims, expected] of refusals) {
    it(`${what} is refused: ${expected}`, () => assert.equal(reasonOf(claims), expected));
  }

  it("client_id is compared exactly", () => {
    assert.equal(reasonOf(accessTokenClaims({ clientId: API_CLIENT_ID.toUpperCase() })), "unauthorized/token_of_another_client");
    assert.equal(reasonOf(accessTokenClaims({ clientId: `${API_CLIENT_ID} ` })), "unauthorized/token_of_another_client");
  });

  it("an auth_time that is not whole seconds is no sign-in time", () => {
    for (const authTime of ["", "1.5", "-1", "soon", "1".repeat(13)]) {
      const read = readCaller({ ...accessTokenClaims(), auth_time: authTime }, API_CLIENT_ID);
      assert.ok(read.ok);
      assert.equal(read.caller.authTime, undefined, authTime);
    }
  });
});

describe("a recent sign-in, to add a passkey", () => {
  const caller = (authTime: number | undefined) => ({ userName: "user-1", authTime });
  const reasonAt = (authTime: number | undefined, maxAge = 300) => recentSignInRefusal(caller(authTime), NOW, maxAge)?.reason ?? "recent";

  it("is at most the configured age: 300 s is recent, 301 s is not", () => {
    assert.equal(reasonAt(NOW_S), "recent");
    assert.equal(reasonAt(NOW_S - 300), "recent");
    assert.equal(reasonAt(NOW_S - 301), "sign_in_too_old");
    assert.equal(reasonAt(NOW_S - 301, 600), "recent", "the age is configurable");
  });

  it("a refusal is 403 reauthentication_required, with a message that says to sign in again", () => {
    const refusal = recentSignInRefusal(caller(NOW_S - 3600), NOW, 300);
    assert.equal(refusal?.error, "reauthentication_required");
    assert.match(refusal?.message ?? "", /sign in again/);
  });

  it("a token without auth_time, or one dated ahead of this clock by more than a minute, is no recent sign-in", () => {
    assert.equal(reasonAt(undefined), "auth_time_missing");
    assert.equal(reasonAt(NOW_S + 60), "recent", "a minute of clock skew");
    assert.equal(reasonAt(NOW_S + 61), "sign_in_too_old");
  });
});
