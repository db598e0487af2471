/**
 * Creating users: SignUp (PreSignUp_SignUp) and AdminCreateUser (PreSignUp_AdminCreateUser).
 * API reference: …/API_SignUp.html, …/API_AdminCreateUser.html; developer guide, "Pre sign-up Lambda
 * trigger" (autoConfirmUser, autoVerifyEmail, autoVerifyPhone):
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
import { randomBytes, randomUUID } from "node:crypto";
import { requireClient } from "./auth-operations.ts";
import { CognitoError, invalidParameter, unrecognizableLambdaOutput } from "./errors.ts";
import { checkAgainstSchema, checkClientMayWrite } from "./attribute-schema.ts";
import type { PasswordPolicy, UsernameAttribute } from "./pool-config.ts";
import type { RequestContext } from "./pool-services.ts";
import { requireUserPool } from "./user-operations.ts";
import { type Input, attributeList as readAttributes, optionalString, requiredString, stringMap } from "./request-input.ts";
import { preSignUpEvent } from "./trigger-events.ts";
import type { UserRecord, UserStatus } from "./user-directory.ts";
import { attributeList, userDescription } from "./user-views.ts";

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

/** In an alias pool the username must be one of the sign-in attributes; it becomes that attribute. */
function usernameAttribute(username: string, allowed: readonly UsernameAttribute[]): UsernameAttribute {
  if (allowed.includes("email") && EMAIL.test(username)) return "email";
  if (allowed.includes("phone_number") && PHONE.test(username)) return "phone_number";
  if (allowed.length === 2) throw invalidParameter("Username should be either an email or a phone number.");
  throw invalidParameter(allowed[0] === "email" ? "Username should be an email." : "Username should be a phone number.");
}

/**
 * Cognito checks a SignUp password against the pool's policy (InvalidPasswordException), so an app
 * that sends a too-weak random password fails here as it would in AWS. Symbols per the developer
 * guide, "Password policies" (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html).
 */
function checkPassword(password: string, policy: PasswordPolicy): void {
  const problem =
    password.length < policy.minimumLength
      ? "Password not long enough"
      : policy.requireLowercase && !/[a-z]/.test(password)
        ? "Password must have lowercase characters"
        : policy.requireUppercase && !/[A-Z]/.test(password)
          ? "Password must have uppercase characters"
          : policy.requireNumbers && !/[0-9]/.test(password)
            ? "Password must have numeric characters"
            : policy.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)
              ? "Password must have symbol characters"
              : undefined;
  if (problem !== undefined) throw new CognitoError("InvalidPasswordException", `Password did not conform with policy: ${problem}`);
}

function attributesOf(input: Input, member: string): Record<string, string> {
  return Object.fromEntries((readAttributes(input, member) ?? []).map(({ name, value }) => [name, value]));
}

interface NewUser {
  readonly triggerSource: "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser";
  readonly chosenUsername: string;
  readonly attributes: Record<string, string>;
  readonly validationData: Record<string, string> | undefined;
  readonly clientMetadata: Record<string, string> | undefined;
}

async function createUser(request: NewUser, context: RequestContext): Promise<UserRecord> {
  const { pool, users, triggers, now } = context.services;
  const attributes = { ...request.attributes };
  if (attributes["sub"] !== undefined) throw invalidParameter("Cannot modify the non-mutable attribute sub");
  checkAgainstSchema(pool.attributes, attributes);
  if (users.aliasPool) {
    const attribute = usernameAttribute(request.chosenUsername, pool.usernameAttributes);
    attributes[attribute] = request.chosenUsername;
  } else if (users.get(request.chosenUsername) !== undefined) {
    throw new CognitoError("UsernameExistsException", "User already exists");
  }
  const conflict = users.conflictingAlias(attributes);
  if (conflict !== undefined) throw new CognitoError("UsernameExistsException", `An account with the given ${conflict} already exists.`);

  const username = users.newUsername(request.chosenUsername);
  let flags = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  if (triggers().has("PreSignUp")) {
    const answered = await triggers().invoke(
      "PreSignUp",
      preSignUpEvent({
        pool,
        userName: username,
        callerContext: context.callerContext,
        triggerSource: request.triggerSource,
        userAttributes: attributes,
        validationData: request.validationData,
        clientMetadata: request.clientMetadata,
      }),
    );
    const response = (answered["response"] ?? {}) as Record<string, unknown>;
    for (const flag of ["autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone"] as const) {
      const value = response[flag];
      if (value !== undefined && value !== null && typeof value !== "boolean") throw unrecognizableLambdaOutput();
      flags = { ...flags, [flag]: value === true };
    }
  }
  if (attributes["email"] !== undefined && attributes["email_verified"] !== "true") {
    attributes["email_verified"] = flags.autoVerifyEmail ? "true" : "false";
  }
  if (attributes["phone_number"] !== undefined && attributes["phone_number_verified"] !== "true") {
    attributes["phone_number_verified"] = flags.autoVerifyPhone ? "true" : "false";
  }
  const status: UserStatus =
    request.triggerSource === "PreSignUp_AdminCreateUser" ? "FORCE_CHANGE_PASSWORD" : flags.autoConfirmUser ? "CONFIRMED" : "UNCONFIRMED";
  const created = now();
  const user: UserRecord = {
    username,
    attributes: { sub: users.aliasPool ? username : randomUUID(), ...attributes },
    status,
    enabled: true,
    createdAt: created,
    modifiedAt: created,
    identities: [],
  };
  users.add(user);
  return user;
}

export async function signUp(input: Input, context: RequestContext): Promise<unknown> {
  requireClient(requiredString(input, "ClientId"), context);
  const username = requiredString(input, "Username");
  // Checked against the policy, then forgotten: the local pool signs in with CUSTOM_AUTH only.
  const password = optionalString(input, "Password");
  if (password !== undefined) checkPassword(password, context.services.pool.passwordPolicy);
  const attributes = attributesOf(input, "UserAttributes");
  checkClientMayWrite(context.services.pool.attributes, attributes);
  const user = await createUser(
    {
      triggerSource: "PreSignUp_SignUp",
      chosenUsername: username,
      attributes,
      validationData: readAttributes(input, "ValidationData") === undefined ? undefined : attributesOf(input, "ValidationData"),
      clientMetadata: stringMap(input, "ClientMetadata"),
    },
    context,
  );
  return { UserConfirmed: user.status === "CONFIRMED", UserSub: user.attributes["sub"] };
}

export async function adminCreateUser(input: Input, context: RequestContext): Promise<unknown> {
  requireUserPool(input, context);
  const username = requiredString(input, "Username");
  const messageAction = optionalString(input, "MessageAction");
  const mediums = (Array.isArray(input["DesiredDeliveryMediums"]) ? input["DesiredDeliveryMediums"] : ["SMS"]) as unknown[];
  const user = await createUser(
    {
      triggerSource: "PreSignUp_AdminCreateUser",
      chosenUsername: username,
      attributes: attributesOf(input, "UserAttributes"),
      validationData: readAttributes(input, "ValidationData") === undefined ? undefined : attributesOf(input, "ValidationData"),
      clientMetadata: stringMap(input, "ClientMetadata"),
    },
    context,
  );
  if (messageAction !== "SUPPRESS") {
    // Cognito's default invitation, with a temporary password the passwordless flow never asks for.
    const body = `Your username is ${username} and temporary password is ${optionalString(input, "TemporaryPassword") ?? randomBytes(9).toString("base64url")}.`;
    const email = user.attributes["email"];
    const phone = user.attributes["phone_number"];
    if (mediums.includes("EMAIL") && email !== undefined) {
      context.services.deliver({ channel: "email", to: email, subject: "Your temporary password", body });
    }
    if (mediums.includes("SMS") && phone !== undefined) context.services.deliver({ channel: "sms", to: phone, body });
  }
  return { User: { ...userDescription(user), Attributes: attributeList(user) } };
}
