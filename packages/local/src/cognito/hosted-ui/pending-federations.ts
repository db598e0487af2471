/**
 * Federated sign-ins in flight: between /oauth2/authorize sending the person to the IdP and the IdP
 * sending them back to /oauth2/idpresponse. The pool's own `state` (not the app's) names each one,
 * so the IdP never sees the app's state, and its own `nonce` ties the IdP's ID token to this very
 * request. Single use. Cognito does not document how long it waits; ten minutes is ours, long enough
 * for someone to fill in an IdP's form.
 */
import { randomBytes } from "node:crypto";

export const PENDING_FEDERATION_TTL_MS = 10 * 60 * 1000;

/** What the app asked for at /oauth2/authorize, to be answered once the IdP is done. */
export interface AppRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly scopes: readonly string[];
  readonly codeChallenge: string | undefined;
  readonly nonce: string | undefined;
}

export interface PendingFederation {
  readonly providerName: string;
  /** Sent to the IdP; its ID token must carry it back. */
  readonly nonce: string;
  readonly app: AppRequest;
}

interface Stored extends PendingFederation {
  readonly expiresAt: number;
}

export class PendingFederations {
  readonly #pending = new Map<string, Stored>();

  constructor(private readonly now: () => number) {}

  /** Starts one; returns the state to send to the IdP. */
  start(providerName: string, app: AppRequest): { state: string; nonce: string } {
    const now = this.now();
    for (const [state, stored] of this.#pending) if (now >= stored.expiresAt) this.#pending.delete(state);
    const state = randomBytes(24).toString("base64url");
    const nonce = randomBytes(24).toString("base64url");
    this.#pending.set(state, { providerName, nonce, app, expiresAt: now + PENDING_FEDERATION_TTL_MS });
    return { state, nonce };
  }

  /** The sign-in this state began, once; undefined for an unknown, used or expired state. */
  take(state: string): PendingFederation | undefined {
    const stored = this.#pending.get(state);
    this.#pending.delete(state);
    if (stored === undefined || this.now() >= stored.expiresAt) return undefined;
    const { expiresAt: _expiresAt, ...pending } = stored;
    return pending;
  }
}
