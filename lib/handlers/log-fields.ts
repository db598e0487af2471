import type { CustomAuthRequest } from "../events/custom-auth-request.ts";

/**
 * Who a log line is about. For an unknown user Cognito passes on whatever the app typed (often an
 * email address), so only the fact that the user was not found is logged, never the name.
 */
export function userLogFields(request: Pick<CustomAuthRequest, "userName" | "userNotFound" | "clientId">) {
  return request.userNotFound ? { userNotFound: true, clientId: request.clientId } : { user: request.userName, clientId: request.clientId };
}
