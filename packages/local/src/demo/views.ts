/** The page's steps: one card visible at a time (plus sign-up beside the first). */
import { byId } from "./elements.ts";

export const VIEWS = ["view-start", "view-sign-up", "view-method", "view-code", "view-passkey-registration", "view-signed-in"] as const;
export type View = (typeof VIEWS)[number];

export function show(...visible: View[]): void {
  for (const view of VIEWS) byId(view, HTMLElement).hidden = !visible.includes(view);
}

/** Fills every `data-field="<field>"` placeholder with text. */
export function setText(field: string, text: string): void {
  document.querySelectorAll(`[data-field="${field}"]`).forEach((element) => {
    element.textContent = text;
  });
}
