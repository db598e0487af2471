import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addressState, readAccountFacts } from "../../../lib/ownership/account-facts.ts";
import { type AddressState, type AddressUse, type FirstProof, decideAddressUse } from "../../../lib/ownership/address-use.ts";
import { PUBLIC_KEY_ATTRIBUTE, withCachedPublicKey } from "../../../lib/passkey/public-key-cache.ts";

const ADDRESS_STATES: readonly AddressState[] = ["absent", "unverified", "verified"];
const FLAGS: readonly boolean[] = [false, true];
const FIRST_PROOFS: readonly (FirstProof | undefined)[] = [undefined, "none", "this-address", "another-address"];
const ANY_FLAG = FLAGS;
const ANY_FIRST_PROOF = FIRST_PROOFS;

const decoy: AddressUse = { kind: "no-address" };
const signIn: AddressUse = { kind: "round", purpose: "sign-in" };
const firstProof: AddressUse = { kind: "round", purpose: "first-proof" };
const claim: AddressUse = { kind: "round", purpose: "claim" };
const readFirstProof: AddressUse = { kind: "read-first-proof" };

/**
 * The ownership rule as a table: each row is one situation, and the values it holds for each fact.
 * Together the rows cover every combination of the facts exactly once (checked below).
 */
interface Situation {
  readonly name: string;
  readonly address: AddressState;
  readonly hasVerifiedAddress: readonly boolean[];
  readonly hasPasskey: readonly boolean[];
  readonly firstProof: readonly (FirstProof | undefined)[];
  readonly expected: AddressUse;
}

const situations: Situation[] = [
  {
    name: "an account without the address gets a decoy round, whatever else it holds",
    address: "absent",
    hasVerifiedAddress: ANY_FLAG,
    hasPasskey: ANY_FLAG,
    firstProof: ANY_FIRST_PROOF,
    expected: decoy,
  },
  {
    name: "a verified address signs in, whatever else the account holds",
    address: "verified",
    hasVerifiedAddress: ANY_FLAG,
    hasPasskey: ANY_FLAG,
    firstProof: ANY_FIRST_PROOF,
    expected: signIn,
  },
  {
    name: "an unverified address on an account with another verified address can only be claimed",
    address: "unverified",
    hasVerifiedAddress: [true],
    hasPasskey: [false],
    firstProof: ANY_FIRST_PROOF,
    expected: claim,
  },
  {
    name: "an unverified address on an account with a passkey can only be claimed",
    address: "unverified",
    hasVerifiedAddress: [false],
    hasPasskey: [true],
    firstProof: ANY_FIRST_PROOF,
    expected: claim,
  },
  {
    name: "an unverified address on an account with a verified address and a passkey can only be claimed",
    address: "unverified",
    hasVerifiedAddress: [true],
    hasPasskey: [true],
    firstProof: ANY_FIRST_PROOF,
    expected: claim,
  },
  {
    name: "a fresh account's unverified address asks the table for the first proof before deciding",
    address: "unverified",
    hasVerifiedAddress: [false],
    hasPasskey: [false],
    firstProof: [undefined],
    expected: readFirstProof,
  },
  {
    name: "a fresh account's first code signs in and makes the address its own",
    address: "unverified",
    hasVerifiedAddress: [false],
    hasPasskey: [false],
    firstProof: ["none"],
    expected: firstProof,
  },
  {
    name: "a fresh account first proven through this address (its flag never written) signs in with it again",
    address: "unverified",
    hasVerifiedAddress: [false],
    hasPasskey: [false],
    firstProof: ["this-address"],
    expected: firstProof,
  },
  {
    name: "a fresh account first proven through another address can only have this one claimed",
    address: "unverified",
    hasVerifiedAddress: [false],
    hasPasskey: [false],
    firstProof: ["another-address"],
    expected: claim,
  },
];

interface Combination {
  readonly address: AddressState;
  readonly hasVerifiedAddress: boolean;
  readonly hasPasskey: boolean;
  readonly firstProof: FirstProof | undefined;
}

function combinationsOf(situation: Pick<Situation, "address" | "hasVerifiedAddress" | "hasPasskey" | "firstProof">): Combination[] {
  return situation.hasVerifiedAddress.flatMap((hasVerifiedAddress) =>
    situation.hasPasskey.flatMap((hasPasskey) =>
      situation.firstProof.map((proof) => ({ address: situation.address, hasVerifiedAddress, hasPasskey, firstProof: proof })),
    ),
  );
}

function describeCombination({ address, hasVerifiedAddress, hasPasskey, firstProof: proof }: Combination): string {
  return `address ${address}, verified address ${hasVerifiedAddress ? "yes" : "no"}, passkey ${hasPasskey ? "yes" : "no"}, first proof ${proof ?? "not read"}`;
}

describe("what a proof of an address may do (the ownership rule)", () => {
  for (const situation of situations) {
    for (const combination of combinationsOf(situation)) {
      it(`${situation.name} (${describeCombination(combination)})`, () => {
        const use = decideAddressUse({
          address: combination.address,
          account: { hasVerifiedAddress: combination.hasVerifiedAddress, hasPasskey: combination.hasPasskey },
          firstProof: combination.firstProof,
        });

        assert.deepEqual(use, situation.expected);
      });
    }
  }

  it("the table names every combination of the facts exactly once", () => {
    const named = situations.flatMap(combinationsOf).map(describeCombination);
    const every = ADDRESS_STATES.flatMap((address) => combinationsOf({ address, hasVerifiedAddress: FLAGS, hasPasskey: FLAGS, firstProof: FIRST_PROOFS })).map(
      describeCombination,
    );

    assert.equal(every.length, 3 * 2 * 2 * 4);
    assert.deepEqual([...named].sort(), [...every].sort());
  });
});

const ONE_PASSKEY = withCachedPublicKey(undefined, "credential-1", { publicKey: "pQECAyYgASFYIAkey", method: "swk" });

describe("the state of an address, read from the account's attributes", () => {
  for (const [name, attributes, attribute, expected] of [
    ['an email whose flag is "true" is verified', { email: "jane@example.com", email_verified: "true" }, "email", "verified"],
    ['an email whose flag is "false" is unverified', { email: "jane@example.com", email_verified: "false" }, "email", "unverified"],
    ["an email without a flag is unverified", { email: "jane@example.com" }, "email", "unverified"],
    ['a flag spelt other than "true" does not verify the email', { email: "jane@example.com", email_verified: "True" }, "email", "unverified"],
    ["an account without an email has none, even with its flag set", { email_verified: "true" }, "email", "absent"],
    ["an empty email is no email, even with its flag set", { email: "", email_verified: "true" }, "email", "absent"],
    ['a phone number whose flag is "true" is verified', { phone_number: "+14155550123", phone_number_verified: "true" }, "phone_number", "verified"],
    ['a phone number whose flag is "false" is unverified', { phone_number: "+14155550123", phone_number_verified: "false" }, "phone_number", "unverified"],
    ["a phone number is not verified by the email's flag", { phone_number: "+14155550123", email_verified: "true" }, "phone_number", "unverified"],
    ["an empty phone number is no phone number", { phone_number: "", phone_number_verified: "true" }, "phone_number", "absent"],
  ] as const) {
    it(name, () => {
      assert.equal(addressState(attributes, attribute), expected);
    });
  }
});

describe("the facts of an account, read from its attributes", () => {
  for (const [name, attributes, expected] of [
    [
      "a new account with an unverified email has proven nothing",
      { email: "jane@example.com", email_verified: "false" },
      { hasVerifiedAddress: false, hasPasskey: false },
    ],
    [
      "an account with a verified email has a verified address",
      { email: "jane@example.com", email_verified: "true" },
      { hasVerifiedAddress: true, hasPasskey: false },
    ],
    [
      "an account with only its phone number verified has a verified address",
      { email: "jane@example.com", email_verified: "false", phone_number: "+14155550123", phone_number_verified: "true" },
      { hasVerifiedAddress: true, hasPasskey: false },
    ],
    [
      "flags without addresses verify nothing",
      { email: "", email_verified: "true", phone_number_verified: "true" },
      { hasVerifiedAddress: false, hasPasskey: false },
    ],
    ["an account with no attributes but its id has proven nothing", { sub: "0d8f3a2e" }, { hasVerifiedAddress: false, hasPasskey: false }],
    [
      'a passkeys attribute holding only its version ("v1;") is no passkey',
      { email: "jane@example.com", [PUBLIC_KEY_ATTRIBUTE]: "v1;" },
      { hasVerifiedAddress: false, hasPasskey: false },
    ],
    ["an empty passkeys attribute is no passkey", { email: "jane@example.com", [PUBLIC_KEY_ATTRIBUTE]: "" }, { hasVerifiedAddress: false, hasPasskey: false }],
    [
      "a passkeys attribute with one passkey's key is a passkey",
      { email: "jane@example.com", [PUBLIC_KEY_ATTRIBUTE]: ONE_PASSKEY ?? "" },
      { hasVerifiedAddress: false, hasPasskey: true },
    ],
    [
      "a passkeys attribute that does not parse still counts as a passkey, which can only make a round stricter",
      { email: "jane@example.com", [PUBLIC_KEY_ATTRIBUTE]: "v2;something" },
      { hasVerifiedAddress: false, hasPasskey: true },
    ],
  ] as const) {
    it(name, () => {
      assert.deepEqual(readAccountFacts(attributes), expected);
    });
  }
});
