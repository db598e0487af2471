/**
 * The stores more than one function wires the same way, each loaded with the DynamoDB client on
 * its first call (loadedOnFirstCall): a cold start pays for the SDK only on a path that reads or
 * writes a record. The client itself is the process's one (documentClientFor); a store's module
 * and the client load side by side.
 */
import type { AwsCallConfig } from "../config.ts";
import { loadOnce, loadedOnFirstCall } from "../load-once.ts";
import type { PasskeyCredentialStore } from "./passkey-credentials.ts";
import type { SignInRecordStore } from "./sign-in-records.ts";

export function lazyDynamoStores(call: AwsCallConfig, tableName: string) {
  const client = loadOnce(async () => (await import("./dynamo-document-client.ts")).documentClientFor(call));
  return {
    /** The document client, for a function's own stores. */
    client,
    passkeyCredentials: () =>
      loadedOnFirstCall<PasskeyCredentialStore>(
        async () => {
          const [{ createDynamoPasskeyStore }, loaded] = await Promise.all([import("./passkey-credentials.ts"), client()]);
          return createDynamoPasskeyStore({ client: loaded, tableName });
        },
        { get: true, listForUser: true, create: true },
      ),
    signInRecords: () =>
      loadedOnFirstCall<SignInRecordStore>(
        async () => {
          const [{ createDynamoSignInRecordStore }, loaded] = await Promise.all([import("./sign-in-records.ts"), client()]);
          return createDynamoSignInRecordStore({ client: loaded, tableName });
        },
        {
          save: true,
          saveCodeProof: true,
          findFirstProof: true,
          savePasskeySignIn: true,
          completePendingPasskeySignIn: true,
          addPasskeyKey: true,
          findPasskeyKey: true,
          revokePasskeyKey: true,
          passkeyStates: true,
          findRecent: true,
        },
      ),
  };
}
