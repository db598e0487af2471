/**
 * The people the local IdP knows: whoever typed themselves in at its sign-in form, kept in memory
 * by subject. The IdP asserts exactly what was typed, verified or not, so tests and the demo can
 * play an IdP that vouches for an email address and one that does not.
 */
import { createHash } from "node:crypto";

export interface IdpProfile {
  /** The IdP's `sub`. */
  readonly subject: string;
  readonly email?: string | undefined;
  readonly emailVerified: boolean;
  readonly phoneNumber?: string | undefined;
  readonly phoneVerified: boolean;
  readonly name?: string | undefined;
}

/**
 * The subject an email address signs in as when no subject is typed: derived from the address
 * (lower-cased), so the same address is the same IdP user on every sign-in, and opaque, as real
 * IdPs' subjects are.
 */
export function subjectForEmail(email: string): string {
  return createHash("sha256").update(`local-idp:${email.trim().toLowerCase()}`).digest("hex").slice(0, 24);
}

/** The standard OIDC claims of a profile (OpenID Connect Core 1.0, section 5.1); absent values are left out. */
export function profileClaims(profile: IdpProfile): Record<string, unknown> {
  return {
    sub: profile.subject,
    ...(profile.email === undefined ? {} : { email: profile.email, email_verified: profile.emailVerified }),
    ...(profile.phoneNumber === undefined ? {} : { phone_number: profile.phoneNumber, phone_number_verified: profile.phoneVerified }),
    ...(profile.name === undefined ? {} : { name: profile.name }),
  };
}

export class IdpAccounts {
  readonly #profiles = new Map<string, IdpProfile>();

  /** Records what the person typed; a later sign-in with the same subject replaces it. */
  save(profile: IdpProfile): void {
    this.#profiles.set(profile.subject, profile);
  }

  get(subject: string): IdpProfile | undefined {
    return this.#profiles.get(subject);
  }
}
