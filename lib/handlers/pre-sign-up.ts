/**
 * PreSignUp:
 * - SignUp: confirms the person (passwordless users have no password step to confirm with) and
 *   verifies nothing. An address becomes verified only when a code sent to it is entered
 *   (Verify), because marking an alias verified can move it away from another user.
 * - AdminCreateUser: passes through; an administrator states verification in the attributes.
 * - ExternalProvider: links the federated identity to the one native user holding the same
 *   verified email or phone, creating that user when nobody holds it (lib/linking/). After a
 *   link it ends the sign-in with AccountLinkedError, which the app answers by signing in again.
 */
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { AccountLinkedError } from "../errors.ts";
import { readTriggerContext } from "../events/read-event.ts";
import { readSignUpUserAttributes } from "../events/sign-up-request.ts";
import type { LinkOutcome, LinkRequest } from "../linking/link-federated-user.ts";
import type { Logger } from "../logger.ts";
import { handlerBoundary } from "./handler-boundary.ts";

export interface PreSignUpDeps {
  readonly logger: Logger;
  /** lib/linking/link-federated-user.ts, bound to its Cognito clients (see federated-linker.ts). */
  readonly linkFederatedUser: (request: LinkRequest) => Promise<LinkOutcome>;
}

const NOTHING = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false } as const;

export function createPreSignUpHandler(deps: PreSignUpDeps) {
  const { logger } = deps;

  async function externalProvider(event: PreSignUpTriggerEvent, userPoolId: string, userName: string): Promise<void> {
    const userAttributes = readSignUpUserAttributes(event);
    const outcome = await deps.linkFederatedUser({ userPoolId, userName, userAttributes });
    if (outcome.kind === "linked") throw new AccountLinkedError();
  }

  // Throwing refuses the sign-up: the one safe answer to an event we cannot read or a link we
  // could not make. Cognito shows the app "PreSignUp failed with error <message>."
  return handlerBoundary(logger, "PreSignUp", async function preSignUp(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
    const context = readTriggerContext(event);
    switch (context.triggerSource) {
      case "PreSignUp_SignUp":
        event.response = { ...NOTHING, autoConfirmUser: true };
        logger.info("Sign-up confirmed; addresses stay unverified until a code proves them", { user: context.userName });
        break;
      case "PreSignUp_AdminCreateUser":
        event.response = { ...NOTHING };
        logger.info("Administrator-created user passed through unchanged", { user: context.userName });
        break;
      case "PreSignUp_ExternalProvider":
        // Cognito confirms federated users itself; the flags would change nothing.
        event.response = { ...NOTHING };
        await externalProvider(event, context.userPoolId, context.userName);
        break;
      default:
        logger.warn("Unknown PreSignUp trigger source: nothing confirmed or verified", { triggerSource: context.triggerSource });
        event.response = { ...NOTHING };
    }
    return event;
  });
}
