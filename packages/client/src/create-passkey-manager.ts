/**
 * The signed-in user's passkeys, through the suite's passkey API (beside Cognito): list, rename,
 * remove, and add one without a sign-in round. Give it the API's base URL and a way to read the
 * current access token; on Amplify, `createAmplifyPasskeyManager` reads Amplify's.
 */
import type { PasskeySummary } from "@cognito-passwordless/protocol";
import { PasskeyFailedError } from "./errors.ts";
import { type AccessTokenGetter, type Fetch, type PasskeyApi, callPasskeyApi, passkeyApiBaseUrl } from "./passkey-api-request.ts";
import { runCeremony } from "./passkey-ceremony.ts";
import { PasskeyAlreadyRegisteredError } from "./passkey-manager-errors.ts";
import { checkPasskeyName } from "./passkey-name.ts";
import { readPasskeyList, readPasskeyReply, readRegistrationOptions } from "./read-passkey-api-reply.ts";
import { type WebAuthnCeremonies, browserWebAuthn } from "./webauthn.ts";

/** Options of `createPasskeyManager`. */
export interface PasskeyManagerOptions {
  /** The passkey API's base URL: the stack's `PasskeyApiUrl` output (locally, `passkeyApiUrl` of /config.json). */
  readonly apiUrl: string;
  /** Returns the signed-in user's access token (not the ID token), sync or async; undefined when nobody is. */
  readonly accessToken: AccessTokenGetter;
  /** Default the platform's `fetch` (pass another in tests). */
  readonly fetch?: Fetch | undefined;
  /** The passkey ceremonies; default `@simplewebauthn/browser`, imported when first used. */
  readonly webauthn?: WebAuthnCeremonies | undefined;
}

/** Options of `addPasskey`. */
export interface AddPasskeyOptions {
  /** What the user calls it; without one, the API names it after its authenticator or the browser. */
  readonly name?: string | undefined;
}

/** The signed-in user's passkeys. Every method throws a PasswordlessError with a stable `code` when it cannot do its work. */
export interface PasskeyManager {
  /** `GET /passkeys`: the user's passkeys, newest first. */
  listPasskeys(): Promise<PasskeySummary[]>;
  /** `PATCH /passkeys/{id}`: renames one; InvalidPasskeyNameError (before sending) or PasskeyNotFoundError. */
  renamePasskey(id: string, name: string): Promise<PasskeySummary>;
  /** `DELETE /passkeys/{id}`: revokes one at once, so it can never sign in again; PasskeyNotFoundError when none has the id. */
  removePasskey(id: string): Promise<void>;
  /**
   * Creates a passkey on this device and adds it: `POST /passkeys/registration-options`, the
   * browser's prompt, `POST /passkeys`. Needs a recent sign-in (ReauthenticationRequiredError
   * otherwise: sign in again); PasskeyCancelledError when the person dismisses the prompt.
   */
  addPasskey(options?: AddPasskeyOptions): Promise<PasskeySummary>;
}

/** Creates the manager; it holds no state, so one per app (or per signed-in user) is enough. */
export function createPasskeyManager(options: PasskeyManagerOptions): PasskeyManager {
  const baseUrl = passkeyApiBaseUrl(options?.apiUrl, "createPasskeyManager");
  if (typeof options.accessToken !== "function") throw new TypeError("createPasskeyManager: accessToken must be a function that returns the access token.");
  // Called through a closure: a browser's fetch throws "Illegal invocation" when detached from window.
  const fetch: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const api: PasskeyApi = { baseUrl, accessToken: options.accessToken, fetch };
  const webauthn = options.webauthn ?? browserWebAuthn;

  return Object.freeze({
    async listPasskeys() {
      return readPasskeyList(await callPasskeyApi(api, { route: "list" }));
    },
    async renamePasskey(id: string, name: string) {
      checkPasskeyId(id, "renamePasskey");
      checkPasskeyName(name);
      return readPasskeyReply(await callPasskeyApi(api, { route: "rename", id, body: { name } }));
    },
    async removePasskey(id: string) {
      checkPasskeyId(id, "removePasskey");
      await callPasskeyApi(api, { route: "remove", id });
    },
    async addPasskey(addOptions: AddPasskeyOptions = {}) {
      const { name } = addOptions;
      if (name !== undefined) checkPasskeyName(name);
      const { challengeId, options: optionsJSON } = readRegistrationOptions(await callPasskeyApi(api, { route: "registrationOptions" }));
      const response = await runCeremony("registration", () => webauthn.startRegistration({ optionsJSON })).catch((error: unknown) => {
        throw alreadyRegistered(error) ? new PasskeyAlreadyRegisteredError({ cause: error }) : error;
      });
      const body = { challengeId, response, ...(name === undefined ? {} : { name }) };
      return readPasskeyReply(await callPasskeyApi(api, { route: "add", body }));
    },
  });
}

/**
 * The browser's word for "this authenticator holds one of the excludeCredentials": WebAuthn's
 * InvalidStateError, which SimpleWebAuthn names ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED.
 */
function alreadyRegistered(error: unknown): boolean {
  return error instanceof PasskeyFailedError && (error.reason === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || error.reason === "InvalidStateError");
}

/** An id is the `id` of a PasskeySummary; an empty one would address another route. */
function checkPasskeyId(id: unknown, method: string): void {
  if (typeof id !== "string" || id === "") throw new TypeError(`${method}: id must be the id of one of listPasskeys()'s passkeys.`);
}
