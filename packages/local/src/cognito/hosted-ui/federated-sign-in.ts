/**
 * Who a federated identity signs in as, decided the way Cognito is documented and reported to decide
 * (developer guide, "Linking federated users to an existing user profile":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation-consolidate-users.html;
 * "Pre sign-up Lambda trigger": https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html):
 * 1. the identity is linked to a native user (AdminLinkProviderForUser) → that user, its sub;
 * 2. a federated user was made from it before → that user, its mapped attributes refreshed;
 * 3. else PreSignUp runs with PreSignUp_ExternalProvider, then a federated user is made from it.
 * A failure is a value with the error_description Cognito sends back to the app.
 */
import { randomUUID } from "node:crypto";
import { CognitoError, unrecognizableLambdaOutput } from "../errors.ts";
import type { IdentityProviderConfig } from "../federation-config.ts";
import type { RequestContext } from "../pool-services.ts";
import { preSignUpEvent } from "../trigger-events.ts";
import type { UserRecord } from "../user-directory.ts";

export interface FederatedIdentity {
  readonly provider: IdentityProviderConfig;
  /** The IdP's `sub`. */
  readonly subject: string;
  /** The mapped attributes, every value a string. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type FederatedSignIn = { readonly ok: true; readonly user: UserRecord } | { readonly ok: false; readonly description: string };

/**
 * The username of the federated user made from an identity: `<provider>_<IdP sub>`. The prefix is the
 * provider name lower-cased, as reported of Cognito (`google_…` for a provider named `Google`,
 * aws-amplify/amplify-js#8823; triggers that call AdminLinkProviderForUser with that prefix must
 * restore the provider's real name). Reports show both casings over time; the lower-cased one is the
 * trap worth reproducing.
 */
export function federatedUsername(providerName: string, subject: string): string {
  return `${providerName.toLowerCase()}_${subject}`;
}

/** The native user this identity was linked to, if any (a federated user's own identity does not count). */
function linkedNativeUser(identity: FederatedIdentity, context: RequestContext): UserRecord | undefined {
  return context.services.users
    .list()
    .find(
      (user) =>
        user.status !== "EXTERNAL_PROVIDER" &&
        user.identities.some((held) => held.providerName === identity.provider.providerName && held.userId === identity.subject),
    );
}

function signedInAs(user: UserRecord): FederatedSignIn {
  // The wording of InitiateAuth's refusal of a disabled user; Cognito's hosted-UI wording is not documented.
  return user.enabled ? { ok: true, user } : { ok: false, description: "User is disabled." };
}

/** Runs PreSignUp_ExternalProvider; a refusal, a timeout or an unreadable answer comes back as its message. */
async function runPreSignUp(userName: string, identity: FederatedIdentity, context: RequestContext): Promise<string | undefined> {
  const { pool, triggers } = context.services;
  if (!triggers().has("PreSignUp")) return undefined;
  try {
    const answered = await triggers().invoke(
      "PreSignUp",
      preSignUpEvent({
        pool,
        userName,
        callerContext: context.callerContext,
        triggerSource: "PreSignUp_ExternalProvider",
        userAttributes: identity.attributes,
        validationData: {},
        clientMetadata: undefined,
      }),
    );
    // The flags mean nothing for a federated user (it is confirmed and its attributes come from the
    // IdP), but an answer Cognito could not read still fails the sign-in.
    const response = (answered["response"] ?? {}) as Record<string, unknown>;
    for (const flag of ["autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone"]) {
      const value = response[flag];
      if (value !== undefined && value !== null && typeof value !== "boolean") throw unrecognizableLambdaOutput();
    }
    return undefined;
  } catch (error) {
    if (error instanceof CognitoError) return error.message;
    throw error;
  }
}

export async function signInFederatedIdentity(identity: FederatedIdentity, context: RequestContext): Promise<FederatedSignIn> {
  const { users, now } = context.services;
  const linked = linkedNativeUser(identity, context);
  if (linked !== undefined) return signedInAs(linked);

  const userName = federatedUsername(identity.provider.providerName, identity.subject);
  const existing = users.get(userName);
  if (existing !== undefined && existing.status === "EXTERNAL_PROVIDER") {
    // Cognito writes every mapped attribute on each sign-in, so the IdP's latest values win.
    existing.attributes = { ...existing.attributes, ...identity.attributes };
    users.touch(existing, now());
    return signedInAs(existing);
  }

  const refusal = await runPreSignUp(userName, identity, context);
  if (refusal !== undefined) return { ok: false, description: refusal };
  if (linkedNativeUser(identity, context) !== undefined) {
    // Reported behaviour, not documented: when PreSignUp links the identity to a native user,
    // Cognito fails this first sign-in with this description, and the next sign-in with the same
    // identity lands in the native user (aws-amplify/amplify-js#9976, aws-amplify/amplify-flutter#1716).
    return { ok: false, description: `Already found an entry for username ${userName}` };
  }

  const created = now();
  const user: UserRecord = {
    username: userName,
    attributes: { sub: randomUUID(), ...identity.attributes },
    status: "EXTERNAL_PROVIDER",
    enabled: true,
    createdAt: created,
    modifiedAt: created,
    identities: [
      {
        providerName: identity.provider.providerName,
        providerType: identity.provider.providerType,
        userId: identity.subject,
        dateCreated: created,
        primary: true,
      },
    ],
  };
  users.add(user);
  return { ok: true, user };
}
