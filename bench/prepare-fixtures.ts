/**
 * What the cold-start and warm measurements need to exist before their first event: a user with a
 * passkey, enrolled through the real flow, and a sign-in record for PreTokenGeneration to read.
 */
import { randomUUID } from "node:crypto";
import { AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PUBLIC_KEY_ATTRIBUTE } from "../lib/passkey/public-key-cache.ts";
import { AUTH_LEVEL } from "../lib/protocol.ts";
import { createDynamoSignInRecordStore } from "../lib/store/sign-in-records.ts";
import type { LocalStack } from "../local/stack.ts";
import { CLIENT_ID } from "../test/support/events.ts";
import { createSoftAuthenticator } from "../test/support/soft-authenticator.ts";
import type { PasskeyHolder } from "./realistic-events.ts";
import { codeSignIn, signUpUser } from "./sign-in-flows.ts";

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Signs a user up and enrols a synced passkey (signature counter always 0, as iCloud Keychain and
 * Google Password Manager report), so the same credential can answer any number of bench events in
 * any order without a counter ever appearing to go backwards.
 */
export async function enrolPasskeyHolder(stack: LocalStack): Promise<PasskeyHolder> {
  const client = new CognitoIdentityProviderClient({
    region: stack.config.region,
    endpoint: stack.cognitoEndpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    const context = { client, clientId: stack.config.clientId, userPoolId: stack.config.userPoolId, outbox: stack.outbox };
    const email = `passkey-holder-${randomUUID().slice(0, 8)}@example.com`;
    const user = await signUpUser(context, { email });
    const origin = stack.templateParameters["PasskeyAllowedOrigins"] ?? stack.demoUrl;
    const authenticator = createSoftAuthenticator({ origin, counter: "zero", synced: true });
    await codeSignIn(context, user, "EMAIL_OTP", authenticator);
    // Enrolment cached the key in the user's attribute: Verify's events carry it from then on.
    const { UserAttributes: attributes = [] } = await client.send(new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: user.userName }));
    const cachedPublicKeys = attributes.find((attribute) => attribute.Name === PUBLIC_KEY_ATTRIBUTE)?.Value;
    if (cachedPublicKeys === undefined) throw new Error("Enrolment did not cache the passkey's key in the user's attribute.");
    return { userName: user.userName, email, authenticator, rpId: stack.templateParameters["RelyingPartyId"] ?? "localhost", cachedPublicKeys };
  } finally {
    client.destroy();
  }
}

/**
 * Writes the record Verify leaves after a code, with the store's own code, for the app client the
 * event factories name. Its lifetime is 15 minutes (lib/store/sign-in-records.ts): longer than a
 * bench run.
 */
export async function seedSignInRecord(stack: LocalStack): Promise<string> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: stack.config.region, endpoint: stack.dynamoEndpoint, credentials: LOCAL_CREDENTIALS }),
  );
  try {
    const userName = randomUUID();
    await createDynamoSignInRecordStore({ client, tableName: stack.tableName }).save({
      userName,
      clientId: CLIENT_ID,
      methods: ["email_otp"],
      level: AUTH_LEVEL.code,
      verifiedAt: Date.now(),
    });
    return userName;
  } finally {
    client.destroy();
  }
}
