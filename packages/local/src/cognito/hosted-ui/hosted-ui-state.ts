/** What the hosted-UI endpoints share: the pool's services and the state of sign-ins in flight. */
import type { PoolServices, RequestContext } from "../pool-services.ts";
import type { AuthorizationCodes } from "./authorization-codes.ts";
import type { OidcRelyingParty } from "./oidc-relying-party.ts";
import type { PendingFederations } from "./pending-federations.ts";

export interface HostedUiState {
  readonly services: PoolServices;
  readonly codes: AuthorizationCodes;
  readonly pending: PendingFederations;
  readonly relyingParty: OidcRelyingParty;
  /** `<endpoint>/oauth2/idpresponse`: where identity providers send people back. */
  readonly idpResponseUrl: () => string;
}

/**
 * The context of triggers run from the hosted UI: no SDK made the request, so Cognito reports the
 * version as unknown (as logged PreSignUp_ExternalProvider events show, aws-amplify/amplify-js#8823).
 */
export function hostedUiContext(state: HostedUiState): RequestContext {
  return { services: state.services, callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: state.services.pool.clientId } };
}
