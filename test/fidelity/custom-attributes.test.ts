/**
 * Custom attributes and what the app client may read and write, as Cognito has them:
 * - a custom attribute exists only when the pool's Schema declares it, and holds at most its
 *   MaxLength (AWS::Cognito::UserPool SchemaAttribute, StringAttributeConstraints);
 * - the app client reads (ID token, GetUser) only its ReadAttributes, and writes (SignUp) only its
 *   WriteAttributes; without ReadAttributes it reads the standard attributes, not custom ones
 *   (UserPoolClientType, ReadAttributes/WriteAttributes:
 *   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html);
 * - triggers see every attribute, whatever the client may read (Verify finds the cached passkey
 *   keys in `custom:passkeys` this way).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminUpdateUserAttributesCommand, GetUserCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { attributeSchemaFrom } from "@cognito-passwordless/local/cognito/attribute-schema.ts";
import { type FakePool, SIMPLE_FLOW, startFakePool } from "./fake-pool.ts";
import { answer, claimsOf, signUp, startSignIn } from "./sign-in-helpers.ts";

describe("custom attributes and the app client's read and write attributes", () => {
  let fake: FakePool;
  before(async () => {
    fake = await startFakePool({
      triggers: SIMPLE_FLOW,
      pool: {
        // As template.yaml declares them: custom:passkeys exists, and the client neither reads nor writes it.
        attributes: attributeSchemaFrom(
          { Schema: [{ Name: "passkeys", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "2048" } }] },
          { ReadAttributes: ["email", "email_verified", "name"], WriteAttributes: ["email", "name"] },
        ),
      },
    });
  });
  after(() => fake.stop());
  const poolId = () => fake.pool.userPoolId;

  async function signInTokens(email: string) {
    const started = await startSignIn(fake.client, fake.pool.clientId, email);
    const done = await answer(fake.client, fake.pool.clientId, started.Session, email, "42");
    return done.AuthenticationResult!;
  }

  it("a declared custom attribute is passed to triggers, but kept out of the ID token and GetUser of a client that may not read it", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "cached@example.com");
    await fake.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId(),
        Username: sub,
        UserAttributes: [
          { Name: "custom:passkeys", Value: "v1;abc" },
          { Name: "name", Value: "Cached" },
        ],
      }),
    );

    const tokens = await signInTokens("cached@example.com");

    const verified = fake.events("VerifyAuthChallengeResponse").at(-1)!;
    assert.equal(verified["request"].userAttributes["custom:passkeys"], "v1;abc", "Verify sees the attribute");
    const claims = claimsOf(tokens.IdToken);
    assert.equal(claims["custom:passkeys"], undefined, "not in the ID token");
    assert.equal(claims["name"], "Cached", "a readable attribute is");
    const user = await fake.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    const names = (user.UserAttributes ?? []).map((attribute) => attribute.Name);
    assert.ok(!names.includes("custom:passkeys"), "not in GetUser");
    assert.ok(names.includes("sub") && names.includes("email"));
    assert.ok(!names.includes("phone_number_verified"), "an attribute outside ReadAttributes is left out");
  });

  it("SignUp may not write an attribute outside the client's WriteAttributes: NotAuthorizedException", async () => {
    await assert.rejects(
      fake.client.send(
        new SignUpCommand({
          ClientId: fake.pool.clientId,
          Username: "planter@example.com",
          Password: "Unused-Passw0rd!xyz",
          UserAttributes: [{ Name: "custom:passkeys", Value: "v1;planted" }],
        }),
      ),
      { name: "NotAuthorizedException", message: "A client attempted to write unauthorized attribute" },
    );
  });

  it("an undeclared custom attribute, or a value over MaxLength, is refused: InvalidParameterException", async () => {
    const sub = await signUp(fake.client, fake.pool.clientId, "schema@example.com");
    const update = (name: string, value: string) =>
      fake.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId(), Username: sub, UserAttributes: [{ Name: name, Value: value }] }));

    await assert.rejects(update("custom:undeclared", "x"), { name: "InvalidParameterException", message: /custom:undeclared/ });
    await assert.rejects(update("custom:passkeys", "x".repeat(2049)), { name: "InvalidParameterException", message: /2048/ });
    await update("custom:passkeys", "x".repeat(2048));
  });
});
