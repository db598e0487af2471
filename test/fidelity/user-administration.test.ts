/**
 * Creating and administering users. API reference (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/):
 * SignUp, AdminCreateUser (MessageAction SUPPRESS), AdminGetUser, ListUsers (Filter: `attr = "v"`
 * exact, `attr ^= "v"` prefix), AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminDeleteUser,
 * AdminLinkProviderForUser. Developer guide,
 * "Pre sign-up Lambda trigger" (triggerSource PreSignUp_SignUp / PreSignUp_AdminCreateUser,
 * validationData, clientMetadata, autoConfirmUser/autoVerifyEmail/autoVerifyPhone):
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminUpdateUserAttributesCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, claimsOf, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("user administration", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({
      triggers: {
        ...SIMPLE_FLOW,
        PreSignUp: `
          event.response.autoConfirmUser = event.triggerSource === "PreSignUp_SignUp";
          event.response.autoVerifyPhone = event.request.validationData?.trustedPhone === "yes";
          return event;`,
      },
      // The pool federates with Google, so identities of Google can be linked.
      federation: {
        domainPrefix: undefined,
        identityProviders: [{ providerName: "Google", providerType: "Google", details: {}, attributeMapping: { email: "email" } }],
        oauthClient: undefined,
      },
    });
  });
  after(() => fake.stop());
  const poolId = () => fake.pool.userPoolId;

  it("sends PreSignUp_SignUp with the attributes, validationData and clientMetadata, and honours its flags", async () => {
    const result = await fake.client.send(
      new SignUpCommand({
        ClientId: fake.pool.clientId,
        Username: "+15550100001",
        Password: "Unused-Passw0rd!xyz",
        UserAttributes: [{ Name: "name", Value: "Mary" }],
        ValidationData: [{ Name: "trustedPhone", Value: "yes" }],
        ClientMetadata: { source: "test" },
      }),
    );
    assert.equal(result.UserConfirmed, true);
    const event = fake.events("PreSignUp").at(-1)!;
    assert.equal(event["triggerSource"], "PreSignUp_SignUp");
    assert.equal(event["userName"], result.UserSub, "in an alias pool the internal username is the sub, a UUID");
    assert.deepEqual(event["request"].userAttributes, { name: "Mary", phone_number: "+15550100001" });
    assert.deepEqual(event["request"].validationData, { trustedPhone: "yes" });
    assert.deepEqual(event["request"].clientMetadata, { source: "test" });
    assert.deepEqual(event["response"], { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    const user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: "+15550100001" }));
    assert.equal(user.Username, result.UserSub);
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "phone_number_verified")?.Value, "true");
  });

  it("insists the username is an email or phone number in a pool that signs in with them", async () => {
    await assert.rejects(fake.client.send(new SignUpCommand({ ClientId: fake.pool.clientId, Username: "mary", Password: "Unused-Passw0rd!xyz" })), {
      name: "InvalidParameterException",
      message: "Username should be either an email or a phone number.",
    });
  });

  it("checks the SignUp password against the pool's policy, though passwordless sign-in never uses it", async () => {
    await assert.rejects(fake.client.send(new SignUpCommand({ ClientId: fake.pool.clientId, Username: "weak@example.com", Password: "short" })), {
      name: "InvalidPasswordException",
      message: "Password did not conform with policy: Password not long enough",
    });
    await assert.rejects(fake.client.send(new SignUpCommand({ ClientId: fake.pool.clientId, Username: "weak@example.com", Password: "NoSymbols123abc" })), {
      name: "InvalidPasswordException",
      message: "Password did not conform with policy: Password must have symbol characters",
    });
  });

  it("refuses a second account for the same email: UsernameExistsException", async () => {
    await signUp(fake.client, fake.pool.clientId, "twice@example.com");
    await assert.rejects(signUp(fake.client, fake.pool.clientId, "twice@example.com"), {
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
  });

  it("creates a user with AdminCreateUser (PreSignUp_AdminCreateUser), sending no invitation when told to SUPPRESS", async () => {
    const created = await fake.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId(),
        Username: "admin-made@example.com",
        UserAttributes: [{ Name: "email_verified", Value: "true" }],
        MessageAction: "SUPPRESS",
      }),
    );
    assert.equal(created.User?.UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.equal(created.User?.Attributes?.find((a) => a.Name === "email")?.Value, "admin-made@example.com");
    assert.equal(fake.events("PreSignUp").at(-1)!["triggerSource"], "PreSignUp_AdminCreateUser");
    assert.deepEqual(fake.delivered, []);
  });

  it("sends Cognito's invitation through the chosen medium when AdminCreateUser is not told to SUPPRESS", async () => {
    await fake.client.send(new AdminCreateUserCommand({ UserPoolId: poolId(), Username: "invited@example.com", DesiredDeliveryMediums: ["EMAIL"] }));
    assert.equal(fake.delivered.length, 1);
    assert.equal(fake.delivered[0]?.channel, "email");
    assert.equal(fake.delivered[0]?.to, "invited@example.com");
  });

  it("finds users with ListUsers filters, exact and prefix, within the limit", async () => {
    await signUp(fake.client, fake.pool.clientId, "list-a@example.org");
    await signUp(fake.client, fake.pool.clientId, "list-b@example.org");
    const exact = await fake.client.send(new ListUsersCommand({ UserPoolId: poolId(), Filter: 'email = "list-a@example.org"' }));
    assert.equal(exact.Users?.length, 1);
    assert.equal(exact.Users?.[0]?.Attributes?.find((a) => a.Name === "email")?.Value, "list-a@example.org");
    const prefix = await fake.client.send(new ListUsersCommand({ UserPoolId: poolId(), Filter: 'email ^= "list-"' }));
    assert.equal(prefix.Users?.length, 2);
    const limited = await fake.client.send(new ListUsersCommand({ UserPoolId: poolId(), Filter: 'email ^= "list-"', Limit: 1 }));
    assert.equal(limited.Users?.length, 1);
    assert.ok(limited.PaginationToken);
    const next = await fake.client.send(
      new ListUsersCommand({ UserPoolId: poolId(), Filter: 'email ^= "list-"', Limit: 1, PaginationToken: limited.PaginationToken }),
    );
    assert.notEqual(next.Users?.[0]?.Username, limited.Users?.[0]?.Username);
    await assert.rejects(fake.client.send(new ListUsersCommand({ UserPoolId: poolId(), Filter: "email contains x" })), {
      name: "InvalidParameterException",
    });
  });

  it("updates attributes with AdminUpdateUserAttributes, and a changed email becomes unverified", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "old@example.com");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributes: [{ Name: "email_verified", Value: "true" }] }),
    );
    let user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub }));
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributes: [{ Name: "email", Value: "new@example.com" }] }),
    );
    user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: "new@example.com" }));
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "false");
    await assert.rejects(fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: "old@example.com" })), {
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it('takes a new email and email_verified "true" in one AdminUpdateUserAttributes call: the new address is verified', async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "before-move@example.com");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId(),
        Username: sub,
        UserAttributes: [
          { Name: "email", Value: "after-move@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    const user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: "after-move@example.com" }));
    assert.equal(user.Username, sub);
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email")?.Value, "after-move@example.com");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
  });

  it("deletes attributes with AdminDeleteUserAttributes, each address with its verified flag", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "pruned@example.com");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId(),
        Username: sub,
        UserAttributes: [
          { Name: "phone_number", Value: "+15550100077" },
          { Name: "phone_number_verified", Value: "true" },
          { Name: "email_verified", Value: "true" },
          { Name: "name", Value: "Pru" },
        ],
      }),
    );
    // Found by the email it is about to lose, as admin calls may name a user in an alias pool.
    await fake.client.send(
      new AdminDeleteUserAttributesCommand({ UserPoolId: poolId(), Username: "pruned@example.com", UserAttributeNames: ["phone_number", "name"] }),
    );
    let user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub }));
    let names = (user.UserAttributes ?? []).map((a) => a.Name).sort();
    assert.deepEqual(names, ["email", "email_verified", "sub"]);
    await fake.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributeNames: ["email"] }));
    user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub }));
    names = (user.UserAttributes ?? []).map((a) => a.Name).sort();
    assert.deepEqual(names, ["sub"], "email_verified went with the email");
    // Deleting what the user does not hold changes nothing, and is no error.
    await fake.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributeNames: ["nickname"] }));
    user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub }));
    assert.deepEqual(
      (user.UserAttributes ?? []).map((a) => a.Name),
      ["sub"],
    );
  });

  it("frees the email AdminDeleteUserAttributes deleted: it no longer finds the user, and a new SignUp may take it", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "released@example.com");
    await fake.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributeNames: ["email"] }));
    await assert.rejects(fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: "released@example.com" })), {
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    const newcomer = await signUp(fake.client, fake.pool.clientId, "released@example.com");
    assert.notEqual(newcomer, sub);
    const found = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: "released@example.com" }));
    assert.equal(found.Username, newcomer);
    assert.ok(await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub })), "the first user is still there by its username");
  });

  it("refuses to delete sub (InvalidParameterException) and answers UserNotFoundException for an unknown user", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "keeps-sub@example.com");
    await assert.rejects(fake.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributeNames: ["sub"] })), {
      name: "InvalidParameterException",
      message: "Cannot modify the non-mutable attribute sub",
    });
    const user = await fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub }));
    assert.equal(user.UserAttributes?.find((a) => a.Name === "sub")?.Value, sub);
    await assert.rejects(
      fake.client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId(), Username: "nobody@example.com", UserAttributeNames: ["name"] })),
      { name: "UserNotFoundException", message: "User does not exist." },
    );
  });

  it("links an IdP identity with AdminLinkProviderForUser; it appears as identities in the ID token", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "linked@example.com");
    await fake.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId(),
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: sub },
        SourceUser: { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "108" },
      }),
    );
    await assert.rejects(
      fake.client.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: poolId(),
          DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: sub },
          SourceUser: { ProviderName: "Google", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "108" },
        }),
      ),
      { name: "InvalidParameterException" },
      "an identity links to one user only",
    );
    const started = await startSignIn(fake.client, fake.pool.clientId, "linked@example.com");
    const tokens = (await answer(fake.client, fake.pool.clientId, started.Session, "linked@example.com", "42")).AuthenticationResult!;
    const identities = claimsOf(tokens.IdToken)["identities"] as Record<string, unknown>[];
    assert.equal(identities.length, 1);
    assert.deepEqual(
      { userId: identities[0]?.["userId"], providerName: identities[0]?.["providerName"], providerType: identities[0]?.["providerType"] },
      { userId: "108", providerName: "Google", providerType: "Google" },
    );
    assert.equal(claimsOf(tokens.IdToken)["sub"], sub, "one sub whatever the method");
  });

  it("refuses to link an identity of a provider the pool does not have, comparing names exactly", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "unlinked@example.com");
    for (const providerName of ["google", "Okta"]) {
      await assert.rejects(
        fake.client.send(
          new AdminLinkProviderForUserCommand({
            UserPoolId: poolId(),
            DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: sub },
            SourceUser: { ProviderName: providerName, ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "109" },
          }),
        ),
        { name: "InvalidParameterException" },
        `${providerName} is not a provider of this pool`,
      );
    }
  });

  it("deletes a user with AdminDeleteUser: it is gone, and its email can sign up again", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "deleted@example.com");
    await fake.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId(), Username: "deleted@example.com" }));
    await assert.rejects(fake.client.send(new AdminGetUserCommand({ UserPoolId: poolId(), Username: sub })), { name: "UserNotFoundException" });
    await assert.rejects(fake.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId(), Username: sub })), { name: "UserNotFoundException" });
    assert.notEqual(await signUp(fake.client, fake.pool.clientId, "deleted@example.com"), sub);
  });

  it("answers ResourceNotFoundException for another pool id", async () => {
    await assert.rejects(fake.client.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_Other0001", Username: "x@example.com" })), {
      name: "ResourceNotFoundException",
    });
  });
});
