import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Outbox, type OutboxMessage, OutboxTimeoutError } from "@cognito-passwordless/local/outbox/outbox.ts";

function anEmail(to: string, body = "Your code is 123456"): OutboxMessage {
  return { channel: "email", to, subject: "Your sign-in code", body, sentAt: new Date().toISOString() };
}

function anSms(to: string, body = "Your code is 654321"): OutboxMessage {
  return { channel: "sms", to, body, sentAt: new Date().toISOString() };
}

describe("the outbox", () => {
  const folder = mkdtempSync(join(tmpdir(), "outbox-test-"));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("lists messages oldest first, newest last", () => {
    const outbox = new Outbox();
    outbox.add(anEmail("first@example.com"));
    outbox.add(anSms("+15550100001"));
    outbox.add(anEmail("third@example.com"));
    assert.deepEqual(
      outbox.list().map((message) => message.to),
      ["first@example.com", "+15550100001", "third@example.com"],
    );
  });

  it("hands out copies, so a reader cannot rewrite what was sent", () => {
    const outbox = new Outbox();
    outbox.add(anEmail("jane@example.com", "Your code is 111111"));
    const [listed] = outbox.list();
    assert.ok(listed);
    listed.body = "Your code is 999999";
    assert.equal(outbox.list()[0]?.body, "Your code is 111111");
  });

  it("waitFor answers at once with the newest message already sent that matches", async () => {
    const outbox = new Outbox();
    outbox.add(anEmail("jane@example.com", "Your code is 111111"));
    outbox.add(anEmail("jane@example.com", "Your code is 222222"));
    outbox.add(anEmail("john@example.com", "Your code is 333333"));
    const message = await outbox.waitFor((m) => m.to === "jane@example.com", 10);
    assert.equal(message.body, "Your code is 222222");
  });

  it("waitFor waits for a matching message that is sent later, ignoring others", async () => {
    const outbox = new Outbox();
    const waiting = outbox.waitFor((m) => m.channel === "sms" && m.to === "+15550100002", 1000);
    setTimeout(() => outbox.add(anSms("+15550100003")), 5);
    setTimeout(() => outbox.add(anSms("+15550100002", "Your code is 424242")), 10);
    const message = await waiting;
    assert.equal(message.body, "Your code is 424242");
  });

  it("waitFor fails with a clear message when nothing matches in time", async () => {
    const outbox = new Outbox();
    outbox.add(anEmail("someone@example.com"));
    await assert.rejects(
      outbox.waitFor((m) => m.to === "nobody@example.com", 30),
      (error: unknown) => {
        assert.ok(error instanceof OutboxTimeoutError);
        assert.equal(error.code, "OUTBOX_TIMEOUT");
        assert.match(error.message, /No outbox message matched within 30 ms \(1 message\(s\) in the outbox\)/);
        return true;
      },
    );
  });

  it("with a file, keeps every message there and reads them back after a restart", () => {
    const file = join(folder, "data", "outbox.json");
    const first = new Outbox({ file });
    first.add(anEmail("persist@example.com"));
    first.add(anSms("+15550100004"));
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), first.list());

    const restarted = new Outbox({ file });
    assert.deepEqual(restarted.list(), first.list());
    restarted.add(anEmail("after-restart@example.com"));
    assert.equal(new Outbox({ file }).list().length, 3);
  });

  it("with a file that does not exist yet, starts empty", () => {
    assert.deepEqual(new Outbox({ file: join(folder, "fresh", "outbox.json") }).list(), []);
  });

  it("refuses to start on a file that is not an outbox, naming it", () => {
    const file = join(folder, "not-an-outbox.json");
    writeFileSync(file, JSON.stringify({ hello: "world" }));
    assert.throws(() => new Outbox({ file }), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not an outbox file`));
  });
});
