/**
 * Reads who a federated user is from a PreSignUp_ExternalProvider event: which trusted identity
 * provider (spelled as the pool names it), the subject Cognito links on, and the email and phone
 * the IdP asserted, each with whether the IdP says it verified it.
 *
 * Cognito names the new user `<provider>_<subject>`, but the prefix's case need not match the
 * provider's configured name (`google_…` for `Google`), and both provider names and subjects may
 * contain "_". So the prefix is matched case-insensitively against the configured names, longest
 * first, and everything after it is the subject, whatever it contains.
 */
import { parseE164 } from "../phone.ts";

export interface AssertedContact {
  readonly value: string;
  /** The IdP said it verified this address (its `*_verified` claim, mapped by the pool, is "true"). */
  readonly verified: boolean;
}

export interface FederatedIdentity {
  /** The provider's name exactly as configured in the pool (what AdminLinkProviderForUser wants). */
  readonly providerName: string;
  /** The IdP's subject: the value of `Cognito_Subject`. */
  readonly subject: string;
  readonly email: AssertedContact | undefined;
  readonly phone: AssertedContact | undefined;
}

export type IdentityReading =
  | { readonly ok: true; readonly identity: FederatedIdentity }
  | { readonly ok: false; readonly reason: "untrusted-provider" | "no-subject"; readonly prefix: string };

/** Cognito caps ProviderAttributeValue at 2048 characters; a longer subject cannot be linked. */
const MAX_SUBJECT_LENGTH = 2048;
/** RFC 5321 caps an address at 254 characters; a longer one is not an address anyone receives mail at. */
const MAX_EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function asserted(value: string | undefined, verifiedFlag: string | undefined, valid: (value: string) => boolean): AssertedContact | undefined {
  if (value === undefined || !valid(value)) return undefined;
  // Only the exact string "true" counts: an IdP that sends nothing, "false", "True " or a number
  // has not told us it verified the address.
  return { value, verified: verifiedFlag === "true" };
}

export function readFederatedIdentity(
  userName: string,
  userAttributes: Readonly<Record<string, string>>,
  trustedProviders: readonly string[],
): IdentityReading {
  const lowered = userName.toLowerCase();
  const provider = [...trustedProviders].sort((a, b) => b.length - a.length).find((name) => lowered.startsWith(`${name.toLowerCase()}_`));
  if (provider === undefined) {
    const cut = userName.indexOf("_");
    return { ok: false, reason: "untrusted-provider", prefix: cut < 0 ? userName.slice(0, 32) : userName.slice(0, Math.min(cut, 32)) };
  }
  const subject = userName.slice(provider.length + 1);
  if (subject === "" || subject.length > MAX_SUBJECT_LENGTH) return { ok: false, reason: "no-subject", prefix: provider };
  return {
    ok: true,
    identity: {
      providerName: provider,
      subject,
      email: asserted(userAttributes["email"], userAttributes["email_verified"], (value) => value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value)),
      phone: asserted(userAttributes["phone_number"], userAttributes["phone_number_verified"], (value) => parseE164(value) !== undefined),
    },
  };
}
