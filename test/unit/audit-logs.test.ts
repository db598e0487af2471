/**
 * The log audit that runs after every `npm test` (scripts/audit-logs.ts): each detector catches
 * its kind of secret and lets the masked forms of lib/mask.ts through; the audit scopes issued
 * codes to the test file that issued them and reports offending lines; the reporter moves log
 * lines out of the report without cutting or losing any; the ledger reads codes out of real
 * messages.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { TestEvent } from "node:test/reporters";
import fc from "fast-check";
import { maskEmail, maskPhone } from "../../lib/mask.ts";
import { buildCodeEmail, buildCodeSms } from "../../lib/send/code-message.ts";
import { CODE_SENT_MESSAGE, auditFailed, auditLogRecords, describeAudit } from "../../scripts/log-audit/audit-log-records.ts";
import { withoutLogLines } from "../../scripts/log-audit/log-lines-reporter.mjs";
import {
  digestLike,
  findSecrets,
  holdsValue,
  isSecretFieldName,
  issuedCodeIn,
  privateKeyText,
  unmaskedEmail,
  unmaskedPhone,
} from "../../scripts/log-audit/secret-detectors.ts";
import { codeOfDraw, codesInMessage } from "../support/code-ledger.ts";

const REPO_ROOT = new URL("../..", import.meta.url).pathname;

/** A line as lib/logger.ts writes it, with only masked values. */
function cleanLine(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    level: "INFO",
    message: "Code sent",
    timestamp: "2026-01-01T00:00:00.000Z",
    service: "create-auth-challenge",
    method: "EMAIL_OTP",
    user: "2cfece01-5cc7-48df-a7b8-070cd66621e9",
    clientId: "3n4b5urk1ft4fl3mg5e62d9ado",
    destination: "j***@e***.com",
    ...extra,
  };
}

describe("the email detector", () => {
  test("finds a full address, wherever it sits in the text", () => {
    assert.equal(unmaskedEmail("jane.doe@example.com"), "jane.doe@example.com");
    assert.equal(unmaskedEmail("sent to <Jane.Doe+tag@mail.example.co.uk>."), "Jane.Doe+tag@mail.example.co.uk");
    assert.equal(unmaskedEmail("élodie@exemple.fr"), "élodie@exemple.fr");
  });

  test("lets every masked form of lib/mask.ts through", () => {
    for (const address of ["jane.doe@example.com", "jo@example.com", "j@example.com", "élodie@exemple.fr", "用户@例子.中国", "jane@mail.example.co.uk"]) {
      assert.equal(unmaskedEmail(`destination ${maskEmail(address)}`), undefined, maskEmail(address));
    }
  });

  test("any valid address is found, and its masked form is not", () => {
    // A star in the local part is what the audit reads as masked: real addresses with one are its blind spot.
    const addresses = fc.emailAddress().filter((address) => !address.split("@")[0]!.includes("*"));
    fc.assert(
      fc.property(addresses, (address) => {
        assert.equal(unmaskedEmail(`{"who":"${address}"}`), address);
        assert.equal(unmaskedEmail(maskEmail(address)), undefined);
      }),
      { numRuns: 300 },
    );
  });

  test("a host name or a package at a version is not an address", () => {
    assert.equal(unmaskedEmail("jane@localhost"), undefined);
    assert.equal(unmaskedEmail("node_modules/@aws-sdk/client-ses@3.1169.0/dist"), undefined);
  });
});

describe("the phone detector", () => {
  test("finds an E.164 number, also written with spaces, dashes or brackets", () => {
    assert.equal(unmaskedPhone("+447700900123"), "+447700900123");
    assert.equal(unmaskedPhone("call +1 (415) 555-0123 now"), "+1 (415) 555-0123");
  });

  test("lets the masked forms through", () => {
    assert.equal(unmaskedPhone("+*******0123"), undefined);
    assert.equal(unmaskedPhone(maskPhone("+447700900123")), undefined);
  });

  test("any number of 8 to 15 digits is found, and its masked form is not", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{7,14}$/), (digits) => {
        assert.equal(unmaskedPhone(`phone: +${digits}.`), `+${digits}`);
        assert.equal(unmaskedPhone(maskPhone(`+${digits}`)), undefined);
      }),
      { numRuns: 300 },
    );
  });

  test("too few digits, or a plus inside base64, is not a phone number", () => {
    assert.equal(unmaskedPhone("+1234567"), undefined);
    assert.equal(unmaskedPhone("MIIBIjANBgkq+12345678hkiG9w0BAQEFAAOC"), undefined);
  });
});

describe("the secret field detector", () => {
  test("names that say secret are secret, whatever their case or separators", () => {
    const secret = [
      "code",
      "otp",
      "answer",
      "challengeAnswer",
      "hash",
      "codeHash",
      "salt",
      "privateKey",
      "secret",
      "password",
      "privateChallengeParameters",
      "session",
      "ANSWER",
      "SECRET_HASH",
      "code_hash",
      "clientSecret",
      "refreshToken",
      "signingPrivateKey",
    ];
    for (const name of secret) assert.equal(isSecretFieldName(name), true, name);
  });

  test("names that only mention a secret are not", () => {
    const harmless = ["codeLength", "errorCode", "statusCode", "answerCorrect", "sessionLength", "publicKey", "hashAlgorithm", "destination", "user"];
    for (const name of harmless) assert.equal(isSecretFieldName(name), false, name);
  });

  test("an error's code is a name, a one-time code is digits", () => {
    assert.equal(holdsValue("code", "COGNITO_CALL_FAILED"), false);
    assert.equal(holdsValue("code", "ThrottlingException"), false);
    assert.equal(holdsValue("code", "123456"), true);
    assert.equal(holdsValue("code", 123456), true);
    assert.equal(holdsValue("code", "A123456"), true);
  });

  test("an empty value or a flag holds nothing", () => {
    for (const empty of ["", null, undefined, [], {}, true, false]) assert.equal(holdsValue("session", empty), false, JSON.stringify(empty));
    assert.equal(holdsValue("session", [{ challengeName: "CUSTOM_CHALLENGE" }]), true);
  });

  test("flags the field in a line, with its path", () => {
    const findings = findSecrets(cleanLine({ round: { privateChallengeParameters: { codeHash: "x" } } }));
    assert.deepEqual(
      findings.map(({ kind, path }) => [kind, path]),
      [
        ["secret-field", "round.privateChallengeParameters"],
        ["secret-field", "round.privateChallengeParameters.codeHash"],
      ],
    );
  });
});

describe("the private key detector", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const keyFindings = (line: unknown) => findSecrets(line).filter((finding) => finding.kind === "private-key");

  test("finds PEM armour and a private JWK, as an object or as text", () => {
    assert.ok(privateKeyText(`key: ${privateKey.export({ type: "pkcs8", format: "pem" }) as string}`));
    const jwk = privateKey.export({ format: "jwk" });
    assert.deepEqual(
      keyFindings(cleanLine({ key: jwk })).map((finding) => finding.path),
      ["key"],
    );
    assert.ok(privateKeyText(JSON.stringify({ body: JSON.stringify(jwk) })));
  });

  test("a public JWK holds no private key (its 32-byte coordinates do look like digests)", () => {
    const jwk = publicKey.export({ format: "jwk" });
    assert.deepEqual(keyFindings(cleanLine({ key: jwk, text: JSON.stringify(jwk) })), []);
  });
});

describe("the digest detector", () => {
  const digest = createHash("sha256").update("jane@example.com").digest();

  test("finds a SHA-256 in hex, base64url and base64", () => {
    for (const encoding of ["hex", "base64url", "base64"] as const) {
      assert.equal(digestLike(`pk: ADDR#${digest.toString(encoding)}`), digest.toString(encoding), encoding);
    }
  });

  test("ids of other shapes and long words are not digests", () => {
    assert.equal(digestLike("2cfece01-5cc7-48df-a7b8-070cd66621e9"), undefined);
    assert.equal(digestLike("3n4b5urk1ft4fl3mg5e62d9ado"), undefined);
    assert.equal(digestLike("verify-auth-challenge-response-handler-test"), undefined);
  });

  test("skips the fields of public ids, and only those", () => {
    const credentialId = randomBytes(32).toString("base64url");
    assert.deepEqual(findSecrets(cleanLine({ credentialId })), []);
    assert.deepEqual(
      findSecrets(cleanLine({ detail: credentialId })).map((finding) => finding.path),
      ["detail"],
    );
  });

  test("SimpleWebAuthn's quote of the public challenge is not a digest, another value in the same field is", () => {
    const challenge = () => randomBytes(32).toString("base64url");
    const check = `Unexpected authentication response challenge "${challenge()}", expected "${challenge()}"`;
    assert.deepEqual(findSecrets(cleanLine({ check })), []);
    assert.equal(findSecrets(cleanLine({ check: `Unexpected RP ID hash ${digest.toString("base64url")}` })).length, 1);
  });
});

describe("the issued code detector", () => {
  const issued = new Set(["048213"]);

  test("finds an issued code in any text", () => {
    assert.equal(issuedCodeIn("the user typed 048213", issued), "048213");
    assert.deepEqual(
      findSecrets(cleanLine({ error: { message: "answer 048213 refused" } }), issued).map((finding) => finding.path),
      ["error.message"],
    );
  });

  test("finds one logged as a number, but not in a number's decimals", () => {
    assert.deepEqual(
      findSecrets(cleanLine({ typed: 482130 }), new Set(["482130"])).map((finding) => finding.path),
      ["typed"],
    );
    assert.deepEqual(findSecrets(cleanLine({ durationMs: 2224.4821305 }), new Set(["4821305"])), []);
  });

  test("a longer number that contains it, or a code never issued, is not flagged", () => {
    assert.equal(issuedCodeIn("id 10482130", issued), undefined);
    assert.equal(issuedCodeIn("the user typed 123456", issued), undefined);
  });

  test("stack frames are not searched: their column numbers match codes by chance", () => {
    const error = { message: "failed", stack: "Error: failed\n    at x (file:///dist/index.mjs:2:048213)" };
    assert.deepEqual(findSecrets(cleanLine({ error }), issued), []);
  });
});

describe("a whole line", () => {
  test("a line with masked values only is clean", () => {
    assert.deepEqual(findSecrets(cleanLine({ email: "J***@E***.com", phone: "+********0123" }), new Set(["123456"])), []);
  });

  test("a line that could not be parsed is still read as text", () => {
    assert.deepEqual(
      findSecrets('{"level":"INFO","who":"jane@example.com"').map((finding) => finding.kind),
      ["email"],
    );
  });
});

describe("the audit of a run", () => {
  const record = (file: string, line: unknown) => JSON.stringify({ file, line: typeof line === "string" ? line : JSON.stringify(line) });

  test("a code counts only in the lines of the test file that issued it", () => {
    const ledger = "test/a.test.ts\t123456\n";
    const records = [record("test/a.test.ts", cleanLine({ note: "typed 123456" })), record("test/b.test.ts", cleanLine({ note: "typed 123456" }))].join("\n");
    const result = auditLogRecords(records, ledger);
    assert.equal(result.linesAudited, 2);
    assert.equal(result.testFiles, 2);
    assert.equal(result.codesOnLedger, 1);
    assert.deepEqual(
      result.offences.map((offence) => offence.file),
      ["test/a.test.ts"],
    );
  });

  test("an unreadable record is audited as text, not skipped", () => {
    const result = auditLogRecords('{"file": "test/a.test.ts", "line": "jane@example.com', "");
    assert.deepEqual(
      result.offences.map((offence) => offence.file),
      ["(unreadable record)"],
    );
  });

  test("the report names the file, what was found where, and the line, cut short", () => {
    const line = cleanLine({ who: "jane@example.com", padding: "x".repeat(1000) });
    const report = describeAudit(auditLogRecords(record("test/e2e/x.test.ts", line), ""));
    assert.match(report, /^Log audit FAILED: 1 log line\(s\) hold a secret/);
    assert.match(report, /test\/e2e\/x\.test\.ts\n {4}email at who: jane@example\.com\n/);
    assert.ok(report.includes(`${JSON.stringify(line).slice(0, 400)}…`));
    assert.ok(!report.includes("x".repeat(500)));
  });

  test("many offending lines are summed up after the first twenty", () => {
    const records = Array.from({ length: 25 }, (_, index) => record("test/a.test.ts", cleanLine({ who: `user${index}@example.com` })));
    const report = describeAudit(auditLogRecords(records.join("\n"), ""));
    assert.match(report, /FAILED: 25 log line/);
    assert.match(report, /… and 5 more line\(s\)\./);
    assert.ok(!report.includes("user20@example.com"));
  });

  test("the command fails with the report on a leak and passes on masked lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-logs-test-"));
    try {
      const run = (line: unknown) => {
        writeFileSync(join(dir, "lines.jsonl"), `${record("test/a.test.ts", line)}\n`);
        writeFileSync(join(dir, "codes.txt"), "test/a.test.ts\t654321\n");
        return spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-logs.ts", join(dir, "lines.jsonl"), join(dir, "codes.txt")], {
          cwd: REPO_ROOT,
          encoding: "utf8",
        });
      };
      const leak = run(cleanLine({ answer: "654321" }));
      assert.equal(leak.status, 1);
      assert.match(leak.stderr, /secret-field at answer: 654321/);
      assert.match(leak.stderr, /issued-code at answer: 654321/);
      const clean = run(cleanLine());
      assert.equal(clean.status, 0, clean.stderr);
      assert.match(clean.stdout, /Log audit passed: 1 log line\(s\) from 1 test file\(s\), 1 issued code\(s\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an audit that cannot see the codes it should look for", () => {
  const record = (file: string, line: unknown) => JSON.stringify({ file, line: JSON.stringify(line) });
  const codeSent = (extra: Record<string, unknown> = {}) => cleanLine({ message: "Code sent", ...extra });

  test("fails for a test file whose lines say codes were sent while the ledger holds none of its codes", () => {
    const records = [record("test/a.test.ts", codeSent()), record("test/a.test.ts", codeSent()), record("test/b.test.ts", codeSent())].join("\n");
    const result = auditLogRecords(records, "test/b.test.ts\t123456\n");
    assert.deepEqual(result.offences, []);
    assert.deepEqual(result.unprovable, [{ file: "test/a.test.ts", codesSent: 2 }]);
    assert.equal(auditFailed(result), true);
    const report = describeAudit(result);
    assert.match(report, /^Log audit FAILED: 1 test file\(s\) sent codes the ledger does not hold/);
    assert.match(report, /test\/a\.test\.ts: 2 "Code sent" line\(s\), 0 codes on the ledger/);
  });

  test("fails a run that sent codes with an empty ledger", () => {
    const result = auditLogRecords(record("test/e2e/x.test.ts", codeSent()), "");
    assert.deepEqual(result.unprovable, [{ file: "test/e2e/x.test.ts", codesSent: 1 }]);
  });

  test("passes a narrowed run that sent no code, with an empty ledger", () => {
    const result = auditLogRecords(record("test/unit/mask.test.ts", cleanLine({ message: "Round created" })), "");
    assert.deepEqual(result.unprovable, []);
    assert.equal(auditFailed(result), false);
    assert.equal(auditLogRecords("", "").unprovable.length, 0, "nor a run that logged nothing");
  });

  test("the message it counts is the one lib/ logs for every code it sends", () => {
    const source = readFileSync(join(REPO_ROOT, "lib", "otp", "issue-code-round.ts"), "utf8");
    assert.ok(source.includes(`logger.info(${JSON.stringify(CODE_SENT_MESSAGE)},`), `lib/otp/issue-code-round.ts logs "${CODE_SENT_MESSAGE}"`);
  });

  test("the command fails on it with exit code 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-logs-test-"));
    try {
      writeFileSync(join(dir, "lines.jsonl"), `${record("test/a.test.ts", codeSent())}\n`);
      writeFileSync(join(dir, "codes.txt"), "");
      const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-logs.ts", join(dir, "lines.jsonl"), join(dir, "codes.txt")], {
        cwd: REPO_ROOT,
        encoding: "utf8",
      });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /sent codes the ledger does not hold/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the reporter that moves log lines out of the report", () => {
  const stdout = (message: string, file = "/repo/test/a.test.ts"): TestEvent => ({ type: "test:stdout", data: { file, message } }) as TestEvent;

  async function run(events: TestEvent[]) {
    const diverted: [string, string | undefined][] = [];
    const passed: TestEvent[] = [];
    async function* source() {
      yield* events;
    }
    for await (const event of withoutLogLines(source(), (line, file) => diverted.push([line, file]))) passed.push(event);
    return { diverted, passed };
  }

  test("a log line cut into pieces is joined again and moved whole, with its file", async () => {
    const line = JSON.stringify(cleanLine({ padding: "y".repeat(70_000) }));
    const { diverted, passed } = await run([stdout(line.slice(0, 65_536)), stdout(`${line.slice(65_536)}\nok 1 - a test\n`)]);
    assert.deepEqual(diverted, [[line, "/repo/test/a.test.ts"]]);
    assert.deepEqual(
      passed.map((event) => (event.data as { message: string }).message),
      ["ok 1 - a test\n"],
    );
  });

  test("other output and other events pass unchanged; pieces of two files are not mixed", async () => {
    const plan = { type: "test:plan", data: { count: 1, nesting: 0 } } as TestEvent;
    const line = JSON.stringify(cleanLine());
    const { diverted, passed } = await run([
      plan,
      stdout('{"level":"IN', "/a"),
      stdout("console text\n", "/b"),
      stdout(`FO"}\n`, "/a"),
      stdout(`${line}`, "/b"),
    ]);
    assert.deepEqual(diverted, [
      ['{"level":"INFO"}', "/a"],
      [line, "/b"],
    ]);
    assert.deepEqual(passed, [plan, stdout("console text\n", "/b")]);
  });

  test("JSON that is not a log line stays in the report", async () => {
    const { diverted, passed } = await run([stdout('{"not":"a log line"}\n')]);
    assert.deepEqual(diverted, []);
    assert.equal(passed.length, 1);
  });
});

describe("the ledger of issued codes", () => {
  test("reads the code out of the real email and SMS", () => {
    const email = buildCodeEmail({ code: "004217", appName: "Example 2026", expiresInMinutes: 5 });
    assert.deepEqual(codesInMessage({ subject: email.subject, body: email.text }), ["004217"]);
    const sms = buildCodeSms({ code: "93817265", appName: "Example", expiresInMinutes: 10, originBoundDomain: "app.example.com" });
    assert.deepEqual(codesInMessage({ body: sms }), ["93817265", "93817265"]);
  });

  test("a draw over a code's range is a code, left-padded; other draws are not", () => {
    assert.equal(codeOfDraw(0, 1_000_000, 42), "000042");
    assert.equal(codeOfDraw(0, 10 ** 10, 7), "0000000007");
    assert.equal(codeOfDraw(0, 2 ** 31 - 1, 42), undefined);
    assert.equal(codeOfDraw(0, 10_000, 42), undefined);
    assert.equal(codeOfDraw(1, 1_000_000, 42), undefined);
  });
});
