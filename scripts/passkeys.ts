/**
 * `npm run passkeys -- list --user <username-or-sub-or-email>`
 * `npm run passkeys -- revoke --user <…> (--id <credentialId> | --all)`
 *
 * The operator's view of a user's passkeys, and their revocation: a lost or stolen device, or an
 * owner who reports a passkey they did not add. Runs with the operator's own AWS credentials and
 * region (the SDK's usual configuration, AWS_ENDPOINT_URL_* included), never a function's role.
 *
 * The user is resolved with AdminGetUser, which takes the username or an alias (email, phone)
 * and gives the internal username the table keys; a `sub` is looked up with ListUsers. A
 * revocation is exactly lib/passkey/revoke-passkey.ts: the key is refused from its first write
 * on, and the owner is told by the verified email (EMAIL_FROM, through SES) or phone (SNS).
 *
 * --table <name>   the suite's table (else TABLE_NAME)
 * --pool <id>      the user pool (else USER_POOL_ID)
 * --user <login>   username, sub, email or phone number
 * --id <id>        the credential id to revoke (base64url, as `list` shows it)
 * --all            revoke every passkey of the user
 * EMAIL_FROM, APP_NAME, SMS_SENDER_ID, SMS_ALLOWED_COUNTRY_CODES: the notice, as the functions send it.
 */
import { parseArgs } from "node:util";
import { AdminGetUserCommand, type AttributeType, CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createCognitoPublicKeyAttributeWriter } from "../lib/cognito/public-key-attribute.ts";
import { createLogger } from "../lib/logger.ts";
import { createPasskeyNotifier } from "../lib/notify/passkey-notifier.ts";
import { PUBLIC_KEY_ATTRIBUTE, findCachedPublicKey } from "../lib/passkey/public-key-cache.ts";
import { revokePasskey } from "../lib/passkey/revoke-passkey.ts";
import { createSesEmailSender } from "../lib/send/email-sender.ts";
import { createSnsSmsSender } from "../lib/send/sms-sender.ts";
import { createDynamoPasskeyStore } from "../lib/store/passkey-credentials.ts";
import { createDynamoSignInRecordStore } from "../lib/store/sign-in-records.ts";

const USAGE = [
  "Usage: npm run passkeys -- list --user <username-or-sub-or-email> [--table <name>] [--pool <id>]",
  "       npm run passkeys -- revoke --user <username-or-sub-or-email> (--id <credentialId> | --all) [--table <name>] [--pool <id>]",
].join("\n");

class UsageError extends Error {}

interface Options {
  readonly command: "list" | "revoke";
  readonly user: string;
  readonly tableName: string;
  readonly userPoolId: string;
  readonly id?: string | undefined;
  readonly all: boolean;
}

function readOptions(argv: readonly string[]): Options {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if ((command !== "list" && command !== "revoke") || rest.length > 0) throw new UsageError("Say list or revoke.");
  if (values.user === undefined || values.user === "") throw new UsageError("--user is required.");
  const tableName = values.table ?? process.env["TABLE_NAME"];
  const userPoolId = values.pool ?? process.env["USER_POOL_ID"];
  if (tableName === undefined || tableName === "") throw new UsageError("Give the table with --table or TABLE_NAME.");
  if (userPoolId === undefined || userPoolId === "") throw new UsageError("Give the user pool with --pool or USER_POOL_ID.");
  if (command === "revoke" && (values.id === undefined) === (values.all !== true)) throw new UsageError("revoke takes --id <credentialId> or --all.");
  if (command === "list" && (values.id !== undefined || values.all === true)) throw new UsageError("list takes no --id or --all.");
  return { command, user: values.user, tableName, userPoolId, id: values.id, all: values.all === true };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      user: { type: "string" },
      id: { type: "string" },
      all: { type: "boolean", default: false },
      table: { type: "string" },
      pool: { type: "string" },
    },
  });
}

function attributeMap(attributes: readonly AttributeType[] | undefined): Record<string, string> {
  return Object.fromEntries((attributes ?? []).flatMap((attribute) => (attribute.Name === undefined ? [] : [[attribute.Name, attribute.Value ?? ""]])));
}

const isUserNotFound = (error: unknown) => error instanceof Error && error.name === "UserNotFoundException";

/** The internal username and attributes of the user the operator named, or undefined. */
async function resolveUser(cognito: CognitoIdentityProviderClient, userPoolId: string, login: string) {
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: login }));
    if (user.Username !== undefined) return { userName: user.Username, attributes: attributeMap(user.UserAttributes) };
  } catch (error) {
    if (!isUserNotFound(error)) throw error;
  }
  // Not a username or an alias: perhaps the user's sub (no `"` can be in one, so the filter is exact).
  if (login.includes('"')) return undefined;
  const found = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${login}"`, Limit: 1 }));
  const userName = found.Users?.[0]?.Username;
  if (userName === undefined) return undefined;
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userName }));
  return { userName, attributes: attributeMap(user.UserAttributes) };
}

function notifier() {
  const emailFrom = process.env["EMAIL_FROM"];
  const countries = (process.env["SMS_ALLOWED_COUNTRY_CODES"] ?? "")
    .split(",")
    .map((code) => code.trim())
    .filter((code) => code !== "");
  return createPasskeyNotifier({
    email: emailFrom === undefined || emailFrom === "" ? undefined : createSesEmailSender({ client: new SESClient({}), from: emailFrom }),
    sms: createSnsSmsSender({ client: new SNSClient({}), senderId: process.env["SMS_SENDER_ID"] }),
    smsAllowedCountryCodes: countries,
  });
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const cognito = new CognitoIdentityProviderClient({});
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  try {
    const user = await resolveUser(cognito, options.userPoolId, options.user);
    if (user === undefined) {
      console.error(`No user "${options.user}" in user pool ${options.userPoolId}.`);
      return 1;
    }
    const credentials = createDynamoPasskeyStore({ client: documentClient, tableName: options.tableName });
    const passkeys = await credentials.listForUser(user.userName);

    if (options.command === "list") {
      console.log(`User ${user.userName}: ${passkeys.length} passkey${passkeys.length === 1 ? "" : "s"}`);
      for (const passkey of passkeys) {
        const cached = findCachedPublicKey(user.attributes[PUBLIC_KEY_ATTRIBUTE], passkey.credentialId) !== undefined;
        const lastUsed = passkey.lastUsedAt === undefined ? "" : `, last used ${new Date(passkey.lastUsedAt).toISOString()}`;
        const created = new Date(passkey.createdAt).toISOString();
        console.log(
          `${passkey.credentialId}  ${passkey.friendlyName}  (${passkey.deviceType}, created ${created}${lastUsed}${cached ? "" : ", key not cached"})`,
        );
      }
      return 0;
    }

    const ids = options.all ? passkeys.map((passkey) => passkey.credentialId) : [options.id ?? ""];
    if (ids.length === 0) {
      console.log(`User ${user.userName} has no passkeys.`);
      return 0;
    }
    const deps = {
      credentials,
      signIns: createDynamoSignInRecordStore({ client: documentClient, tableName: options.tableName }),
      publicKeyAttribute: createCognitoPublicKeyAttributeWriter(cognito),
      notices: notifier(),
      appName: process.env["APP_NAME"] ?? "your account",
      logger: createLogger("passkeys-operator"),
      clock: Date.now,
    };
    let attributes = user.attributes;
    let failed = false;
    for (const credentialId of ids) {
      const result = await revokePasskey(deps, { userPoolId: options.userPoolId, userName: user.userName, credentialId, userAttributes: attributes });
      if (result === "revoked") {
        console.log(`Revoked passkey ${credentialId} of user ${user.userName}.`);
      } else {
        console.error(`User ${user.userName} has no passkey ${credentialId}.`);
        failed = true;
      }
      // The next revocation rewrites the attribute as this one left it.
      if (ids.length > 1) attributes = (await resolveUser(cognito, options.userPoolId, user.userName))?.attributes ?? attributes;
    }
    return failed ? 1 : 0;
  } finally {
    cognito.destroy();
    documentClient.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exitCode = 1;
  },
);
