/**
 * The sign-in field's passkey autofill: while the first step is on screen, the browser offers
 * this site's passkeys among the field's suggestions (@cognito-passwordless/client's
 * startPasskeyAutofill; the field's autocomplete is "username webauthn"). It waits as long as the
 * step is shown, gives way to any passkey prompt the page opens (the client ends it), and is
 * offered again whenever the step comes back. A browser without conditional mediation simply
 * shows no passkeys there; the "Sign in with a passkey" button still works.
 */
import {
  type PasskeyAutofill,
  PasskeyCancelledError,
  PasskeyChallengeUnavailableError,
  type PasswordlessClient,
  type Tokens,
} from "@cognito-passwordless/client";

export interface AutofillOffer {
  /** Starts offering passkeys in the field, unless it already does. */
  offer(): void;
  /** Stops offering them (the page leaves the first step). */
  withdraw(): void;
}

export function createAutofillOffer(options: {
  readonly client: PasswordlessClient;
  readonly input: HTMLInputElement;
  readonly onSignedIn: (tokens: Tokens) => void;
  readonly onError: (error: unknown) => void;
}): AutofillOffer {
  let pending: PasskeyAutofill | undefined;
  const offer = () => {
    if (pending !== undefined) return;
    const autofill = options.client.startPasskeyAutofill(options.input, {
      onSignedIn: options.onSignedIn,
      // Nothing the person did: a conditional request the browser ended on its own, or a deployment
      // without the challenge route (the field then just offers no passkeys), is not worth an alert.
      onError: (error) => {
        if (!(error instanceof PasskeyCancelledError || error instanceof PasskeyChallengeUnavailableError)) options.onError(error);
      },
    });
    pending = autofill;
    // Exposed for the browser tests, which cannot open the browser's own suggestion list.
    options.input.dataset.passkeyAutofill = "pending";
    void autofill.done.then((end) => {
      if (pending === autofill) pending = undefined;
      if (pending === undefined) options.input.dataset.passkeyAutofill = end.kind;
    });
  };
  return {
    offer,
    withdraw() {
      pending?.abort();
      pending = undefined;
    },
  };
}
