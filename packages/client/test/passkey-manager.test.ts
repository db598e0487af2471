/**
 * The passkey manager against a fake fetch: each method sends its route of PASSKEY_API_ROUTES to
 * the API's base URL with the caller's access token as a Bearer token and a JSON body, and
 * returns the API's PasskeySummary as given; adding runs the browser's registration in between.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PASSKEY_API_ROUTES } from "@cognito-passwordless/protocol";
import { type PasskeyManager, createPasskeyManager } from "../src/index.ts";
import { createAmplifyPasskeyManager } from "../src/amplify.ts";
import { creationOptions } from "./support/cognito-replies.ts";
import { ACCESS_TOKEN, API_URL, type FakeReply, fakePasskeyApi, json, noContent, passkey } from "./support/fake-passkey-api.ts";
import { fakeWebAuthn, registration } from "./support/fake-webauthn.ts";

const ID = "Y3JlZC1waG9uZQ";
const path = (route: keyof typeof PASSKEY_API_ROUTES, id?: string) =>
  API_URL + (id === undefined ? PASSKEY_API_ROUTES[route].path : PASSKEY_API_ROUTES[route].path.replace("{id}", id));

function managerWith(...replies: FakeReply[]) {
  const api = fakePasskeyApi(...replies);
  const webauthn = fakeWebAuthn();
  const manager: PasskeyManager = createPasskeyManager({ apiUrl: `${API_URL}/`, accessToken: () => ACCESS_TOKEN, fetch: api.fetch, webauthn });
  return { manager, webauthn, requests: api.requests };
}

describe("listPasskeys", () => {
  it("sends GET /passkeys with the access token as a Bearer token, and no body", async () => {
    // Prepare
    const { manager, requests } = managerWith(json(200, { passkeys: [] }));
    // Act
    await manager.listPasskeys();
    // Assess
    assert.deepEqual(requests, [
      { method: PASSKEY_API_ROUTES.list.method, url: path("list"), headers: { authorization: `Bearer ${ACCESS_TOKEN}` }, body: undefined },
    ]);
  });

  it("returns the passkeys as the API gives them, dates untouched, a passkey never used without lastUsedAt", async () => {
    const never = passkey({ id: "bmV2ZXI", name: "YubiKey", backedUp: false, transports: ["usb"] });
    const { lastUsedAt: _, authenticator: __, ...neverUsed } = never;
    const { manager } = managerWith(json(200, { passkeys: [passkey(), neverUsed] }));
    assert.deepEqual(await manager.listPasskeys(), [passkey(), neverUsed]);
  });

  it("asks the token getter before each call, and takes an async one", async () => {
    const api = fakePasskeyApi(json(200, { passkeys: [] }), json(200, { passkeys: [] }));
    const tokens = ["first-token", "refreshed-token"];
    const manager = createPasskeyManager({ apiUrl: API_URL, accessToken: async () => tokens.shift(), fetch: api.fetch });
    await manager.listPasskeys();
    await manager.listPasskeys();
    assert.deepEqual(
      api.requests.map((request) => request.headers["authorization"]),
      ["Bearer first-token", "Bearer refreshed-token"],
    );
  });
});

describe("renamePasskey", () => {
  it("sends PATCH /passkeys/{id} with { name } as JSON and returns the renamed passkey", async () => {
    const renamed = passkey({ name: "Work phone" });
    const { manager, requests } = managerWith(json(200, { passkey: renamed }));
    assert.deepEqual(await manager.renamePasskey(ID, "Work phone"), renamed);
    assert.deepEqual(requests, [
      {
        method: PASSKEY_API_ROUTES.rename.method,
        url: path("rename", ID),
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, "content-type": "application/json" },
        body: { name: "Work phone" },
      },
    ]);
  });

  it("puts the id in the path percent-encoded, so no id can reach another route", async () => {
    const { manager, requests } = managerWith(json(200, { passkey: passkey() }));
    await manager.renamePasskey("a/b?c", "Phone");
    assert.equal(requests[0]?.url, path("rename", "a%2Fb%3Fc"));
  });
});

describe("removePasskey", () => {
  it("sends DELETE /passkeys/{id} with no body and resolves on 204", async () => {
    const { manager, requests } = managerWith(noContent());
    assert.equal(await manager.removePasskey(ID), undefined);
    assert.deepEqual(requests, [
      { method: PASSKEY_API_ROUTES.remove.method, url: path("remove", ID), headers: { authorization: `Bearer ${ACCESS_TOKEN}` }, body: undefined },
    ]);
  });

  it("refuses an empty id before sending", async () => {
    const { manager, requests } = managerWith();
    await assert.rejects(manager.removePasskey(""), TypeError);
    assert.equal(requests.length, 0);
  });
});

describe("addPasskey", () => {
  const options = () => json(200, { challengeId: "challenge-1", options: creationOptions });

  it("asks for registration options, creates the passkey from them, and posts { challengeId, response, name }", async () => {
    // Prepare
    const added = passkey({ id: registration.id, name: "Laptop" });
    const { manager, webauthn, requests } = managerWith(options(), json(201, { passkey: added }));
    // Act
    const result = await manager.addPasskey({ name: "Laptop" });
    // Assess
    assert.deepEqual(result, added);
    assert.deepEqual(webauthn.creations, [creationOptions]);
    assert.deepEqual(requests, [
      {
        method: PASSKEY_API_ROUTES.registrationOptions.method,
        url: path("registrationOptions"),
        headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
        body: undefined,
      },
      {
        method: PASSKEY_API_ROUTES.add.method,
        url: path("add"),
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, "content-type": "application/json" },
        body: { challengeId: "challenge-1", response: registration, name: "Laptop" },
      },
    ]);
  });

  it("sends no name when none is given: the API names the passkey", async () => {
    const { manager, requests } = managerWith(options(), json(201, { passkey: passkey() }));
    await manager.addPasskey();
    assert.deepEqual(requests[1]?.body, { challengeId: "challenge-1", response: registration });
  });
});

describe("the manager's options", () => {
  it("refuses an apiUrl that is not an http(s) base URL", () => {
    for (const apiUrl of ["", "execute-api", "ftp://example.com", `${API_URL}?stage=1`]) {
      assert.throws(() => createPasskeyManager({ apiUrl, accessToken: () => ACCESS_TOKEN }), TypeError, apiUrl);
    }
  });

  it("keeps a base URL's own path (a custom domain's mapping)", async () => {
    const api = fakePasskeyApi(json(200, { passkeys: [] }));
    await createPasskeyManager({ apiUrl: "https://auth.example.com/api/", accessToken: () => ACCESS_TOKEN, fetch: api.fetch }).listPasskeys();
    assert.equal(api.requests[0]?.url, `https://auth.example.com/api${PASSKEY_API_ROUTES.list.path}`);
  });
});

describe("createAmplifyPasskeyManager", () => {
  it("sends the access token of Amplify's session", async () => {
    const api = fakePasskeyApi(json(200, { passkeys: [] }));
    const manager = createAmplifyPasskeyManager({
      apiUrl: API_URL,
      fetch: api.fetch,
      fetchAuthSession: async () => ({ tokens: { accessToken: { toString: () => "amplify-access-token" } } }),
    });
    await manager.listPasskeys();
    assert.equal(api.requests[0]?.headers["authorization"], "Bearer amplify-access-token");
  });

  it("sends nothing when Amplify holds no session: NotSignedInError", async () => {
    const api = fakePasskeyApi();
    const manager = createAmplifyPasskeyManager({ apiUrl: API_URL, fetch: api.fetch, fetchAuthSession: async () => ({}) });
    await assert.rejects(manager.listPasskeys(), { code: "NOT_SIGNED_IN", tokenRefused: false });
    assert.equal(api.requests.length, 0);
  });
});
