/**
 * Fixtures shared by the passkey unit tests: configuration, an in-memory credential store that
 * keeps the same rules as the DynamoDB one, and a logger that records what was logged.
 */
import type { PasskeyConfig } from "../../../lib/config.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { PasskeyCredentialStore, PasskeyUse, StoredPasskey } from "../../../lib/store/passkey-credentials.ts";
import type { PasskeyDeps } from "../../../lib/passkey/verify-passkey-assertion.ts";

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

export interface MemoryPasskeyStore extends PasskeyCredentialStore {
  readonly items: Map<string, StoredPasskey & { lastChallenge?: string }>;
  readonly uses: PasskeyUse[];
}

/** Same rules as the table: ids unique across users, a use written only if the counter is unchanged and moves forward. */
export function memoryPasskeyStore(initial: readonly StoredPasskey[] = []): MemoryPasskeyStore {
  const items = new Map<string, StoredPasskey & { lastChallenge?: string }>(initial.map((passkey) => [passkey.credentialId, passkey]));
  const uses: PasskeyUse[] = [];
  const strip = ({ lastChallenge: _ignored, ...passkey }: StoredPasskey & { lastChallenge?: string }): StoredPasskey => passkey;
  return {
    items,
    uses,
    async get(credentialId) {
      const item = items.get(credentialId);
      return item === undefined ? undefined : strip(item);
    },
    async listForUser(userName) {
      return [...items.values()].filter((item) => item.userName === userName).map(strip);
    },
    async create(passkey) {
      if (items.has(passkey.credentialId)) return "exists";
      items.set(passkey.credentialId, passkey);
      return "created";
    },
    async recordUse(use) {
      uses.push(use);
      const item = items.get(use.credentialId);
      const forward = use.newCounter > use.previousCounter || (use.newCounter === 0 && use.previousCounter === 0);
      if (item === undefined || !forward || item.counter !== use.previousCounter) {
        return item?.lastChallenge === use.challenge ? "replayed" : "conflict";
      }
      items.set(use.credentialId, { ...item, counter: use.newCounter, lastUsedAt: use.usedAt, lastChallenge: use.challenge });
      return "updated";
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

export function passkeyDeps(credentials: PasskeyCredentialStore, config: PasskeyConfig = passkeyConfig()) {
  const { logger, lines } = recordingLogger();
  const deps: PasskeyDeps = { config, credentials, logger, clock: () => NOW };
  return { deps, logs: lines };
}

/** A fresh base64url challenge, as the Create trigger makes them. */
export function challenge(seed: string): string {
  return Buffer.from(`challenge-${seed}`.padEnd(32, "."), "utf8").toString("base64url");
}
