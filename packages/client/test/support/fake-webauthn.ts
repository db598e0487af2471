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
import type { AuthenticationInput, WebAuthnCeremonies } from "../../src/webauthn.ts";

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
  /** Every startAuthentication input, with its autofill flags. */
  readonly authentications: AuthenticationInput[];
  readonly creations: PublicKeyCredentialCreationOptionsJSON[];
  /** Errors the next ceremonies throw, in order; then they answer. */
  readonly failures: unknown[];
  /** What a modal authentication, or a pick from the autofill, answers. */
  assertion: AuthenticationResponseJSON;
  /** How many times cancelCeremony was called. */
  readonly cancels: number;
  /** Whether an autofill (conditional) request is pending. */
  readonly autofillPending: boolean;
  /** The person picks a passkey from the field's autofill: the pending conditional request resolves. */
  pick(): void;
}

/**
 * `autofill`: whether the fake offers conditional mediation (true), says it cannot (false), or
 * lacks the optional members altogether (undefined, as a minimal custom `webauthn` would).
 * Like SimpleWebAuthn, a new ceremony ends a pending one with an AbortError.
 */
export function fakeWebAuthn(settings: { autofill?: boolean } = {}): FakeWebAuthn {
  let pending: { resolve: (value: AuthenticationResponseJSON) => void; reject: (error: unknown) => void } | undefined;
  let cancels = 0;
  const abortPending = (message: string) => {
    const waiting = pending;
    pending = undefined;
    waiting?.reject(browserError("AbortError", message));
  };
  const fake: FakeWebAuthn = {
    requests: [],
    authentications: [],
    creations: [],
    failures: [],
    assertion,
    get cancels() {
      return cancels;
    },
    get autofillPending() {
      return pending !== undefined;
    },
    pick() {
      const waiting = pending;
      if (waiting === undefined) throw new Error("No autofill request is pending.");
      pending = undefined;
      waiting.resolve(fake.assertion);
    },
    async startAuthentication(input) {
      abortPending("Cancelling existing WebAuthn API call for new one");
      fake.requests.push(input.optionsJSON);
      fake.authentications.push(input);
      if (fake.failures.length > 0) throw fake.failures.shift();
      if (input.useBrowserAutofill === true) {
        return new Promise<AuthenticationResponseJSON>((resolve, reject) => {
          pending = { resolve, reject };
        });
      }
      return fake.assertion;
    },
    async startRegistration({ optionsJSON }) {
      abortPending("Cancelling existing WebAuthn API call for new one");
      fake.creations.push(optionsJSON);
      if (fake.failures.length > 0) throw fake.failures.shift();
      return registration;
    },
  };
  if (settings.autofill !== undefined) {
    const supported = settings.autofill;
    Object.assign(fake, {
      supportsAutofill: async () => supported,
      cancelCeremony: () => {
        cancels++;
        abortPending("Manually cancelling existing WebAuthn API call");
      },
    });
  }
  return fake;
}
