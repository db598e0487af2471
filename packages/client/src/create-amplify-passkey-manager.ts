/**
 * The passkey manager on Amplify v6: the access token is Amplify's own, read from
 * `fetchAuthSession()` before each call (so Amplify refreshes it when it has expired).
 */
import { fetchAuthSession } from "aws-amplify/auth";
import { type PasskeyManager, type PasskeyManagerOptions, createPasskeyManager } from "./create-passkey-manager.ts";

/** Options of `createAmplifyPasskeyManager`: those of `createPasskeyManager` but the token, which Amplify holds. */
export interface AmplifyPasskeyManagerOptions extends Omit<PasskeyManagerOptions, "accessToken"> {
  /** Amplify's `fetchAuthSession`; default the one of `aws-amplify/auth` (pass another in tests). */
  readonly fetchAuthSession?: (() => Promise<{ tokens?: { accessToken?: { toString(): string } | undefined } | undefined }>) | undefined;
}

/** Creates the passkey manager for the user signed in to Amplify; NotSignedInError when nobody is. */
export function createAmplifyPasskeyManager(options: AmplifyPasskeyManagerOptions): PasskeyManager {
  const session = options.fetchAuthSession ?? (() => fetchAuthSession());
  return createPasskeyManager({ ...options, accessToken: async () => (await session()).tokens?.accessToken?.toString() });
}
