/**
 * The passkey parts of rounds: what Create adds to SELECT_METHOD and builds for
 * PASSKEY_REGISTRATION. Options are JSON strings because every challenge parameter is a string.
 */
import { randomBytes } from "node:crypto";
import type { PasskeyConfig } from "../config.ts";
import type { PasskeyCredentialStore } from "../store/passkey-credentials.ts";
import { passkeyAuthenticationOptions } from "./authentication-options.ts";
import { accountShownName, passkeyRegistrationOptions } from "./registration-options.ts";
import { passkeyUserHandle } from "./user-handle.ts";

export interface PasskeyRoundDeps {
  readonly config: PasskeyConfig;
  readonly credentials: PasskeyCredentialStore;
}

/** 32 bytes from the CSPRNG, base64url: a WebAuthn challenge that lives only in Cognito's session. */
export function newPasskeyChallenge(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * `passkeyOptions` of SELECT_METHOD: the same for every user (no allowCredentials), so the round
 * says nothing about whether the user exists or has a passkey.
 */
export function selectMethodPasskeyOptions(config: PasskeyConfig, challenge: string): string {
  return JSON.stringify(passkeyAuthenticationOptions(config, challenge));
}

export async function registrationRoundOptions(
  deps: PasskeyRoundDeps,
  input: { challenge: string; userName: string; userAttributes: Readonly<Record<string, string>> },
): Promise<string> {
  const existing = await deps.credentials.listForUser(input.userName);
  const shownName = accountShownName(input.userAttributes, input.userName);
  const options = await passkeyRegistrationOptions(deps.config, {
    challenge: input.challenge,
    userHandle: passkeyUserHandle(input.userAttributes, input.userName),
    userName: shownName,
    displayName: shownName,
    existing,
  });
  return JSON.stringify(options);
}
