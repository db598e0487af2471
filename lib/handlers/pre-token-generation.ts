/**
 * PreTokenGeneration: adds `auth_methods` and `auth_level` when, and only when, Verify left a
 * record of a factor it verified for this user and app client. V1 events (Lite plan) take string
 * claims for the ID token; V2 and later events take claims for the ID and the access token.
 *
 * Refreshed tokens (TokenGeneration_RefreshTokens) get neither claim: a refresh proves no factor,
 * and the event carries nothing that ties it to the sign-in it continues (see README, Tokens).
 */
import type { PreTokenGenerationTriggerEvent, PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { authClaims } from "../claims/auth-claims.ts";
import { MalformedEventError, StoreUnavailableError } from "../errors.ts";
import { readTriggerContext } from "../events/read-event.ts";
import type { Logger } from "../logger.ts";
import type { SignInRecordStore } from "../store/sign-in-records.ts";
import { handlerBoundary } from "./handler-boundary.ts";

export interface PreTokenGenerationDeps {
  /** Only reads: Verify writes the records. */
  readonly signInRecords: Pick<SignInRecordStore, "findRecent">;
  readonly logger: Logger;
  readonly clock: () => number;
}

type TokenEvent = PreTokenGenerationTriggerEvent | PreTokenGenerationV2TriggerEvent;

/** Token events whose claims may say how the user signed in: a sign-in through our custom flow. */
const SIGN_IN_SOURCES = new Set(["TokenGeneration_Authentication"]);

export function createPreTokenGenerationHandler({ signInRecords, logger, clock }: PreTokenGenerationDeps) {
  async function preTokenGeneration<E extends TokenEvent>(event: E): Promise<E> {
    const context = readTriggerContext(event);
    if (!SIGN_IN_SOURCES.has(context.triggerSource)) {
      logger.info("No sign-in claims for this token event", { user: context.userName, triggerSource: context.triggerSource });
      return event;
    }

    let claims: Record<string, string> = {};
    try {
      const record = await signInRecords.findRecent(context.userName, context.clientId, clock());
      claims = authClaims(record);
      if (record === undefined) logger.warn("Tokens issued with no verified factor on record", { user: context.userName, clientId: context.clientId });
    } catch (error) {
      // Tokens without the claims say nothing false; failing the sign-in over them would say less.
      if (!(error instanceof StoreUnavailableError)) throw error;
      logger.error("Sign-in record unavailable: tokens issued without auth claims", { user: context.userName, error });
    }
    if (Object.keys(claims).length === 0) return event;

    const given = (event as { version?: unknown }).version;
    // Only a string or a number is read: String() of an object whose toString is data (JSON can
    // send one) throws a TypeError instead of refusing the event.
    const version = typeof given === "string" || typeof given === "number" ? String(given) : undefined;
    if (version === "1") {
      (event as PreTokenGenerationTriggerEvent).response = {
        claimsOverrideDetails: { claimsToAddOrOverride: claims },
      };
    } else if (version === "2" || version === "3") {
      (event as PreTokenGenerationV2TriggerEvent).response = {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: claims },
          accessTokenGeneration: { claimsToAddOrOverride: claims },
        },
      };
    } else {
      const shown = version === undefined ? `of type ${given === null ? "null" : typeof given}` : `"${version}"`;
      throw new MalformedEventError(`version is ${shown}: this trigger understands token events of version 1, 2 and 3.`);
    }
    logger.info("Sign-in claims added", { user: context.userName, ...claims });
    return event;
  }
  return handlerBoundary(logger, "PreTokenGeneration", preTokenGeneration) as typeof preTokenGeneration;
}
