/** The two message boxes above the current step: an alert for failures, a status for news. */
import { byId, make } from "./elements.ts";

export function showError(message: { headline: string; detail: string }): void {
  const box = byId("error", HTMLDivElement);
  box.replaceChildren(make("strong", { text: message.headline }));
  if (message.detail !== "") box.append(make("code", { className: "error-detail", text: message.detail }));
  box.hidden = false;
}

export function showStatus(text: string): void {
  const box = byId("status", HTMLDivElement);
  box.textContent = text;
  box.hidden = false;
}

export function clearNotices(): void {
  byId("error", HTMLDivElement).hidden = true;
  byId("status", HTMLDivElement).hidden = true;
}
