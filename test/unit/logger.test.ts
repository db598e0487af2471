/**
 * lib/logger.ts: what an operator reads in CloudWatch. One JSON object per line with the level,
 * message, time and service first; lines under the configured level dropped; WARN and ERROR on
 * stderr; errors readable (JSON.stringify alone would print `{}`); and no value, however odd,
 * able to throw out of a log call and fail a sign-in.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LOG_LEVEL_VARIABLE, type LogLevel, Logger, createLogger } from "../../lib/logger.ts";

const NOW = Date.UTC(2026, 0, 15, 9, 30, 0);

function recorder(logLevel?: LogLevel) {
  const written: { level: LogLevel; line: Record<string, unknown>; raw: string }[] = [];
  const logger = new Logger({
    serviceName: "define-auth-challenge",
    ...(logLevel === undefined ? {} : { logLevel }),
    clock: () => NOW,
    write: (level, raw) => written.push({ level, line: JSON.parse(raw) as Record<string, unknown>, raw }),
  });
  return { logger, written };
}

describe("the structured logger", () => {
  test("writes one JSON line: level, message, timestamp and service, then the call's fields", () => {
    const { logger, written } = recorder();
    logger.info("Code sent", { method: "EMAIL_OTP", destination: "j***@e***.com" });
    assert.equal(written.length, 1);
    assert.ok(!written[0]!.raw.includes("\n"));
    assert.deepEqual(Object.keys(written[0]!.line), ["level", "message", "timestamp", "service", "method", "destination"]);
    assert.deepEqual(written[0]!.line, {
      level: "INFO",
      message: "Code sent",
      timestamp: "2026-01-15T09:30:00.000Z",
      service: "define-auth-challenge",
      method: "EMAIL_OTP",
      destination: "j***@e***.com",
    });
  });

  test("drops lines under its level and is at INFO by default", () => {
    const atInfo = recorder();
    atInfo.logger.debug("hidden");
    atInfo.logger.info("shown");
    const atWarn = recorder("WARN");
    atWarn.logger.info("hidden");
    atWarn.logger.warn("shown");
    atWarn.logger.error("shown too");
    assert.deepEqual(
      atInfo.written.map((entry) => entry.line["message"]),
      ["shown"],
    );
    assert.deepEqual(
      atWarn.written.map((entry) => entry.level),
      ["WARN", "ERROR"],
    );
  });

  test("a call's field cannot overwrite the level, message, time or service", () => {
    const { logger, written } = recorder();
    logger.info("Passkey revoked", { level: "ERROR", message: "forged", service: "other", timestamp: "1970", user: "u" });
    assert.deepEqual(written[0]!.line, {
      level: "INFO",
      message: "Passkey revoked",
      timestamp: "2026-01-15T09:30:00.000Z",
      service: "define-auth-challenge",
      user: "u",
    });
  });

  test("an error is logged with its name, message, stack and cause", () => {
    const { logger, written } = recorder();
    const cause = new TypeError("socket hang up");
    const error = Object.assign(new Error("DynamoDB did not answer", { cause }), { name: "StoreUnavailableError" });
    logger.error("failed", { error });
    const logged = written[0]!.line["error"] as Record<string, unknown>;
    assert.equal(logged["name"], "StoreUnavailableError");
    assert.equal(logged["message"], "DynamoDB did not answer");
    assert.match(String(logged["stack"]), /DynamoDB did not answer/);
    assert.deepEqual((logged["cause"] as Record<string, unknown>)["message"], "socket hang up");
  });

  test("a circular structure or a bigint does not throw out of the call", () => {
    const { logger, written } = recorder();
    const loop: Record<string, unknown> = { name: "loop" };
    loop["self"] = loop;
    assert.doesNotThrow(() => logger.info("odd values", { loop, big: 10n ** 30n }));
    assert.equal((written[0]!.line["loop"] as Record<string, unknown>)["self"], "[Circular]");
    assert.equal(written[0]!.line["big"], "1000000000000000000000000000000");
  });

  test("a value whose serialisation throws costs its fields, not the line", () => {
    const { logger, written } = recorder();
    const hostile = {
      toJSON() {
        throw new Error("no");
      },
    };
    assert.doesNotThrow(() => logger.warn("refused", { hostile }));
    assert.deepEqual(written[0]!.line, {
      level: "WARN",
      message: "refused",
      timestamp: "2026-01-15T09:30:00.000Z",
      service: "define-auth-challenge",
      fieldsDropped: "not serialisable",
    });
  });

  test("carries the X-Ray trace id when Lambda sets one", () => {
    const before = process.env["_X_AMZN_TRACE_ID"];
    process.env["_X_AMZN_TRACE_ID"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    try {
      const { logger, written } = recorder();
      logger.info("traced");
      assert.equal(written[0]!.line["xray_trace_id"], "1-5759e988-bd862e3fe1be46a994272793");
    } finally {
      if (before === undefined) delete process.env["_X_AMZN_TRACE_ID"];
      else process.env["_X_AMZN_TRACE_ID"] = before;
    }
  });
});

describe("createLogger", () => {
  function linesOf(run: () => void): Record<string, unknown>[] {
    const lines: string[] = [];
    const originals = [process.stdout.write, process.stderr.write];
    const capture = ((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    process.stdout.write = capture;
    process.stderr.write = capture;
    try {
      run();
    } finally {
      [process.stdout.write, process.stderr.write] = originals as [typeof process.stdout.write, typeof process.stderr.write];
    }
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  test(`reads the level from ${LOG_LEVEL_VARIABLE}, in any case`, () => {
    const lines = linesOf(() => {
      const logger = createLogger("pre-sign-up", { [LOG_LEVEL_VARIABLE]: "error" });
      logger.warn("hidden");
      logger.error("shown");
    });
    assert.deepEqual(
      lines.map((line) => [line["level"], line["message"], line["service"]]),
      [["ERROR", "shown", "pre-sign-up"]],
    );
  });

  test("an unknown level logs at INFO and says so once, instead of failing the cold start", () => {
    const lines = linesOf(() => {
      const logger = createLogger("pre-sign-up", { [LOG_LEVEL_VARIABLE]: "VERBOSE" });
      logger.debug("hidden");
      logger.info("shown");
    });
    assert.deepEqual(
      lines.map((line) => [line["level"], line["reason"] ?? line["message"]]),
      [
        ["WARN", "unknown_log_level"],
        ["INFO", "shown"],
      ],
    );
  });
});
