/**
 * PreSignUp: confirms people who sign up themselves, since passwordless users have no password
 * step to confirm with; verifies nothing. An address becomes verified only when a code sent to it
 * is entered (Verify), because marking an alias verified can move it away from another user.
 */
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { readTriggerContext } from "../events/read-event.ts";
import type { Logger } from "../logger.ts";

export interface PreSignUpDeps {
  readonly logger: Logger;
}

export function createPreSignUpHandler({ logger }: PreSignUpDeps) {
  return async function preSignUp(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
    const context = readTriggerContext(event);
    switch (context.triggerSource) {
      case "PreSignUp_SignUp":
        event.response = { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false };
        logger.info("Sign-up confirmed; addresses stay unverified until a code proves them", { user: context.userName });
        break;
      case "PreSignUp_AdminCreateUser":
        // An administrator states verification through the attributes they set; we add nothing.
        event.response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
        logger.info("Administrator-created user passed through unchanged", { user: context.userName });
        break;
      case "PreSignUp_ExternalProvider":
        // Linking federated users to native ones is not part of this build: nothing is linked or verified.
        event.response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
        logger.info("Federated sign-up passed through without linking", { user: context.userName });
        break;
      default:
        logger.warn("Unknown PreSignUp trigger source: nothing confirmed or verified", { triggerSource: context.triggerSource });
        event.response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
    }
    return event;
  };
}
