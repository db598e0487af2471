/**
 * The outbox beside the sign-in: polls GET /outbox and appends what is new, newest last, with
 * anything that looks like a code marked so it is easy to find.
 */
import type { OutboxMessage } from "../outbox/outbox.ts";
import { byId, make } from "./elements.ts";

const POLL_MS = 1000;

export function showOutbox(): void {
  const list = byId("outbox-list", HTMLOListElement);
  const count = byId("outbox-count", HTMLSpanElement);
  let shown = -1;

  const refresh = async () => {
    try {
      const response = await fetch("/outbox", { cache: "no-store" });
      if (!response.ok) throw new Error(`GET /outbox answered ${response.status}`);
      const messages = (await response.json()) as OutboxMessage[];
      if (messages.length === shown) return;
      if (messages.length < shown || shown <= 0) list.replaceChildren();
      for (const message of messages.slice(Math.max(shown, 0))) list.append(messageItem(message));
      if (messages.length === 0)
        list.append(make("li", { className: "empty", text: "Nothing sent yet. Choose email or text at sign-in and the code arrives here." }));
      shown = messages.length;
      count.textContent = `${messages.length} message${messages.length === 1 ? "" : "s"}`;
      list.lastElementChild?.scrollIntoView({ block: "nearest" });
    } catch (error) {
      count.textContent = `Can't read the outbox (${error instanceof Error ? error.message : String(error)})`;
    }
  };
  void refresh();
  setInterval(() => void refresh(), POLL_MS);
}

function messageItem(message: OutboxMessage): HTMLLIElement {
  const sentAt = new Date(message.sentAt);
  const time = make("time", { text: sentAt.toLocaleTimeString() });
  time.dateTime = message.sentAt;
  const item = make(
    "li",
    { className: `message ${message.channel}` },
    make(
      "div",
      { className: "message-meta" },
      make("span", { className: `badge ${message.channel}`, text: message.channel === "email" ? "Email" : "SMS" }),
      make("span", { className: "message-to", text: message.to }),
      time,
    ),
  );
  if (message.subject !== undefined) item.append(make("div", { className: "message-subject", text: message.subject }));
  item.append(make("p", { className: "message-body" }, ...withCodesMarked(message.body)));
  return item;
}

/** Text with runs of 6–10 digits (the code lengths the suite allows) wrapped in <mark>. */
function withCodesMarked(body: string): (Node | string)[] {
  return body.split(/(?<!\d)(\d{6,10})(?!\d)/).map((part, index) => (index % 2 === 1 ? make("mark", { className: "code", text: part }) : part));
}
