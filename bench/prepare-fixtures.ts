/**
 * What the cold-start and warm measurements need to exist before their first event: a user with a
 * passkey, enrolled through the real flow, a sign-in record for PreTokenGeneration to read, and
 * users with no passkey yet for Verify's registration answers.
 */
import { randomUUID } from "node:crypto";
import { AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PUBLIC_KEY_ATTRIBUTE } from "../lib/passkey/public-key-cache.ts";
import { AUTH_LEVEL } from "@cognito-passwordless/protocol";
import { createDynamoSignInRecordStore } from "../lib/store/sign-in-records.ts";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import { CLIENT_ID } from "@cognito-passwordless/test-kit/events.ts";
import { createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { inParallel, newSignInClient } from "./load-users.ts";
import type { EnrolmentInputs, PasskeyHolder } from "./realistic-events.ts";
import { codeSignIn, markVerified, signUpUser } from "./sign-in-flows.ts";

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** The user's custom:passkeys attribute, where enrolment caches the new key, if any. */
async function cachedPublicKeysOf(client: CognitoIdentityProviderClient, stack: LocalStack, userName: string): Promise<string | undefined> {
  const { UserAttributes: attributes = [] } = await client.send(new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: userName }));
  return attributes.find((attribute) => attribute.Name === PUBLIC_KEY_ATTRIBUTE)?.Value;
}

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
    const context = {
      client,
      clientId: stack.config.clientId,
      userPoolId: stack.config.userPoolId,
      outbox: stack.outbox,
      passkeyApiUrl: stack.passkeyApiUrl,
      fetch: (input: string, init?: RequestInit) => globalThis.fetch(input, init),
    };
    const email = `passkey-holder-${randomUUID().slice(0, 8)}@example.com`;
    const user = await signUpUser(context, { email });
    const origin = stack.templateParameters["PasskeyAllowedOrigins"] ?? stack.demoUrl;
    const authenticator = createSoftAuthenticator({ origin, counter: "zero", synced: true });
    await codeSignIn(context, user, "EMAIL_OTP", authenticator);
    // Enrolment cached the key in the user's attribute: Verify's events carry it from then on.
    const cachedPublicKeys = await cachedPublicKeysOf(client, stack, user.userName);
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

/**
 * Signs up `count` users and marks their email verified, as the load's enrolling users are: one per
 * registration answer of the warm scenario, so each answer is its user's first passkey.
 */
export async function prepareEnrolmentInputs(stack: LocalStack, count: number): Promise<EnrolmentInputs> {
  const admin = newSignInClient(stack);
  try {
    const run = randomUUID().slice(0, 8);
    const users = await inParallel(count, 8, async (index) => {
      const user = await signUpUser(admin.context, { email: `enrolling-${run}-${index}@example.com` });
      await markVerified(admin.context, user);
      return { userName: user.userName, email: user.login };
    });
    return {
      users,
      origin: stack.templateParameters["PasskeyAllowedOrigins"] ?? stack.demoUrl,
      rpId: stack.templateParameters["RelyingPartyId"] ?? "localhost",
      userPoolId: stack.config.userPoolId,
    };
  } finally {
    admin.close();
  }
}

/**
 * After the warm registration answers: whether the last user's key reached its attribute, so a
 * write that failed (and was only logged: it is best effort) does not go unnoticed.
 */
export async function checkKeyCached(stack: LocalStack, enrolment: EnrolmentInputs, answers: number): Promise<string | undefined> {
  const user = enrolment.users[answers - 1];
  if (user === undefined) return `no user for registration answer ${answers}`;
  const admin = newSignInClient(stack);
  try {
    const cached = await cachedPublicKeysOf(admin.context.client, stack, user.userName);
    return cached === undefined ? `the registration of ${user.email} left no key in its ${PUBLIC_KEY_ATTRIBUTE} attribute` : undefined;
  } finally {
    admin.close();
  }
}
