/**
 * Just enough of RFC 5322 / MIME to show a raw email (SES `SendRawEmail`) in the outbox:
 * headers with folding, From/To/Cc/Subject (encoded words included), and the text and HTML
 * parts of a possibly nested multipart body, base64 or quoted-printable.
 */

export interface ParsedEmail {
  from?: string;
  recipients: string[];
  subject?: string;
  text?: string;
  html?: string;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

export function parseRawEmail(raw: string): ParsedEmail {
  const message = splitPart(raw.replace(/\r\n/g, "\n"));
  const from = message.headers.get("from");
  const subject = message.headers.get("subject");
  const recipients = ["to", "cc", "bcc"].flatMap((name) => addresses(message.headers.get(name)));
  const bodies: { text?: string; html?: string } = {};
  collectBodies(message, bodies);
  return {
    ...(from === undefined ? {} : { from: decodeWords(from) }),
    recipients,
    ...(subject === undefined ? {} : { subject: decodeWords(subject) }),
    ...bodies,
  };
}

function splitPart(text: string): Part {
  const end = text.indexOf("\n\n");
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? "" : text.slice(end + 2);
  const headers = new Map<string, string>();
  // A line that starts with white space continues the header above it.
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectBodies(part: Part, found: { text?: string; html?: string }): void {
  const contentType = part.headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (/^multipart\//i.test(contentType) && boundary !== undefined) {
    const sections = part.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith("--")) break;
      collectBodies(splitPart(section.replace(/^\n/, "")), found);
    }
    return;
  }
  const decoded = decodeTransfer(part.body, part.headers.get("content-transfer-encoding")).trim();
  if (/^text\/html/i.test(contentType)) found.html ??= decoded;
  else if (/^text\/plain/i.test(contentType)) found.text ??= decoded;
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const unfolded = text.replace(/=\n/g, "");
  for (let index = 0; index < unfolded.length; index++) {
    const hex = unfolded.slice(index + 1, index + 3);
    if (unfolded[index] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[index] ?? "", "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** RFC 2047 encoded words: `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`. */
function decodeWords(header: string): string {
  return header.replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_word, kind: string, data: string) =>
    kind.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : decodeQuotedPrintable(data.replace(/_/g, " ")),
  );
}

/** `Name <a@example.com>, b@example.com` → the bare addresses. */
function addresses(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(",")
    .map((entry) => /<([^>]+)>/.exec(entry)?.[1] ?? entry.trim())
    .filter((address) => address.includes("@"));
}
