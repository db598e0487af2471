/**
 * The suite's structured logger (Powertools). Log lines carry reasons and masked values only:
 * never a code, a hash, a key or a full address (see README, "Security").
 */
import { Logger } from "@aws-lambda-powertools/logger";

export type { Logger };

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
