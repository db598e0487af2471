/**
 * Fixtures shared by the passkey unit tests: configuration, an in-memory passkey world that keeps
 * the same rules as the table and Cognito, and a logger that records what was logged.
 */
import { DeliveryFailedError } from "../../../lib/errors.ts";
import type { NoticeRecipient } from "../../../lib/notify/notice-recipient.ts";
import type { PasskeyChange } from "../../../lib/notify/passkey-notice.ts";
import type { PasskeyNotifier } from "../../../lib/notify/passkey-notifier.ts";
import type { PasskeyConfig } from "../../../lib/config.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { PublicKeyAttributeWriter } from "../../../lib/cognito/public-key-attribute.ts";
import { PUBLIC_KEY_ATTRIBUTE } from "../../../lib/passkey/public-key-cache.ts";
import type { RegistrationDeps } from "../../../lib/passkey/verify-passkey-registration.ts";
import type { PasskeyCredentialStore, StoredPasskey } from "../../../lib/store/passkey-credentials.ts";
import { type PasskeyUse, type PasskeyUseOutcome, type SignInRecord, type SignInRecordStore, counterMovesForward } from "../../../lib/store/sign-in-records.ts";

export const ORIGIN = "https://example.com";
export const ANDROID_ORIGIN = `android:apk-key-hash:${"A".repeat(43)}`;
export const NOW = Date.UTC(2025, 0, 1, 10, 0, 0);

export function passkeyConfig(overrides: Partial<PasskeyConfig> = {}): PasskeyConfig {
  return {
    rpId: "example.com",
    rpName: "Example",
    allowedOrigins: [ORIGIN, ANDROID_ORIGIN],
    userVerification: "required",
    maxPerUser: 3,
    timeoutMs: 120_000,
    ...overrides,
  };
}

/** What the user's item holds for one passkey (lib/store/sign-in-records.ts). */
export interface MemoryPasskeyState {
  readonly fingerprint: string;
  readonly counter: number;
  readonly lastChallenge?: string;
}

/**
 * The passkey parts of one deployment in memory, with the table's and Cognito's rules: credential
 * items (ids unique across users), each user's item (sign-in record and passkey state, one
 * conditional write per use), and each user's attributes as Cognito passes them to triggers.
 */
export interface MemoryPasskeyStore extends PasskeyCredentialStore {
  /** Credential items, by credential id. */
  readonly items: Map<string, StoredPasskey>;
  /** Every use Verify asked the store to record, written or not. */
  readonly uses: PasskeyUse[];
  /** Sign-in records written, in order. */
  readonly records: SignInRecord[];
  /** Per user: passkey state by credential id. */
  readonly state: Map<string, Map<string, MemoryPasskeyState>>;
  /** Per user: attributes as triggers see them (sub, custom:passkeys). */
  readonly attributes: Map<string, Record<string, string>>;
  readonly signIns: Pick<SignInRecordStore, "savePasskeySignIn" | "addPasskeyKey" | "findPasskeyKey">;
  readonly publicKeyAttribute: PublicKeyAttributeWriter;
  /** The attribute writes that reached "Cognito". */
  readonly attributeWrites: { userName: string; value: string }[];
  /** Passkey notices sent, in order; set `failNotices` to make the next ones fail as SES would. */
  readonly notices: PasskeyNotifier & { readonly sent: { recipient: NoticeRecipient; change: PasskeyChange }[]; failNotices: boolean };
  /** The passkey state of one user's credential. */
  passkeyState(userName: string, credentialId: string): MemoryPasskeyState | undefined;
}

export const USER_POOL_ID = "us-east-1_Example";

/** Same rules as the table and Cognito (see lib/store/sign-in-records.ts and lib/passkey/public-key-cache.ts). */
export function memoryPasskeyStore(initial: readonly StoredPasskey[] = []): MemoryPasskeyStore {
  const items = new Map<string, StoredPasskey>(initial.map((passkey) => [passkey.credentialId, passkey]));
  const uses: PasskeyUse[] = [];
  const records: SignInRecord[] = [];
  const state = new Map<string, Map<string, MemoryPasskeyState>>();
  const attributes = new Map<string, Record<string, string>>();
  const attributeWrites: { userName: string; value: string }[] = [];
  const notices: MemoryPasskeyStore["notices"] = {
    sent: [],
    failNotices: false,
    async notify(recipient, change) {
      if (notices.failNotices) throw new DeliveryFailedError("SES refused the message.");
      notices.sent.push({ recipient, change });
    },
  };
  const stateOf = (userName: string) => {
    const passkeys = state.get(userName) ?? new Map<string, MemoryPasskeyState>();
    state.set(userName, passkeys);
    return passkeys;
  };
  const explain = (stored: MemoryPasskeyState | undefined, use: PasskeyUse): PasskeyUseOutcome => {
    if (stored === undefined || stored.fingerprint !== use.keyFingerprint) return "key_not_on_record";
    return stored.lastChallenge === use.challenge ? "replayed" : "counter_regression";
  };
  return {
    items,
    uses,
    records,
    state,
    attributes,
    attributeWrites,
    notices,
    passkeyState: (userName, credentialId) => state.get(userName)?.get(credentialId),
    async get(credentialId) {
      return items.get(credentialId);
    },
    async listForUser(userName) {
      return [...items.values()].filter((item) => item.userName === userName);
    },
    async create(passkey) {
      if (items.has(passkey.credentialId)) return "exists";
      items.set(passkey.credentialId, passkey);
      return "created";
    },
    signIns: {
      async savePasskeySignIn(record, use) {
        uses.push(use);
        const passkeys = stateOf(record.userName);
        const stored = passkeys.get(use.credentialId);
        if (use.adoptWithCounter !== undefined && !counterMovesForward(use.adoptWithCounter, use.newCounter)) {
          const outcome = explain(stored, use);
          return outcome === "key_not_on_record" ? "counter_regression" : outcome;
        }
        const counterFollows = stored !== undefined && (use.newCounter === 0 ? stored.counter === 0 : stored.counter < use.newCounter);
        const holds =
          (stored !== undefined && stored.fingerprint === use.keyFingerprint && counterFollows) || (stored === undefined && use.adoptWithCounter !== undefined);
        if (!holds) return explain(stored, use);
        passkeys.set(use.credentialId, { fingerprint: use.keyFingerprint, counter: use.newCounter, lastChallenge: use.challenge });
        records.push(record);
        return "saved";
      },
      async addPasskeyKey(userName, key) {
        const passkeys = stateOf(userName);
        const stored = passkeys.get(key.credentialId);
        if (stored !== undefined && stored.fingerprint !== key.keyFingerprint) throw new Error("condition failed");
        passkeys.set(key.credentialId, { fingerprint: key.keyFingerprint, counter: key.counter });
      },
      async findPasskeyKey(userName, credentialId) {
        const stored = state.get(userName)?.get(credentialId);
        return stored === undefined ? undefined : { revoked: false, fingerprint: stored.fingerprint };
      },
    },
    publicKeyAttribute: {
      async write(_userPoolId, userName, value) {
        attributeWrites.push({ userName, value });
        attributes.set(userName, { ...attributes.get(userName), [PUBLIC_KEY_ATTRIBUTE]: value });
      },
    },
  };
}

export interface RecordedLog {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export function recordingLogger(): { logger: Logger; lines: RecordedLog[] } {
  const lines: RecordedLog[] = [];
  const record =
    (level: RecordedLog["level"]) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const logger = { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") } as unknown as Logger;
  return { logger, lines };
}

export function passkeyDeps(store: MemoryPasskeyStore, config: PasskeyConfig = passkeyConfig()) {
  const { logger, lines } = recordingLogger();
  const deps: RegistrationDeps = {
    config,
    credentials: store,
    signIns: store.signIns,
    publicKeyAttribute: store.publicKeyAttribute,
    notices: store.notices,
    appName: "Example App",
    logger,
    clock: () => NOW,
  };
  return { deps, logs: lines };
}

/** A fresh base64url challenge, as the Create trigger makes them. */
export function challenge(seed: string): string {
  return Buffer.from(`challenge-${seed}`.padEnd(32, "."), "utf8").toString("base64url");
}
