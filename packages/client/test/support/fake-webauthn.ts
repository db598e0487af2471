/**
 * A stand-in for the browser's WebAuthn ceremonies: records the options it was given and answers
 * with fixed SimpleWebAuthn JSON, or throws what a browser throws.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import type { WebAuthnCeremonies } from "../../src/webauthn.ts";

export const assertion: AuthenticationResponseJSON = {
  id: "Y3JlZA",
  rawId: "Y3JlZA",
  type: "public-key",
  response: { clientDataJSON: "Y2Q", authenticatorData: "YWQ", signature: "c2ln", userHandle: "dXNlci1oYW5kbGU" },
  clientExtensionResults: {},
};

export const registration: RegistrationResponseJSON = {
  id: "bmV3",
  rawId: "bmV3",
  type: "public-key",
  response: { clientDataJSON: "Y2Q", attestationObject: "YW8", transports: ["internal"] },
  clientExtensionResults: {},
};

/** A DOMException-like error, as navigator.credentials throws. */
export const browserError = (name: string, message = `${name} from the browser`) => Object.assign(new Error(message), { name });

export interface FakeWebAuthn extends WebAuthnCeremonies {
  readonly requests: PublicKeyCredentialRequestOptionsJSON[];
  readonly creations: PublicKeyCredentialCreationOptionsJSON[];
  /** Errors the next ceremonies throw, in order; then they answer. */
  readonly failures: unknown[];
}

export function fakeWebAuthn(): FakeWebAuthn {
  const fake: FakeWebAuthn = {
    requests: [],
    creations: [],
    failures: [],
    async startAuthentication({ optionsJSON }) {
      fake.requests.push(optionsJSON);
      if (fake.failures.length > 0) throw fake.failures.shift();
      return assertion;
    },
    async startRegistration({ optionsJSON }) {
      fake.creations.push(optionsJSON);
      if (fake.failures.length > 0) throw fake.failures.shift();
      return registration;
    },
  };
  return fake;
}
