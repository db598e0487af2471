/**
 * The "Your passkeys" panel of the signed-in view: the signed-in user's passkeys through the
 * passkey API (the client's PasskeyManager, with the page's access token), renamed, removed and
 * added in place. Its own notice region says what happened; when adding needs a fresh sign-in
 * it offers "Sign in again". The panel's `data-state` (loading, ready, busy, failed) tells a test
 * when the list on screen is the API's.
 */
import type { PasskeyManager, PasskeySummary } from "@cognito-passwordless/client";
import { byId, make } from "./elements.ts";
import { type PanelMessage, describePasskeyManagerError } from "./passkey-manager-messages.ts";
import { passkeyListItem } from "./passkey-list-item.ts";
import { requireBrowserPasskeys } from "./passkey-support.ts";

export interface PasskeysPanel {
  /** Shows the panel and loads the list. */
  open(): Promise<void>;
  /** Hides the panel and forgets the list (signed out). */
  close(): void;
}

type PanelState = "loading" | "ready" | "busy" | "failed";

export interface PasskeysPanelOptions {
  readonly manager: PasskeyManager;
  /** Signs out and returns to the sign-in view. */
  readonly signInAgain: () => Promise<void>;
  /** Called before an action the person started, to clear the page's other notices. */
  readonly onAction: () => void;
}

export function createPasskeysPanel({ manager, signInAgain, onAction }: PasskeysPanelOptions): PasskeysPanel {
  const panel = byId("passkeys-panel", HTMLElement);
  const list = byId("passkeys-list", HTMLUListElement);
  const empty = byId("passkeys-empty", HTMLParagraphElement);
  const notice = byId("passkeys-notice", HTMLDivElement);
  const addForm = byId("add-passkey-form", HTMLFormElement);
  const addName = byId("add-passkey-name", HTMLInputElement);
  /** Bumped by close(): an answer for an earlier sign-in is never shown. */
  let generation = 0;

  const setState = (state: PanelState) => {
    panel.dataset.state = state;
    panel.setAttribute("aria-busy", String(state === "loading" || state === "busy"));
  };

  const clearNotice = () => {
    notice.hidden = true;
    notice.replaceChildren();
  };

  const showNotice = (kind: "status" | "error", headline: string, detail = "", offerSignIn = false) => {
    notice.className = kind === "error" ? "alert" : "notice";
    notice.dataset.kind = kind;
    notice.replaceChildren(make("strong", { text: headline }));
    if (detail !== "") notice.append(make("code", { className: "error-detail", text: detail }));
    if (offerSignIn) {
      const again = make("button", { className: "primary", text: "Sign in again" });
      again.type = "button";
      again.id = "passkeys-sign-in-again";
      again.dataset.testid = "passkeys-sign-in-again";
      again.addEventListener("click", () => void signInAgain());
      notice.append(make("div", { className: "actions" }, again));
    }
    notice.hidden = false;
  };

  const render = (passkeys: readonly PasskeySummary[]) => {
    list.replaceChildren(...passkeys.map((passkey, index) => passkeyListItem(passkey, index, { rename, remove })));
    empty.hidden = passkeys.length > 0;
  };

  /** Loads the list; false when it could not (the notice says why). */
  const load = async (mine: number): Promise<boolean> => {
    try {
      const passkeys = await manager.listPasskeys();
      if (mine !== generation) return false;
      render(passkeys);
      return true;
    } catch (error) {
      if (mine === generation) showFailure(describePasskeyManagerError(error));
      return false;
    }
  };

  const showFailure = (message: PanelMessage) => showNotice("error", message.headline, message.detail, message.signInAgain);

  /** Runs an action the person started with its button disabled, then shows the list as it now is. */
  const act = async (trigger: HTMLButtonElement, action: () => Promise<string>) => {
    const mine = generation;
    onAction();
    clearNotice();
    trigger.disabled = true;
    setState("busy");
    let listed = true;
    try {
      const done = await action();
      if (mine !== generation) return;
      listed = await load(mine);
      if (listed) showNotice("status", done);
    } catch (error) {
      if (mine !== generation) return;
      const message = describePasskeyManagerError(error);
      // A passkey gone already: show the list as it is now; a reload that fails says so instead.
      if (message.refresh) listed = await load(mine);
      if (listed) showFailure(message);
    } finally {
      trigger.disabled = false;
      if (mine === generation) setState(listed ? "ready" : "failed");
    }
  };

  function rename(passkey: PasskeySummary, name: string, trigger: HTMLButtonElement): void {
    void act(trigger, async () => `Renamed to “${(await manager.renamePasskey(passkey.id, name)).name}”.`);
  }

  function remove(passkey: PasskeySummary, trigger: HTMLButtonElement): void {
    void act(trigger, async () => {
      await manager.removePasskey(passkey.id);
      return `Removed “${passkey.name}”. It can no longer sign in.`;
    });
  }

  addForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const trigger = event.submitter instanceof HTMLButtonElement ? event.submitter : byId("add-passkey", HTMLButtonElement);
    const name = addName.value.trim();
    void act(trigger, async () => {
      requireBrowserPasskeys("registration");
      const added = await manager.addPasskey(name === "" ? {} : { name });
      addName.value = "";
      return `Passkey “${added.name}” added. Next time, sign in with it: no code needed.`;
    });
  });

  return {
    async open() {
      const mine = ++generation;
      clearNotice();
      list.replaceChildren();
      empty.hidden = true;
      panel.hidden = false;
      setState("loading");
      const loaded = await load(mine);
      if (mine === generation) setState(loaded ? "ready" : "failed");
    },
    close() {
      generation++;
      panel.hidden = true;
      clearNotice();
      list.replaceChildren();
      addName.value = "";
      setState("ready");
    },
  };
}
