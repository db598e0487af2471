/**
 * PreSignUp_ExternalProvider through the handler built by its factory (handler-kit.ts) with the
 * real linking and Cognito clients, Cognito's answers mocked: what is linked, created, deleted,
 * and what the sign-in sees.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { AccountLinkedError, CognitoCallFailedError, LinkFailedError, MalformedEventError } from "../../../lib/errors.ts";
import { POOL_ID, preSignUpEvent } from "@cognito-passwordless/test-kit/events.ts";
import { UNIT_ENV } from "../../support/function-env.ts";
import { type LogCapture, captureLogs } from "../../support/log-capture.ts";
import { NOW, preSignUpHandler } from "./handler-kit.ts";

const cognito = mockClient(CognitoIdentityProviderClient);
let logs: LogCapture;

/** A deployment that trusts Google and Descope, with `env` over it (e.g. LINK_CREATES_NATIVE_USER). */
function handlerWith(env: Record<string, string> = {}, clock: () => number = () => NOW) {
  return preSignUpHandler({ env: { ...UNIT_ENV, LINK_PROVIDERS: "Google,Descope", ...env }, clock });
}

function federated(userName: string, userAttributes: Record<string, string>): PreSignUpTriggerEvent {
  return preSignUpEvent("PreSignUp_ExternalProvider", { userName, userAttributes });
}

function nativeUser(username: string, attributes: Record<string, string>, status = "CONFIRMED"): UserType {
  return { Username: username, UserStatus: status as UserType["UserStatus"], Attributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) };
}

function refusal(name: string, message: string) {
  return new CognitoIdentityProviderServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: 400 } });
}

const JANE = { email: "jane@example.com", email_verified: "true", name: "Jane" };

beforeEach(() => {
  cognito.reset();
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  cognito.on(AdminLinkProviderForUserCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => logs.stop());

describe("linking a federated user to the native user with the same verified email", () => {
  it("links to the one verified native user and ends the sign-in so the app signs in again", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    await assert.rejects(handlerWith()(federated("google_1073167912395", JANE)), AccountLinkedError);
    const links = cognito.commandCalls(AdminLinkProviderForUserCommand);
    assert.equal(links.length, 1);
    assert.deepEqual(links[0]?.args[0].input, {
      UserPoolId: POOL_ID,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "native-1" },
      SourceUser: { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "1073167912395" },
    });
    assert.equal(cognito.commandCalls(AdminCreateUserCommand).length, 0);
  });

  it("does not look anyone up or link when the IdP did not verify the email", async () => {
    const event = await handlerWith()(federated("google_1", { email: "jane@example.com", email_verified: "false" }));
    assert.deepEqual(event.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    assert.equal(cognito.commandCalls(ListUsersCommand).length, 0);
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
    assert.equal(cognito.commandCalls(AdminCreateUserCommand).length, 0);
    assert.ok(logs.lines.some((line) => line.message === "Federated user not linked" && line["reason"] === "no-verified-address"));
  });

  it("links nobody when two native users have the email verified", async () => {
    cognito.on(ListUsersCommand, { Filter: 'email = "jane@example.com"' }).resolves({
      Users: [
        nativeUser("native-1", { email: "jane@example.com", email_verified: "true" }),
        nativeUser("native-2", { email: "jane@example.com", email_verified: "true" }),
      ],
    });
    await handlerWith()(federated("google_1", JANE));
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
    assert.equal(cognito.commandCalls(AdminCreateUserCommand).length, 0);
    assert.ok(logs.lines.some((line) => line["reason"] === "several-verified-holders"));
  });

  it("neither links nor creates when the native user has not verified the email", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "false" })] });
    await handlerWith()(federated("google_1", JANE));
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
    assert.equal(cognito.commandCalls(AdminCreateUserCommand).length, 0);
  });

  it("does not count federated users as holders of the email", async () => {
    cognito.on(ListUsersCommand, { Filter: 'email = "jane@example.com"' }).resolves({
      Users: [nativeUser("descope_xyz", { email: "jane@example.com", email_verified: "true" }, "EXTERNAL_PROVIDER")],
    });
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: "new-native" } });
    await assert.rejects(handlerWith()(federated("google_1", JANE)), AccountLinkedError);
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input.DestinationUser?.ProviderAttributeValue, "new-native");
  });

  it("compares email as the case-insensitive pool does, asking Cognito for both spellings", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    await assert.rejects(handlerWith()(federated("google_1", { email: "Jane@Example.com", email_verified: "true" })), AccountLinkedError);
    const filters = cognito.commandCalls(ListUsersCommand).map((call) => call.args[0].input.Filter);
    assert.deepEqual(filters.sort(), ['email = "Jane@Example.com"', 'email = "jane@example.com"']);
  });

  it("escapes quotes in the address so it cannot change the ListUsers filter", async () => {
    await handlerWith({ LINK_CREATES_NATIVE_USER: "false" })(federated("google_1", { email: 'a"b\\c@example.com', email_verified: "true" }));
    assert.equal(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input.Filter, 'email = "a\\"b\\\\c@example.com"');
  });
});

describe("provider names and subjects", () => {
  it("maps the lower-cased prefix Cognito may send back to the configured name", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    await assert.rejects(handlerWith()(federated("descope_U2x_Yz", JANE)), AccountLinkedError);
    const source = cognito.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input.SourceUser;
    assert.deepEqual(source, { ProviderName: "Descope", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "U2x_Yz" });
  });

  it("links nothing for a provider the deployment does not trust, and calls nothing", async () => {
    await handlerWith()(federated("facebook_1", JANE));
    assert.equal(cognito.calls().length, 0);
  });

  it("links nothing at all when no provider is configured", async () => {
    await handlerWith({ LINK_PROVIDERS: "" })(federated("google_1", JANE));
    assert.equal(cognito.calls().length, 0);
  });
});

describe("no native user yet", () => {
  it("creates one, verified and without an invitation, and links to it", async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: "new-native" } });
    await assert.rejects(handlerWith()(federated("google_1", { ...JANE, phone_number: "+447700900123", phone_number_verified: "false" })), AccountLinkedError);
    const created = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    assert.deepEqual(created, {
      UserPoolId: POOL_ID,
      Username: "jane@example.com",
      UserAttributes: [
        { Name: "email", Value: "jane@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
      MessageAction: "SUPPRESS",
    });
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input.DestinationUser?.ProviderAttributeValue, "new-native");
  });

  it("creates nothing and lets Cognito make a separate federated user when creation is off", async () => {
    const event = await handlerWith({ LINK_CREATES_NATIVE_USER: "false" })(federated("google_1", JANE));
    assert.deepEqual(event.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    assert.equal(cognito.commandCalls(AdminCreateUserCommand).length, 0);
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
  });

  it("links nothing when the address turns out to be taken after all", async () => {
    cognito.on(AdminCreateUserCommand).rejects(refusal("UsernameExistsException", "An account with the given email already exists."));
    await handlerWith()(federated("google_1", JANE));
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
    assert.ok(logs.lines.some((line) => line.message.includes("the address belongs to an account the lookup did not find")));
  });
});

describe("linking by phone number", () => {
  it("links on a phone number both sides verified", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'phone_number = "+447700900123"' })
      .resolves({ Users: [nativeUser("native-p", { phone_number: "+447700900123", phone_number_verified: "true" })] });
    await assert.rejects(handlerWith()(federated("google_1", { phone_number: "+447700900123", phone_number_verified: "true" })), AccountLinkedError);
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input.DestinationUser?.ProviderAttributeValue, "native-p");
  });

  it("links nothing when the email and the phone number belong to different users", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    cognito
      .on(ListUsersCommand, { Filter: 'phone_number = "+447700900123"' })
      .resolves({ Users: [nativeUser("native-2", { phone_number: "+447700900123", phone_number_verified: "true" })] });
    await handlerWith()(federated("google_1", { ...JANE, phone_number: "+447700900123", phone_number_verified: "true" }));
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
  });
});

describe("when Cognito fails", () => {
  it("refused link after creating a user: deletes that user and fails the sign-in with a clear error", async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: "new-native" } });
    cognito.on(AdminLinkProviderForUserCommand).rejects(refusal("LimitExceededException", "Too many identities."));
    cognito.on(AdminDeleteUserCommand).resolves({});
    await assert.rejects(
      handlerWith()(federated("google_1", JANE)),
      (error: unknown) => error instanceof LinkFailedError && /^Cognito refused to link this Google identity to the existing account\.$/.test(error.message),
    );
    assert.deepEqual(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input, { UserPoolId: POOL_ID, Username: "new-native" });
    assert.ok(logs.lines.some((line) => line.level === "ERROR" && line["reason"] === "LINK_FAILED"));
  });

  it("refused link to an existing user: deletes nothing", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    cognito.on(AdminLinkProviderForUserCommand).rejects(refusal("InvalidParameterException", "Invalid SourceUser"));
    await assert.rejects(handlerWith()(federated("google_1", JANE)), LinkFailedError);
    assert.equal(cognito.commandCalls(AdminDeleteUserCommand).length, 0);
  });

  it("a refusal for a link that exists (the trigger ran twice) counts as linked", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    cognito.on(ListUsersCommand, { Filter: 'username = "native-1"' }).resolves({
      Users: [nativeUser("native-1", { identities: JSON.stringify([{ providerName: "Google", userId: "1", providerType: "Google" }]) })],
    });
    cognito.on(AdminLinkProviderForUserCommand).rejects(refusal("InvalidParameterException", "Merging is not currently supported"));
    await assert.rejects(handlerWith()(federated("google_1", JANE)), AccountLinkedError);
  });

  it("no answer to the link: keeps the created user (the next sign-in links it) and fails cleanly", async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: "new-native" } });
    cognito.on(AdminLinkProviderForUserCommand).rejects(Object.assign(new Error("socket hang up"), { name: "TimeoutError" }));
    await assert.rejects(
      handlerWith()(federated("google_1", JANE)),
      (error: unknown) => error instanceof LinkFailedError && /got no answer; the next sign-in completes it/.test(error.message),
    );
    assert.equal(cognito.commandCalls(AdminDeleteUserCommand).length, 0);
  });

  it("ListUsers failing refuses the sign-up with a typed error, links nothing", async () => {
    cognito.on(ListUsersCommand).rejects(refusal("TooManyRequestsException", "Rate exceeded"));
    await assert.rejects(handlerWith()(federated("google_1", JANE)), CognitoCallFailedError);
    assert.equal(cognito.commandCalls(AdminLinkProviderForUserCommand).length, 0);
    assert.ok(logs.lines.some((line) => line.level === "ERROR" && line["reason"] === "COGNITO_CALL_FAILED"));
  });

  it("stops before creating a user when too little of Cognito's 5 seconds is left", async () => {
    let now = 0;
    cognito.on(ListUsersCommand).callsFake(async () => {
      now += 2000;
      return { Users: [] };
    });
    await handlerWith({}, () => now)(federated("google_1", JANE));
    assert.equal(cognito.commandCalls(AdminCreateUserCommand).length, 0);
    assert.ok(logs.lines.some((line) => line.message.includes("too little time left")));
  });
});

describe("bad events", () => {
  it("refuses an event whose attributes are not a map, and says why", async () => {
    const event = { ...federated("google_1", JANE), request: { userAttributes: "jane@example.com" } } as unknown as PreSignUpTriggerEvent;
    await assert.rejects(handlerWith()(event), MalformedEventError);
    assert.ok(logs.lines.some((line) => line.message === "PreSignUp refused the event: it is malformed"));
  });

  it("never logs the full email address", async () => {
    cognito
      .on(ListUsersCommand, { Filter: 'email = "jane@example.com"' })
      .resolves({ Users: [nativeUser("native-1", { email: "jane@example.com", email_verified: "true" })] });
    await assert.rejects(handlerWith()(federated("google_1", JANE)), AccountLinkedError);
    assert.ok(logs.raw.length > 0);
    assert.ok(logs.raw.every((line) => !line.includes("jane@example.com")));
  });
});
