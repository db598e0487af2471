/**
 * Where one local IdP keeps sessions, interactions, codes, tokens and grants: in memory, in one map
 * per IdP instance. oidc-provider's bundled memory adapter would do, but it is shared by every
 * provider in the process and announces itself as development-only on every start; this one is
 * the same contract (oidc-provider's adapter interface), scoped to one IdP and silent. Entries
 * expire after the lifetime oidc-provider gives them.
 */
/// <reference path="./oidc-provider.d.ts" />
import type { Adapter, AdapterPayload } from "oidc-provider";

interface Entry {
  readonly payload: AdapterPayload;
  /** Epoch milliseconds; undefined for entries that live as long as the IdP. */
  readonly expiresAt: number | undefined;
}

/** The models whose entries belong to a grant, so revoking the grant removes them. */
const GRANTABLE: ReadonlySet<string> = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"]);

export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  /** Secondary keys (session uid, user code) → the model key they point to. */
  readonly #aliases = new Map<string, string>();
  /** grantId → keys of the entries issued under it. */
  readonly #grants = new Map<string, Set<string>>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && Date.now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresInSeconds: number | undefined): void {
    this.#entries.set(key, { payload, expiresAt: expiresInSeconds === undefined ? undefined : Date.now() + expiresInSeconds * 1000 });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  alias(alias: string, key: string): void {
    this.#aliases.set(alias, key);
  }

  resolve(alias: string): string | undefined {
    return this.#aliases.get(alias);
  }

  addToGrant(grantId: string, key: string): void {
    const keys = this.#grants.get(grantId) ?? new Set<string>();
    keys.add(key);
    this.#grants.set(grantId, keys);
  }

  revokeGrant(grantId: string): void {
    for (const key of this.#grants.get(grantId) ?? []) this.#entries.delete(key);
    this.#grants.delete(grantId);
  }

  /** The adapter oidc-provider asks for, one per model. */
  adapterFor(model: string): Adapter {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        const key = keyOf(id);
        this.set(key, payload, expiresIn);
        if (model === "Session" && payload.uid !== undefined) this.alias(`sessionUid:${payload.uid}`, key);
        if (payload.userCode !== undefined) this.alias(`userCode:${payload.userCode}`, key);
        if (GRANTABLE.has(model) && payload.grantId !== undefined) this.addToGrant(payload.grantId, key);
      },
      find: async (id) => this.get(keyOf(id)),
      findByUid: async (uid) => {
        const key = this.resolve(`sessionUid:${uid}`);
        return key === undefined ? undefined : this.get(key);
      },
      findByUserCode: async (userCode) => {
        const key = this.resolve(`userCode:${userCode}`);
        return key === undefined ? undefined : this.get(key);
      },
      consume: async (id) => {
        const payload = this.get(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => this.delete(keyOf(id)),
      revokeByGrantId: async (grantId) => this.revokeGrant(grantId),
    };
  }
}
