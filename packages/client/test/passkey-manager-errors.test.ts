/**
 * What the passkey manager throws when the API, API Gateway, the network or the browser refuses:
 * one class per outcome with a stable code, the same whichever method met it, and nothing sent
 * when the client can tell beforehand (no token, a name the API would refuse).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PASSKEY_API_ERRORS, PASSKEY_NAME_MAX_CHARS, type PasskeyApiErrorCode } from "@cognito-passwordless/protocol";
import {
  InvalidPasskeyNameError,
  NotSignedInError,
  PasskeyAlreadyRegisteredError,
  PasskeyApiUnavailableError,
  PasskeyCancelledError,
  PasskeyFailedError,
  PasskeyLimitReachedError,
  PasskeyNotFoundError,
  PasskeyRegistrationRefusedError,
  PasskeysNotOfferedError,
  PasswordlessError,
  ReauthenticationRequiredError,
  UnexpectedResponseError,
  createPasskeyManager,
} from "../src/index.ts";
import { creationOptions } from "./support/cognito-replies.ts";
import { ACCESS_TOKEN, API_URL, type FakeReply, fakePasskeyApi, gatewayUnauthorized, json, passkey, refusal } from "./support/fake-passkey-api.ts";
import { browserError, fakeWebAuthn } from "./support/fake-webauthn.ts";

const ID = "Y3JlZC1waG9uZQ";
/** A refusal by the function, with the status the protocol gives its code. */
const refused = (code: PasskeyApiErrorCode) => refusal(PASSKEY_API_ERRORS[code], code);
const registrationOptions = () => json(200, { challengeId: "challenge-1", options: creationOptions });

function managerWith(...replies: FakeReply[]) {
  const api = fakePasskeyApi(...replies);
  const webauthn = fakeWebAuthn();
  const manager = createPasskeyManager({ apiUrl: API_URL, accessToken: () => ACCESS_TOKEN, fetch: api.fetch, webauthn });
  return { manager, webauthn, requests: api.requests };
}

describe("errors of the passkey manager", () => {
  it("adding with a sign-in too old: ReauthenticationRequiredError, and no ceremony ran", async () => {
    const { manager, webauthn } = managerWith(refused("reauthentication_required"));
    await assert.rejects(manager.addPasskey(), ReauthenticationRequiredError);
    assert.equal(webauthn.creations.length, 0);
  });

  it("a token API Gateway refuses ({ message: Unauthorized }, no error field): NotSignedInError", async () => {
    const { manager } = managerWith(gatewayUnauthorized());
    await assert.rejects(manager.listPasskeys(), (error: unknown) => error instanceof NotSignedInError && error.tokenRefused && error.code === "NOT_SIGNED_IN");
  });

  it("a token the function refuses (401 unauthorized, an ID token): NotSignedInError", async () => {
    const { manager } = managerWith(refused("unauthorized"));
    await assert.rejects(manager.removePasskey(ID), NotSignedInError);
  });

  it("no token to send: NotSignedInError, and nothing was sent", async () => {
    for (const token of [undefined, ""]) {
      const api = fakePasskeyApi();
      const manager = createPasskeyManager({ apiUrl: API_URL, accessToken: () => token, fetch: api.fetch });
      await assert.rejects(manager.listPasskeys(), { code: "NOT_SIGNED_IN", tokenRefused: false });
      assert.equal(api.requests.length, 0);
    }
  });

  it("an id that is none of the user's (404 not_found): PasskeyNotFoundError naming it, on rename and remove", async () => {
    const { manager } = managerWith(refused("not_found"), refused("not_found"));
    await assert.rejects(manager.renamePasskey(ID, "Phone"), (error: unknown) => error instanceof PasskeyNotFoundError && error.id === ID);
    await assert.rejects(manager.removePasskey(ID), { code: "PASSKEY_NOT_FOUND" });
  });

  it("a 404 without the function's error (an unknown route: a wrong apiUrl) is an unexpected response", async () => {
    const { manager } = managerWith(json(404, { message: "Not Found" }));
    await assert.rejects(manager.removePasskey(ID), (error: unknown) => error instanceof UnexpectedResponseError && /apiUrl/.test(error.message));
  });

  it("a deployment without passkeys (404 passkeys_not_offered): PasskeysNotOfferedError, and no ceremony ran", async () => {
    const { manager, webauthn } = managerWith(refused("passkeys_not_offered"));
    await assert.rejects(manager.addPasskey(), (error: unknown) => error instanceof PasskeysNotOfferedError && error.code === "PASSKEYS_NOT_OFFERED");
    assert.equal(webauthn.creations.length, 0);
  });

  it("as many passkeys as allowed (409 passkey_limit_reached): PasskeyLimitReachedError", async () => {
    const { manager } = managerWith(registrationOptions(), refused("passkey_limit_reached"));
    await assert.rejects(manager.addPasskey(), PasskeyLimitReachedError);
  });

  it("an authenticator registered already, said by the API (409) or by the browser: PasskeyAlreadyRegisteredError", async () => {
    const { manager, webauthn, requests } = managerWith(registrationOptions(), refused("credential_already_registered"), registrationOptions());
    await assert.rejects(manager.addPasskey(), PasskeyAlreadyRegisteredError);
    webauthn.failures.push(
      Object.assign(new Error("The authenticator was previously registered"), {
        code: "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED",
        cause: browserError("InvalidStateError"),
      }),
    );
    await assert.rejects(manager.addPasskey(), PasskeyAlreadyRegisteredError);
    assert.equal(requests.length, 3, "nothing is posted after the browser refused");
  });

  it("a registration the API refuses (400 registration_failed or challenge_invalid): PasskeyRegistrationRefusedError with the reason", async () => {
    for (const reason of ["registration_failed", "challenge_invalid"] as const) {
      const { manager } = managerWith(registrationOptions(), refused(reason));
      await assert.rejects(manager.addPasskey(), (error: unknown) => error instanceof PasskeyRegistrationRefusedError && error.reason === reason);
    }
  });

  it("the person dismissing the prompt: the sign-in's PasskeyCancelledError, and nothing posted", async () => {
    const { manager, webauthn, requests } = managerWith(registrationOptions());
    webauthn.failures.push(browserError("NotAllowedError"));
    await assert.rejects(manager.addPasskey(), (error: unknown) => error instanceof PasskeyCancelledError && error.ceremony === "registration");
    assert.equal(requests.length, 1);
  });

  it("a browser that cannot run the ceremony: PasskeyFailedError with its reason", async () => {
    const { manager, webauthn } = managerWith(registrationOptions());
    webauthn.failures.push(browserError("SecurityError"));
    await assert.rejects(manager.addPasskey(), (error: unknown) => error instanceof PasskeyFailedError && error.reason === "SecurityError");
  });

  it("a name the API would refuse: InvalidPasskeyNameError before anything is sent", async () => {
    const { manager, requests } = managerWith();
    for (const name of ["", "   ", "x".repeat(PASSKEY_NAME_MAX_CHARS + 1), "Phone\nWork", "Phone\u202e"]) {
      await assert.rejects(manager.renamePasskey(ID, name), InvalidPasskeyNameError, JSON.stringify(name));
      await assert.rejects(manager.addPasskey({ name }), InvalidPasskeyNameError, JSON.stringify(name));
    }
    assert.equal(requests.length, 0);
  });

  it("counts a name's characters as code points: 64 emoji are a valid name", async () => {
    const { manager } = managerWith(json(200, { passkey: passkey() }));
    await manager.renamePasskey(ID, "🔑".repeat(PASSKEY_NAME_MAX_CHARS));
  });

  it("a name the API refuses all the same (400 invalid_request): InvalidPasskeyNameError", async () => {
    const { manager } = managerWith(refused("invalid_request"));
    await assert.rejects(manager.renamePasskey(ID, "Phone"), InvalidPasskeyNameError);
  });

  it("the service down (503), throttled (429), failing (502) or not answering: PasskeyApiUnavailableError", async () => {
    const { manager } = managerWith(
      refused("service_unavailable"),
      json(429, { message: "Too Many Requests" }),
      json(502, { message: "Internal Server Error" }),
      new TypeError("Failed to fetch"),
    );
    for (const status of [503, 429, 502, undefined]) {
      await assert.rejects(manager.listPasskeys(), (error: unknown) => error instanceof PasskeyApiUnavailableError && error.status === status, String(status));
    }
  });

  it("a body outside the contract, or a code with another status: UnexpectedResponseError", async () => {
    const { manager } = managerWith(
      json(200, { items: [] }),
      json(200, { passkeys: [{ id: ID, name: "Phone" }] }),
      new Response("<html>", { status: 200 }),
      refusal(400, "not_found"),
      refused("payload_too_large"),
      json(200, { challengeId: "c", options: {} }),
    );
    await assert.rejects(manager.listPasskeys(), UnexpectedResponseError);
    await assert.rejects(manager.listPasskeys(), UnexpectedResponseError);
    await assert.rejects(manager.listPasskeys(), UnexpectedResponseError);
    await assert.rejects(manager.removePasskey(ID), UnexpectedResponseError);
    await assert.rejects(manager.renamePasskey(ID, "Phone"), UnexpectedResponseError);
    await assert.rejects(manager.addPasskey(), UnexpectedResponseError);
  });

  it("every error is a PasswordlessError whose code is also on its class", async () => {
    const classes = [
      ReauthenticationRequiredError,
      NotSignedInError,
      PasskeyNotFoundError,
      PasskeyLimitReachedError,
      PasskeyAlreadyRegisteredError,
      PasskeyRegistrationRefusedError,
      InvalidPasskeyNameError,
      PasskeyApiUnavailableError,
    ];
    const codes = classes.map((errorClass) => errorClass.code);
    assert.equal(new Set(codes).size, classes.length);
    const { manager } = managerWith(refused("passkey_limit_reached"));
    const error = await manager.listPasskeys().catch((thrown: unknown) => thrown);
    assert.ok(error instanceof PasswordlessError && error.code === PasskeyLimitReachedError.code);
  });
});
