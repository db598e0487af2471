/**
 * The passkey API (docs/protocol.md, "Passkey API"): a signed-in user lists, renames, removes and
 * adds passkeys, and anyone starts a sign-in without a username (`POST /passkeys/challenge`, the
 * one public route: no token, no caller, the same answer for everyone). This handler only turns
 * API Gateway's event into calls into lib/ and their results into responses; every refusal is a
 * value (lib/api/api-refusal.ts), logged with its reason, and every exception an outage answered
 * 503 (http-api-boundary.ts). Nothing of a token, a body or a challenge is logged: the route, the
 * user, the passkey's id, the reason, the status.
 */
import { type PasskeyApiRoute, type PublicPasskeyApiRoute, isPublicPasskeyApiRoute } from "@cognito-passwordless/protocol";
import type { PublicKeyAttributeWriter } from "../cognito/public-key-attribute.ts";
import type { UserAttributesReader } from "../cognito/user-attributes.ts";
import type { PasskeyApiConfig, PasskeyConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { PasskeyNotifier } from "../notify/passkey-notifier.ts";
import { additionRefusal } from "../api/addition-refusal.ts";
import { type Caller, readCaller, recentSignInRefusal } from "../api/api-caller.ts";
import { type ApiRefusal, CALLER_NOT_IN_POOL, passkeyNotFound, refusal } from "../api/api-refusal.ts";
import { type ApiResponse, jsonResponse, noContentResponse, refusalResponse } from "../api/api-response.ts";
import { isCredentialId } from "../api/credential-id.ts";
import { type ApiRequest, bodyTooLarge, readHttpApiEvent, readJsonBody } from "../api/http-api-event.ts";
import { readAddBody, readRenameBody } from "../api/request-bodies.ts";
import { addPasskey } from "../passkey/add-passkey.ts";
import { beginPasskeyAddition } from "../passkey/begin-passkey-addition.ts";
import { beginPasskeySignIn } from "../passkey/begin-passkey-sign-in.ts";
import { listPasskeys } from "../passkey/list-passkeys.ts";
import { passkeySummary } from "../passkey/passkey-summary.ts";
import { renamePasskey } from "../passkey/rename-passkey.ts";
import { revokePasskey } from "../passkey/revoke-passkey.ts";
import { isChallengeIdShape } from "../passkey/challenge-id.ts";
import type { PasskeyChallengeStore } from "../store/passkey-challenges.ts";
import type { PasskeyCredentialRemoval, PasskeyCredentialRenaming, PasskeyCredentialStore } from "../store/passkey-credentials.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { httpApiBoundary } from "./http-api-boundary.ts";

export interface PasskeysApiDeps {
  readonly api: PasskeyApiConfig;
  /** Undefined when PASSKEY is not offered: passkeys can still be listed, renamed and removed, but not added. */
  readonly passkey: PasskeyConfig | undefined;
  readonly credentials: PasskeyCredentialStore & PasskeyCredentialRemoval & PasskeyCredentialRenaming;
  readonly signIns: Pick<SignInRecordStore, "passkeyStates" | "revokePasskeyKey" | "addPasskeyKey" | "findPasskeyKey" | "savePasskeySignIn">;
  readonly challenges: PasskeyChallengeStore;
  readonly users: UserAttributesReader;
  readonly publicKeyAttribute: PublicKeyAttributeWriter;
  readonly notices: PasskeyNotifier;
  /** APP_NAME, for the notices. */
  readonly appName: string;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

type Outcome = { readonly ok: true; readonly response: ApiResponse } | { readonly ok: false; readonly refusal: ApiRefusal };

const answered = (response: ApiResponse): Outcome => ({ ok: true, response });
const refused = (refusal: ApiRefusal): Outcome => ({ ok: false, refusal });

// The add routes stay in the template whatever SignInMethods says (SAM events take no condition):
// a code of their own tells an app "not here", unlike not_found's "no such passkey of yours".
const NOT_OFFERED = refusal("passkeys_not_offered", "passkeys_not_offered", "This app does not offer passkeys: none can be added.");
const NO_PASSKEY_SIGN_IN = refusal("passkeys_not_offered", "passkeys_not_offered", "This app does not offer passkeys: none can sign in.");

export function createPasskeysApiHandler(deps: PasskeysApiDeps): (event: unknown) => Promise<ApiResponse> {
  const { api, logger } = deps;

  /** Adding needs passkeys offered and a recent sign-in: the passkey settings, or the refusal. */
  function additionSettings(caller: Caller): { readonly config: PasskeyConfig } | { readonly refusal: ApiRefusal } {
    if (deps.passkey === undefined) return { refusal: NOT_OFFERED };
    const stale = recentSignInRefusal(caller, deps.clock(), api.reauthMaxAgeSeconds);
    return stale === undefined ? { config: deps.passkey } : { refusal: stale };
  }

  /** The public routes, which have no caller; a body, if one is sent, is only bounded, never read. */
  const publicRoutes: Record<PublicPasskeyApiRoute, () => Promise<Outcome>> = {
    async signInChallenge() {
      if (deps.passkey === undefined) return refused(NO_PASSKEY_SIGN_IN);
      const { challengeId, options } = await beginPasskeySignIn({ ...deps, config: deps.passkey });
      return answered(jsonResponse(200, { challengeId, options }));
    },
  };

  /** Each route that needs a caller, given the request, its caller and the body's JSON (undefined when it has none). */
  const routes: Record<Exclude<PasskeyApiRoute, PublicPasskeyApiRoute>, (request: ApiRequest, caller: Caller, body: unknown) => Promise<Outcome>> = {
    async list(_request, { userName }) {
      return answered(jsonResponse(200, { passkeys: await listPasskeys(deps, userName) }));
    },

    async rename(request, { userName }, body) {
      if (!isCredentialId(request.id)) return refused(passkeyNotFound("id_malformed"));
      const read = readRenameBody(body);
      if (!read.ok) return refused(read.refusal);
      const passkey = await renamePasskey(deps, { userName, credentialId: request.id, name: read.body.name });
      return passkey === undefined ? refused(passkeyNotFound("passkey_not_found")) : answered(jsonResponse(200, { passkey }));
    },

    async remove(request, { userName }) {
      if (!isCredentialId(request.id)) return refused(passkeyNotFound("id_malformed"));
      // The attributes hold the cached key to take out and the address the notice goes to.
      const userAttributes = await deps.users.read(api.userPoolId, userName);
      if (userAttributes === undefined) return refused(CALLER_NOT_IN_POOL);
      const revoked = await revokePasskey(deps, { userPoolId: api.userPoolId, userName, credentialId: request.id, userAttributes });
      return revoked === "revoked" ? answered(noContentResponse()) : refused(passkeyNotFound("passkey_not_found"));
    },

    async registrationOptions(_request, caller) {
      const settings = additionSettings(caller);
      if ("refusal" in settings) return refused(settings.refusal);
      const [userAttributes, existing] = await Promise.all([deps.users.read(api.userPoolId, caller.userName), deps.credentials.listForUser(caller.userName)]);
      if (userAttributes === undefined) return refused(CALLER_NOT_IN_POOL);
      const begun = await beginPasskeyAddition({ ...deps, config: settings.config }, { userName: caller.userName, userAttributes, existing });
      if (!begun.ok) return refused(additionRefusal(begun.reason));
      return answered(jsonResponse(200, { challengeId: begun.challengeId, options: begun.options }));
    },

    async add(request, caller, body) {
      const settings = additionSettings(caller);
      if ("refusal" in settings) return refused(settings.refusal);
      const read = readAddBody(body);
      if (!read.ok) return refused(read.refusal);
      const { challengeId, response, name } = read.body;
      // An id the API cannot have issued is answered as an unknown one, without a request.
      if (!isChallengeIdShape(challengeId)) return refused(additionRefusal("challenge_invalid"));
      const added = await addPasskey(
        { ...deps, config: settings.config },
        { userPoolId: api.userPoolId, userName: caller.userName, challengeId, response, friendlyName: name, userAgent: request.userAgent },
      );
      if (!added.ok) return refused(additionRefusal(added.reason));
      return answered(jsonResponse(201, { passkey: passkeySummary(added.credential, undefined) }));
    },
  };

  function refuse(refusal: ApiRefusal, fields: Record<string, unknown>): ApiResponse {
    const response = refusalResponse(refusal);
    logger.info("Passkey API request refused", { ...fields, reason: refusal.reason, status: response.statusCode });
    return response;
  }

  /** A public route: no caller to know first, so the body is bounded at once (413 over the limit). */
  async function answerPublic(route: PublicPasskeyApiRoute, event: unknown, fields: Record<string, unknown>): Promise<ApiResponse> {
    const tooLarge = bodyTooLarge(event);
    if (tooLarge !== undefined) return refuse(tooLarge, fields);
    const outcome = await publicRoutes[route]();
    if (!outcome.ok) return refuse(outcome.refusal, fields);
    logger.info("Passkey API request answered", { ...fields, status: outcome.response.statusCode });
    return outcome.response;
  }

  return httpApiBoundary(logger, "PasskeysApi", async function passkeysApi(event) {
    const read = readHttpApiEvent(event);
    if (!read.ok) return refuse(read.refusal, {});
    const { request } = read;
    // Only a well-formed id is logged: a malformed one is whatever the caller typed.
    const fields = { route: request.route, ...(isCredentialId(request.id) ? { credentialId: request.id } : {}) };
    if (isPublicPasskeyApiRoute(request.route)) return answerPublic(request.route, event, fields);
    const who = readCaller(request.claims, api.userPoolClientId);
    if (!who.ok) return refuse(who.refusal, fields);
    const withUser = { ...fields, user: who.caller.userName };
    // Read for every route, once the caller is known: a body, wherever it is sent, is bounded and JSON.
    const body = readJsonBody(event);
    if (!body.ok) return refuse(body.refusal, withUser);
    const outcome = await routes[request.route](request, who.caller, body.body);
    if (!outcome.ok) return refuse(outcome.refusal, withUser);
    logger.info("Passkey API request answered", { ...withUser, status: outcome.response.statusCode });
    return outcome.response;
  });
}
