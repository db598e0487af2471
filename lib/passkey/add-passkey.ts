/**
 * The second half of adding a passkey while signed in (`POST /passkeys`): the challenge the
 * options carried is used up (one conditional delete: this user's, for a registration, not
 * expired), then the registration is judged and stored exactly as enrolment in a sign-in does it
 * (lib/passkey/verify-passkey-registration.ts: the same checks, the per-user limit, the duplicate
 * refusal, the same writes, and the notice to the account's owner).
 */
import type { UserAttributesReader } from "../cognito/user-attributes.ts";
import type { PasskeyChallengeStore } from "../store/passkey-challenges.ts";
import type { PasskeyRejection, RegistrationResult } from "./passkey-results.ts";
import { passkeyUserHandle } from "./user-handle.ts";
import { type RegistrationDeps, verifyPasskeyRegistration } from "./verify-passkey-registration.ts";

export interface AddPasskeyDeps extends RegistrationDeps {
  readonly challenges: Pick<PasskeyChallengeStore, "consume">;
  readonly users: UserAttributesReader;
}

export interface AddPasskeyInput {
  readonly userPoolId: string;
  readonly userName: string;
  readonly challengeId: string;
  /** RegistrationResponseJSON as the client sent it, not yet read. */
  readonly response: unknown;
  /** The name the user gave it, checked already; else the provider's or the browser's. */
  readonly friendlyName?: string | undefined;
  readonly userAgent?: string | undefined;
}

export type AddPasskeyResult = RegistrationResult | { readonly ok: false; readonly reason: "challenge_invalid" | "user_not_found" };

export type AddPasskeyRejection = PasskeyRejection | "challenge_invalid" | "user_not_found";

export async function addPasskey(deps: AddPasskeyDeps, input: AddPasskeyInput): Promise<AddPasskeyResult> {
  const use = { purpose: "registration", userName: input.userName, rpId: deps.config.rpId, now: deps.clock() } as const;
  // Both at once: neither needs the other, and the challenge is used up whatever the user's read says.
  const [challenge, userAttributes] = await Promise.all([deps.challenges.consume(input.challengeId, use), deps.users.read(input.userPoolId, input.userName)]);
  if (challenge === undefined) return { ok: false, reason: "challenge_invalid" };
  if (userAttributes === undefined) return { ok: false, reason: "user_not_found" };
  return verifyPasskeyRegistration(deps, {
    answer: JSON.stringify(input.response),
    expectedChallenge: challenge,
    userName: input.userName,
    userPoolId: input.userPoolId,
    userAttributes,
    userHandle: passkeyUserHandle(userAttributes, input.userName),
    userAgent: input.userAgent,
    friendlyName: input.friendlyName,
  });
}
