/** What every operation of the local endpoint works with; created once by the server. */
import type { AuthSessions } from "./auth-sessions.ts";
import type { FederationConfig } from "./federation-config.ts";
import type { PoolConfig } from "./pool-config.ts";
import type { TokenService } from "./token-service.ts";
import type { CallerContext } from "./trigger-events.ts";
import type { TriggerInvoker } from "./trigger-invoker.ts";
import type { UserDirectory } from "./user-directory.ts";
import type { VerificationCodes } from "./verification-codes.ts";

/**
 * A message the pool itself would send (an AdminCreateUser invitation, an attribute verification
 * code), for the local outbox.
 */
export interface PoolMessage {
  readonly channel: "email" | "sms";
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
}

export interface PoolServices {
  readonly pool: PoolConfig;
  readonly users: UserDirectory;
  readonly sessions: AuthSessions;
  readonly tokens: TokenService;
  readonly triggers: () => TriggerInvoker;
  /** Identity providers and the client's OAuth settings; installed with the triggers. */
  readonly federation: () => FederationConfig;
  readonly now: () => number;
  /** Keys the stand-in usernames of unknown users, so one login always gets the same one. */
  readonly standInSecret: Buffer;
  readonly deliver: (message: PoolMessage) => void;
  /** Attribute verification codes sent and not yet used (GetUserAttributeVerificationCode, VerifyUserAttribute). */
  readonly verificationCodes: VerificationCodes;
}

export interface RequestContext {
  readonly services: PoolServices;
  readonly callerContext: CallerContext;
}
