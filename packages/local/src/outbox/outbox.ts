/**
 * The local stack's outbox: every email and SMS the triggers send, kept where a person (the demo
 * page, GET /outbox) and a test (`waitFor`) can read it. Nothing leaves the laptop.
 * With a file (under `npm start --data DIR`) the messages survive a restart.
 */
import { EventEmitter } from "node:events";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface OutboxMessage {
  channel: "email" | "sms";
  to: string;
  subject?: string;
  /** The plain-text body: what a person would read. */
  body: string;
  /** ISO 8601. */
  sentAt: string;
  /** Extras the local SES/SNS receivers keep; absent when a caller adds a message by hand. */
  from?: string;
  html?: string;
  /** The SMS type the sender asked for (`AWS.SNS.SMS.SMSType`): Transactional or Promotional. */
  smsType?: string;
  /** The SMS sender id the sender asked for (`AWS.SNS.SMS.SenderID`). */
  senderId?: string;
  messageId?: string;
}

export class OutboxTimeoutError extends Error {
  readonly code = "OUTBOX_TIMEOUT";
  constructor(timeoutMs: number, seen: number) {
    super(
      `No outbox message matched within ${timeoutMs} ms (${seen} message(s) in the outbox). ` +
        "Did the trigger send one? Its errors are in the local stack's log.",
    );
    this.name = "OutboxTimeoutError";
  }
}

const DEFAULT_WAIT_MS = 5000;

export class Outbox {
  readonly #messages: OutboxMessage[] = [];
  readonly #file: string | undefined;
  readonly #added = new EventEmitter();

  constructor(options?: { file?: string }) {
    this.#file = options?.file;
    if (this.#file !== undefined) this.#messages.push(...readSaved(this.#file));
    // Tests may have many waiters at once; each removes itself when settled.
    this.#added.setMaxListeners(0);
  }

  add(message: OutboxMessage): void {
    const copy = { ...message };
    this.#messages.push(copy);
    if (this.#file !== undefined) save(this.#file, this.#messages);
    this.#added.emit("message", copy);
  }

  /** Oldest first, newest last; copies, so a caller cannot rewrite history. */
  list(): OutboxMessage[] {
    return this.#messages.map((message) => ({ ...message }));
  }

  /**
   * The newest message already in the outbox that matches, or else the next one to arrive.
   * Already-sent messages count because a trigger usually sends before the SDK call that caused
   * it returns; the newest wins so a second sign-in to the same address reads the fresh code.
   */
  waitFor(predicate: (message: OutboxMessage) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<OutboxMessage> {
    const existing = this.#messages.findLast((message) => predicate({ ...message }));
    if (existing !== undefined) return Promise.resolve({ ...existing });
    return new Promise((resolve, reject) => {
      const onMessage = (message: OutboxMessage) => {
        if (!predicate({ ...message })) return;
        clearTimeout(timer);
        this.#added.off("message", onMessage);
        resolve({ ...message });
      };
      const timer = setTimeout(() => {
        this.#added.off("message", onMessage);
        reject(new OutboxTimeoutError(timeoutMs, this.#messages.length));
      }, timeoutMs);
      this.#added.on("message", onMessage);
    });
  }
}

function readSaved(file: string): OutboxMessage[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every(isOutboxMessage)) {
    throw new Error(`${file} is not an outbox file: it should hold a JSON array of messages. Move it away to start afresh.`);
  }
  return parsed;
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a file. */
function save(file: string, messages: readonly OutboxMessage[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(messages, null, 2)}\n`);
  renameSync(temporary, file);
}

function isOutboxMessage(value: unknown): value is OutboxMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    (message.channel === "email" || message.channel === "sms") &&
    typeof message.to === "string" &&
    typeof message.body === "string" &&
    typeof message.sentAt === "string" &&
    (message.subject === undefined || typeof message.subject === "string")
  );
}
