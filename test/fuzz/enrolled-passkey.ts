/**
 * A real passkey for the fuzzed Verify: a soft authenticator enrolled through the suite's own
 * registration path, and the stored credential that path produced. With it, garbage passkey
 * answers that name this credential reach signature verification, and the positive control can
 * sign in for real.
 */
import type { PasskeyConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/logger.ts";
import { passkeyRegistrationOptions } from "../../lib/passkey/registration-options.ts";
import { passkeyUserHandle } from "../../lib/passkey/user-handle.ts";
import { verifyPasskeyRegistration } from "../../lib/passkey/verify-passkey-registration.ts";
import type { StoredPasskey } from "../../lib/store/passkey-credentials.ts";
import { USER_ATTRIBUTES, USER_NAME } from "@cognito-passwordless/test-kit/events.ts";
import { type SoftAuthenticator, createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";

export const PASSKEY_ENV = { PASSKEY_RP_ID: "example.com", PASSKEY_ALLOWED_ORIGINS: "https://example.com" } as const;

const CONFIG: PasskeyConfig = {
  rpId: PASSKEY_ENV.PASSKEY_RP_ID,
  rpName: "Example",
  allowedOrigins: [PASSKEY_ENV.PASSKEY_ALLOWED_ORIGINS],
  userVerification: "required",
  maxPerUser: 10,
  timeoutMs: 120_000,
};

export interface EnrolledPasskey {
  readonly authenticator: SoftAuthenticator;
  readonly stored: StoredPasskey;
}

export async function enrolPasskey(): Promise<EnrolledPasskey> {
  const authenticator = createSoftAuthenticator({ origin: PASSKEY_ENV.PASSKEY_ALLOWED_ORIGINS });
  const userHandle = passkeyUserHandle(USER_ATTRIBUTES, USER_NAME);
  const options = await passkeyRegistrationOptions(CONFIG, {
    challenge: Buffer.from("enrolment challenge for the fuzz").toString("base64url"),
    userHandle,
    userName: USER_ATTRIBUTES.email ?? USER_NAME,
    displayName: USER_ATTRIBUTES.email ?? USER_NAME,
    existing: [],
  });
  let stored: StoredPasskey | undefined;
  const result = await verifyPasskeyRegistration(
    {
      config: CONFIG,
      credentials: {
        get: async () => undefined,
        listForUser: async () => [],
        create: async (passkey) => {
          stored = passkey;
          return "created";
        },
      },
      signIns: { savePasskeySignIn: async () => "saved", addPasskeyKey: async () => undefined, findPasskeyKey: async () => undefined },
      publicKeyAttribute: { write: async () => undefined },
      notices: { notify: async () => undefined },
      appName: "Fuzz",
      logger: createLogger("fuzz-enrolment"),
      clock: Date.now,
    },
    {
      answer: JSON.stringify(authenticator.register(options)),
      expectedChallenge: options.challenge,
      userName: USER_NAME,
      userPoolId: "us-east-1_Fuzz",
      userAttributes: USER_ATTRIBUTES,
      userHandle,
    },
  );
  if (!result.ok || stored === undefined) throw new Error(`The soft authenticator did not enrol: ${result.ok ? "nothing stored" : result.reason}`);
  return { authenticator, stored };
}

/** The request options of a SELECT_METHOD round with this challenge, as the app would receive them. */
export function requestOptions(challenge: string) {
  return { challenge, rpId: CONFIG.rpId, timeout: CONFIG.timeoutMs, userVerification: CONFIG.userVerification, allowCredentials: [] };
}
