import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AddressHolders, chooseLinkTarget } from "../../../lib/linking/choose-link-target.ts";
import type { FederatedIdentity } from "../../../lib/linking/federated-identity.ts";

function identity(email?: [string, boolean], phone?: [string, boolean]): FederatedIdentity {
  return {
    providerName: "Google",
    subject: "107316791239512345678",
    email: email === undefined ? undefined : { value: email[0], verified: email[1] },
    phone: phone === undefined ? undefined : { value: phone[0], verified: phone[1] },
  };
}
const none: AddressHolders = { email: [], phone: [] };
const verifiedA = { username: "user-a", verified: true };
const verifiedB = { username: "user-b", verified: true };
const unverifiedA = { username: "user-a", verified: false };

describe("which native user a federated sign-in joins", () => {
  const cases: [string, FederatedIdentity, AddressHolders, boolean, ReturnType<typeof chooseLinkTarget>][] = [
    [
      "IdP email not verified: nothing, even when a verified native user has it",
      identity(["jane@example.com", false]),
      { email: [verifiedA], phone: [] },
      true,
      { kind: "none", reason: "no-verified-address" },
    ],
    ["no address at all: nothing", identity(), none, true, { kind: "none", reason: "no-verified-address" }],
    [
      "verified on both sides, one holder: link",
      identity(["jane@example.com", true]),
      { email: [verifiedA], phone: [] },
      true,
      { kind: "link", username: "user-a", matchedOn: ["email"] },
    ],
    [
      "two verified holders: nothing",
      identity(["jane@example.com", true]),
      { email: [verifiedA, verifiedB], phone: [] },
      true,
      { kind: "none", reason: "several-verified-holders" },
    ],
    [
      "one verified and one unverified holder: link to the verified one",
      identity(["jane@example.com", true]),
      { email: [verifiedA, { username: "user-b", verified: false }], phone: [] },
      true,
      { kind: "link", username: "user-a", matchedOn: ["email"] },
    ],
    [
      "only an unverified holder: no link and no new user",
      identity(["jane@example.com", true]),
      { email: [unverifiedA], phone: [] },
      true,
      { kind: "none", reason: "held-unverified" },
    ],
    ["nobody holds it: create", identity(["jane@example.com", true]), none, true, { kind: "create", email: "jane@example.com", phone: undefined }],
    ["nobody holds it, creation off: nothing", identity(["jane@example.com", true]), none, false, { kind: "none", reason: "creation-disabled" }],
    [
      "verified phone, one verified holder: link",
      identity(undefined, ["+447700900123", true]),
      { email: [], phone: [verifiedA] },
      true,
      { kind: "link", username: "user-a", matchedOn: ["phone"] },
    ],
    [
      "IdP phone not verified: nothing",
      identity(undefined, ["+447700900123", false]),
      { email: [], phone: [verifiedA] },
      true,
      { kind: "none", reason: "no-verified-address" },
    ],
    [
      "email and phone lead to the same user: link on both",
      identity(["jane@example.com", true], ["+447700900123", true]),
      { email: [verifiedA], phone: [verifiedA] },
      true,
      { kind: "link", username: "user-a", matchedOn: ["email", "phone"] },
    ],
    [
      "email and phone lead to different users: nothing",
      identity(["jane@example.com", true], ["+447700900123", true]),
      { email: [verifiedA], phone: [verifiedB] },
      true,
      { kind: "none", reason: "email-and-phone-disagree" },
    ],
    [
      "verified email matches, unverified IdP phone is ignored",
      identity(["jane@example.com", true], ["+447700900123", false]),
      { email: [verifiedA], phone: [verifiedB] },
      true,
      { kind: "link", username: "user-a", matchedOn: ["email"] },
    ],
    [
      "create with both verified addresses",
      identity(["jane@example.com", true], ["+447700900123", true]),
      none,
      true,
      { kind: "create", email: "jane@example.com", phone: "+447700900123" },
    ],
    [
      "create with only the verified one",
      identity(["jane@example.com", true], ["+447700900123", false]),
      none,
      true,
      { kind: "create", email: "jane@example.com", phone: undefined },
    ],
    [
      "one address held unverified, the other free: no new user",
      identity(["jane@example.com", true], ["+447700900123", true]),
      { email: [], phone: [unverifiedA] },
      true,
      { kind: "none", reason: "held-unverified" },
    ],
  ];
  for (const [name, who, holders, create, expected] of cases) {
    it(name, () => assert.deepEqual(chooseLinkTarget(who, holders, create), expected));
  }
});
