/**
 * Fuzzing PreSignUp (functions/pre-sign-up/index.ts) with every sign-up source, federated user
 * names of trusted and untrusted providers, addresses an IdP did or did not verify, and a pool
 * whose native users hold those addresses verified, unverified, twice or not at all (Cognito's
 * admin API mocked). Whatever comes in: no address is ever auto-verified, only a self-service
 * sign-up is confirmed, and a link is made only on an address verified on both sides.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { AccountLinkedError } from "../../lib/errors.ts";
import { preSignUpCase } from "../support/arbitraries/user-events.ts";
import { setFunctionEnv } from "../support/function-env.ts";
import type { LogCapture } from "../support/log-capture.ts";
import { captureFuzzLogs } from "./fuzz-logs.ts";
import { fuzz } from "./fuzz-run.ts";
import { callHandler, timingSummary } from "./handler-invariants.ts";

const cognito = mockClient(CognitoIdentityProviderClient);

type PreSignUp = (event: PreSignUpTriggerEvent) => Promise<PreSignUpTriggerEvent>;
let preSignUp: PreSignUp;
let logs: LogCapture;

const TRUSTED = ["Google", "Descope"];
const CREATED_USER = "created-native-user";

/** Who holds an address in the pool, in the current run. The mocks read it, so they are set up once. */
type Holders = "nobody" | "verified" | "unverified" | "two-verified" | "federated-only";
const pool = { holders: "nobody" as Holders };

/** The address a ListUsers filter asks for (`email = "…"`, quotes and backslashes escaped). */
function filteredValue(filter: string): { attribute: string; value: string } {
  const match = /^(\w+) = "(.*)"$/s.exec(filter);
  return { attribute: match?.[1] ?? "", value: (match?.[2] ?? "").replace(/\\(["\\])/g, "$1") };
}

function holder(username: string, attribute: string, value: string, verified: boolean, status = "CONFIRMED"): UserType {
  return {
    Username: username,
    UserStatus: status as UserType["UserStatus"],
    Attributes: [
      { Name: attribute, Value: value },
      { Name: `${attribute}_verified`, Value: verified ? "true" : "false" },
    ],
  };
}

function mockPool(): void {
  cognito.on(ListUsersCommand).callsFake((input: { Filter?: string }) => {
    const { attribute, value } = filteredValue(input.Filter ?? "");
    const users: Record<Holders, UserType[]> = {
      nobody: [],
      verified: [holder("native-verified", attribute, value, true)],
      unverified: [holder("native-unverified", attribute, value, false)],
      "two-verified": [holder("native-a", attribute, value, true), holder("native-b", attribute, value, true)],
      "federated-only": [holder("google_someone", attribute, value, true, "EXTERNAL_PROVIDER")],
    };
    return { Users: users[pool.holders] };
  });
  cognito.on(AdminCreateUserCommand).resolves({ User: { Username: CREATED_USER } });
  cognito.on(AdminLinkProviderForUserCommand).resolves({});
  cognito.on(AdminDeleteUserCommand).resolves({});
}

before(async () => {
  setFunctionEnv({ LINK_PROVIDERS: TRUSTED.join(",") });
  preSignUp = (await import("../../functions/pre-sign-up/index.ts")).handler as PreSignUp;
  mockPool();
  logs = captureFuzzLogs();
});
after(() => logs.stop());

function attributesOf(event: PreSignUpTriggerEvent): Record<string, unknown> {
  const request = event.request as unknown;
  const attributes = typeof request === "object" && request !== null ? (request as Record<string, unknown>)["userAttributes"] : undefined;
  return typeof attributes === "object" && attributes !== null ? (attributes as Record<string, unknown>) : {};
}

/** Which addresses the event's IdP said it verified, exactly as given ("true" and nothing else). */
function idpVerified(event: PreSignUpTriggerEvent): { email?: unknown; phone?: unknown } {
  const attributes = attributesOf(event);
  return {
    ...(attributes["email_verified"] === "true" ? { email: attributes["email"] } : {}),
    ...(attributes["phone_number_verified"] === "true" ? { phone: attributes["phone_number"] } : {}),
  };
}

function assertLinksEarned(event: PreSignUpTriggerEvent): void {
  const links = cognito.commandCalls(AdminLinkProviderForUserCommand).map((link) => link.args[0].input);
  const created = cognito.commandCalls(AdminCreateUserCommand).map((create) => create.args[0].input);
  if (links.length === 0 && created.length === 0) return;
  assert.equal(event.triggerSource, "PreSignUp_ExternalProvider", "a link or a user was made outside a federated sign-up");
  const verified = idpVerified(event);
  assert.ok(verified.email !== undefined || verified.phone !== undefined, "a link or a user was made on an address the IdP did not verify");
  for (const input of created) {
    for (const attribute of input.UserAttributes ?? []) {
      if (attribute.Name === "email") assert.equal(attribute.Value, verified.email, "a user was created with an email the IdP did not verify");
      if (attribute.Name === "phone_number") assert.equal(attribute.Value, verified.phone, "a user was created with a phone the IdP did not verify");
    }
  }
  for (const input of links) {
    const provider = input.SourceUser?.ProviderName ?? "";
    assert.ok(TRUSTED.includes(provider), `linked an identity of "${provider}", which is not trusted`);
    const signingIn: string = typeof event.userName === "string" ? event.userName : "";
    assert.ok(signingIn.toLowerCase().startsWith(`${provider.toLowerCase()}_`), "linked an identity of another provider than the user's");
    assert.equal(input.SourceUser?.ProviderAttributeValue, signingIn.slice(provider.length + 1), "linked another subject than the user signing in");
    const target = input.DestinationUser?.ProviderAttributeValue;
    // The one verified native holder; or, when no native user holds the address, the user created for it.
    const allowed = pool.holders === "verified" ? "native-verified" : pool.holders === "nobody" || pool.holders === "federated-only" ? CREATED_USER : undefined;
    assert.equal(target, allowed, `linked to "${target}" while the pool's holders were "${pool.holders}"`);
  }
}

describe("fuzzing PreSignUp", () => {
  after(() => console.log(timingSummary()));
  it("never auto-verifies, confirms only self-service sign-ups, throws only typed errors, and links only on addresses verified on both sides", async (t) => {
    const seen = { links: 0, creations: 0, refusals: 0 };
    const scenario = fc.record({
      event: preSignUpCase(),
      holders: fc.constantFrom<Holders>("nobody", "verified", "unverified", "two-verified", "federated-only"),
    });
    await fuzz(
      t,
      fc.asyncProperty(scenario, async ({ event, holders }) => {
        pool.holders = holders;
        const outcome = await callHandler(preSignUp, event, {
          beforeCall: () => {
            cognito.resetHistory();
            logs.clear();
          },
        });
        assertLinksEarned(event);
        const linked = cognito.commandCalls(AdminLinkProviderForUserCommand).length > 0;
        seen.links += Number(linked);
        seen.creations += cognito.commandCalls(AdminCreateUserCommand).length;
        seen.refusals += Number(!outcome.ok && !(outcome.error instanceof AccountLinkedError));
        if (!outcome.ok) {
          // Ending the sign-up with ACCOUNT_LINKED is right after a link, and only then.
          if (outcome.error instanceof AccountLinkedError) assert.ok(linked, "ACCOUNT_LINKED without a link");
          return;
        }
        assert.ok(!linked, "a link was made, yet the sign-up went on as if none was");
        assert.deepEqual(
          outcome.value.response,
          { autoConfirmUser: event.triggerSource === "PreSignUp_SignUp", autoVerifyEmail: false, autoVerifyPhone: false },
          "PreSignUp's answer",
        );
      }),
    );
    t.diagnostic(`runs that linked: ${seen.links}, native users created: ${seen.creations}, sign-ups refused with a typed error: ${seen.refusals}`);
  });
});
