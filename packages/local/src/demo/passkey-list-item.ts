/**
 * One passkey in the "Your passkeys" list: its name, synced or device-bound, its authenticator,
 * when it was added and last used, and its two controls. Rename opens a small form in place;
 * Remove asks for a confirmation in place (no browser dialog, so a test can drive it too).
 * Every control has a data-testid, scoped by the item's `data-passkey-id`.
 */
import type { PasskeySummary } from "@cognito-passwordless/client";
import { make } from "./elements.ts";

export interface PasskeyItemActions {
  rename(passkey: PasskeySummary, name: string, trigger: HTMLButtonElement): void;
  remove(passkey: PasskeySummary, trigger: HTMLButtonElement): void;
}

export function passkeyListItem(passkey: PasskeySummary, index: number, actions: PasskeyItemActions): HTMLLIElement {
  const item = make("li", { className: "passkey-item" });
  item.dataset.testid = "passkey-item";
  item.dataset.passkeyId = passkey.id;

  const name = testId(make("strong", { className: "passkey-name", text: passkey.name }), "passkey-name");
  const kind = testId(
    make("span", { className: `badge ${passkey.backedUp ? "synced" : "device-bound"}`, text: passkey.backedUp ? "Synced" : "Device-bound" }),
    "passkey-kind",
  );
  kind.title = passkey.backedUp ? "Synced by its provider to the person's other devices" : "Kept on this one authenticator only";
  const heading = make("div", { className: "passkey-heading" }, name, kind);
  if (passkey.authenticator !== undefined) heading.append(make("span", { className: "muted", text: passkey.authenticator }));
  const lastUsed =
    passkey.lastUsedAt === undefined
      ? testId(make("span", { text: "never used" }), "passkey-last-used")
      : dated("last used ", passkey.lastUsedAt, "passkey-last-used");
  const dates = make("p", { className: "hint passkey-dates" }, dated("Added ", passkey.createdAt, "passkey-created"), " · ", lastUsed);

  const renameButton = button("Rename", "rename-passkey", `Rename ${passkey.name}`);
  const removeButton = button("Remove", "remove-passkey", `Remove ${passkey.name}`);
  const controls = make("div", { className: "actions passkey-controls" }, renameButton, removeButton);

  const renameForm = testId(make("form", { className: "passkey-rename" }), "rename-passkey-form");
  renameForm.noValidate = true;
  renameForm.hidden = true;
  const input = testId(make("input"), "rename-passkey-input");
  input.id = `rename-passkey-${index}`;
  input.type = "text";
  input.autocomplete = "off";
  input.spellcheck = false;
  const label = make("label", { text: `New name for ${passkey.name}` });
  label.htmlFor = input.id;
  const save = button("Save name", "save-passkey-name");
  save.type = "submit";
  save.className = "primary";
  const cancelRename = button("Cancel", "cancel-rename-passkey");
  renameForm.append(label, input, make("div", { className: "actions" }, save, cancelRename));

  const confirmation = testId(make("div", { className: "passkey-confirm" }), "remove-passkey-confirmation");
  confirmation.setAttribute("role", "group");
  confirmation.setAttribute("aria-label", `Confirm removing ${passkey.name}`);
  confirmation.hidden = true;
  const confirmRemove = button("Yes, remove it", "confirm-remove-passkey");
  confirmRemove.className = "danger";
  const keep = button("Keep it", "cancel-remove-passkey");
  confirmation.append(
    make("p", { text: `Remove “${passkey.name}”? It stops signing in at once, on every device it is on. This can't be undone.` }),
    make("div", { className: "actions" }, confirmRemove, keep),
  );

  renameButton.addEventListener("click", () => {
    confirmation.hidden = true;
    renameForm.hidden = false;
    input.value = passkey.name;
    input.select();
    input.focus();
  });
  cancelRename.addEventListener("click", () => {
    renameForm.hidden = true;
    renameButton.focus();
  });
  renameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.rename(passkey, input.value.trim(), save);
  });
  removeButton.addEventListener("click", () => {
    renameForm.hidden = true;
    confirmation.hidden = false;
    keep.focus();
  });
  keep.addEventListener("click", () => {
    confirmation.hidden = true;
    removeButton.focus();
  });
  confirmRemove.addEventListener("click", () => actions.remove(passkey, confirmRemove));

  item.append(make("div", { className: "passkey-summary" }, heading, dates, controls), renameForm, confirmation);
  return item;
}

function dated(prefix: string, iso: string, id: string): HTMLElement {
  const at = new Date(iso);
  const time = make("time", { text: Number.isNaN(at.getTime()) ? iso : at.toLocaleString() });
  time.dateTime = iso;
  return testId(make("span", {}, prefix, time), id);
}

function button(text: string, id: string, label?: string): HTMLButtonElement {
  const element = testId(make("button", { text }), id);
  element.type = "button";
  if (label !== undefined) element.setAttribute("aria-label", label);
  return element;
}

function testId<T extends HTMLElement>(element: T, id: string): T {
  element.dataset.testid = id;
  return element;
}
