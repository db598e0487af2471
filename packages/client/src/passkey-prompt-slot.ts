/**
 * Browsers allow one pending `navigator.credentials` request per page, and a passkey autofill is
 * one that waits for as long as the page is open. So each client keeps one slot: an autofill
 * holds it while it waits, and any passkey prompt the client opens (a modal sign-in, with or
 * without a username, or an enrolment) first ends the autofill, which then ends as aborted.
 */
export interface PasskeyPromptSlot {
  /** A prompt of this client is about to open: the pending autofill, if any, is aborted. */
  takeOver(): void;
  /** An autofill starts waiting (ending the one before); call the returned function when it ends. */
  holdAutofill(abort: () => void): () => void;
}

export function passkeyPromptSlot(): PasskeyPromptSlot {
  let pending: (() => void) | undefined;
  const takeOver = () => {
    const abort = pending;
    pending = undefined;
    abort?.();
  };
  return Object.freeze({
    takeOver,
    holdAutofill(abort: () => void) {
      takeOver();
      pending = abort;
      return () => {
        if (pending === abort) pending = undefined;
      };
    },
  });
}
