/**
 * lib/passkey/ec2-signature.ts, which the function bundles use in place of @simplewebauthn/server's
 * unwrapEC2Signature: byte for byte the library's answer on every DER signature node:crypto makes,
 * r‖s that node:crypto itself accepts, and an error on anything that is not strict DER.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { describe, test } from "node:test";
import { Ec2SignatureFormatError, unwrapEC2Signature } from "../../../lib/passkey/ec2-signature.ts";

type Unwrap = (signature: Uint8Array, crv: number) => Uint8Array;

/** The library's own function, by file: its package exports do not list this module. */
async function libraryUnwrap(): Promise<Unwrap> {
  const packageEntry = import.meta.resolve("@simplewebauthn/server");
  const module = (await import(new URL("./helpers/iso/isoCrypto/unwrapEC2Signature.js", packageEntry).href)) as { unwrapEC2Signature: Unwrap };
  return module.unwrapEC2Signature;
}

const CURVES = [
  { crv: 1, name: "P-256", hash: "sha256", componentBytes: 32 },
  { crv: 2, name: "P-384", hash: "sha384", componentBytes: 48 },
  { crv: 3, name: "P-521", hash: "sha512", componentBytes: 66 },
] as const;

/** DER INTEGER for a non-negative magnitude given as big-endian bytes (leading zeros allowed). */
function derInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  let body = Buffer.from(magnitude.subarray(start));
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function derSequence(...elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** The DER signature of r‖s as fixed-length halves. */
function derFromRaw(raw: Uint8Array): Buffer {
  const half = raw.length / 2;
  return derSequence(derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half)));
}

/** The contents of the INTEGER at `offset` of a DER signature (short-form lengths only). */
function integerLengthAt(der: Uint8Array, offset: number): number {
  return der[offset + 1]!;
}

/** Where r starts: after the SEQUENCE's tag and its one- or two-octet length. */
function rOffset(der: Uint8Array): number {
  return der[1] === 0x81 ? 3 : 2;
}

/** Lengths of the r and s INTEGER contents of a DER signature. */
function componentLengths(der: Uint8Array): { r: number; s: number } {
  const r = integerLengthAt(der, rOffset(der));
  const s = integerLengthAt(der, rOffset(der) + 2 + r);
  return { r, s };
}

describe("unwrapping an EC2 signature into r‖s", () => {
  for (const curve of CURVES) {
    test(`${curve.name}: node:crypto signatures give the library's bytes, including short and sign-padded r and s`, async () => {
      const library = await libraryUnwrap();
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: curve.name });
      const seen = { short: 0, signPadded: 0 };
      // ~1 signature in 128 has a short component on P-256/P-384 (a leading zero byte), so keep
      // signing until a few of each shape went through, within a bound.
      for (let index = 0; index < 4000 && (index < 300 || seen.short < 3 || (curve.crv !== 3 && seen.signPadded < 3)); index += 1) {
        const data = randomBytes(32);
        const der = new Uint8Array(sign(curve.hash, data, privateKey));
        const ours = unwrapEC2Signature(der, curve.crv);

        assert.deepEqual(ours, library(der, curve.crv), `signature ${Buffer.from(der).toString("hex")}`);
        assert.equal(ours.length, curve.componentBytes * 2);
        assert.ok(verify(curve.hash, data, { key: publicKey, dsaEncoding: "ieee-p1363" }, ours), "node:crypto accepts r‖s");

        const { r, s } = componentLengths(der);
        if (r < curve.componentBytes || s < curve.componentBytes) seen.short += 1;
        if (r > curve.componentBytes || s > curve.componentBytes) seen.signPadded += 1;
      }
      assert.ok(seen.short >= 3, `short r or s seen ${seen.short} times`);
      // P-521's top byte holds a single bit, so its integers never need a sign byte.
      if (curve.crv !== 3) assert.ok(seen.signPadded >= 3, `sign-padded r or s seen ${seen.signPadded} times`);
    });

    test(`${curve.name}: hand-built DER with tiny, maximal and sign-padded integers gives the library's bytes`, async () => {
      const library = await libraryUnwrap();
      const size = curve.componentBytes;
      const full = (fill: number, top = fill) => Uint8Array.from({ length: size }, (_, index) => (index === 0 ? top : fill));
      const cases: Array<[string, Uint8Array, Uint8Array]> = [
        ["r = 1, s = 1", Uint8Array.of(1), Uint8Array.of(1)],
        ["r = 0x7f, s = 0x80", Uint8Array.of(0x7f), Uint8Array.of(0x80)],
        ["full-length r, its top bit set where the curve has room for it", full(0xab, curve.crv === 3 ? 0x01 : 0xff), full(0x01)],
        ["r one byte short, s two bytes short", full(0x42).subarray(1), full(0x99).subarray(2)],
        ["r and s half the curve's length", full(0x11).subarray(size >> 1), full(0xee).subarray(size >> 1)],
      ];
      for (const [name, r, s] of cases) {
        const der = new Uint8Array(derSequence(derInteger(r), derInteger(s)));
        const ours = unwrapEC2Signature(der, curve.crv);
        assert.deepEqual(ours, library(der, curve.crv), name);
        const expected = new Uint8Array(size * 2);
        expected.set(r, size - r.length);
        expected.set(s, size * 2 - s.length);
        assert.deepEqual(ours, expected, name);
      }
    });
  }

  test("P-521: a signature longer than 127 bytes, whose SEQUENCE length takes the long form, is read", () => {
    const raw = new Uint8Array(132).fill(0xff);
    raw[0] = 0x01;
    raw[66] = 0x01;
    const der = derFromRaw(raw);
    assert.equal(der[1], 0x81, "the test builds a long-form length");
    assert.deepEqual(unwrapEC2Signature(der, 3), raw);
  });

  test("returns a plain Uint8Array of its own, not a view into the signature", () => {
    const der = new Uint8Array(derFromRaw(new Uint8Array(64).fill(0x33)));
    const ours = unwrapEC2Signature(der, 1);
    assert.equal(Object.getPrototypeOf(ours), Uint8Array.prototype);
    assert.notEqual(ours.buffer, der.buffer);
  });
});

describe("refusing what is not a DER ECDSA-Sig-Value", () => {
  const good = new Uint8Array(derFromRaw(Uint8Array.from({ length: 64 }, (_, index) => (index === 0 || index === 32 ? 0x91 : index))));
  const malformed = (signature: Uint8Array | number[], crv = 1, pattern?: RegExp) =>
    assert.throws(
      () => unwrapEC2Signature(Uint8Array.from(signature), crv),
      (error: unknown) => error instanceof Ec2SignatureFormatError && (pattern === undefined || pattern.test(error.message)),
    );
  // INTEGER 1, to build SEQUENCEs around by hand.
  const one = [0x02, 0x01, 0x01];
  /** A SEQUENCE of these elements with its correct DER length. */
  const sequence = (...elements: number[][]) => {
    const body = elements.flat();
    return [0x30, ...derLength(body.length), ...body];
  };

  test("the well-formed signature these cases start from is read", () => {
    assert.equal(unwrapEC2Signature(good, 1).length, 64);
  });

  test("an empty signature", () => malformed([], 1, /ends before the tag of the SEQUENCE/));

  test("every truncation of a good signature", () => {
    for (let length = 0; length < good.length; length += 1) malformed(good.subarray(0, length));
  });

  test("wrong tags: not a SEQUENCE, r or s not an INTEGER", () => {
    malformed([0x31, 0x06, ...one, ...one], 1, /SEQUENCE has tag 0x31/);
    malformed([0x30, 0x06, 0x03, 0x01, 0x01, ...one], 1, /r has tag 0x03/);
    malformed([0x30, 0x06, ...one, 0x04, 0x01, 0x01], 1, /s has tag 0x04/);
  });

  test("bytes after the SEQUENCE, and a third element inside it", () => {
    malformed([...good, 0x00], 1, /1 byte\(s\) after the SEQUENCE/);
    malformed([0x30, 0x09, ...one, ...one, ...one], 1, /after s inside the SEQUENCE/);
  });

  test("a SEQUENCE or INTEGER claiming more bytes than follow", () => {
    malformed([0x30, 0x07, ...one, ...one], 1, /claims 7 byte/);
    malformed([0x30, 0x06, ...one, 0x02, 0x02, 0x01], 1, /s claims 2 byte/);
  });

  test("integers longer than the curve allows", () => {
    const long = (bytes: number) => [0x02, bytes, 0x01, ...new Array<number>(bytes - 1).fill(0x22)];
    malformed(sequence(long(33), one), 1, /r is 33 bytes, longer than the curve's 32/);
    malformed(sequence(one, long(49)), 2, /s is 49 bytes, longer than the curve's 48/);
    malformed(sequence(one, long(67)), 3, /s is 67 bytes, longer than the curve's 66/);
    // A full P-384 component is too long for P-256: the curve decides, not the signature.
    malformed(sequence(long(48), one), 1, /longer than the curve's 32/);
    // 33 bytes with a sign byte: a 32-byte magnitude, which fits P-256…
    const signPadded = [0x02, 33, 0x00, 0x80, ...new Array<number>(31).fill(1)];
    assert.equal(unwrapEC2Signature(Uint8Array.from(sequence(signPadded, one)), 1).length, 64);
    // …and so does one with more zeros in front of it: the value is what counts.
    const zeroPadded = [0x02, 34, 0x00, 0x00, 0x80, ...new Array<number>(31).fill(1)];
    assert.deepEqual(unwrapEC2Signature(Uint8Array.from(sequence(zeroPadded, one)), 1), unwrapEC2Signature(Uint8Array.from(sequence(signPadded, one)), 1));
  });

  test("integers padded with zeros or without their sign octet are read as unsigned values, as the library reads them", async () => {
    const library = await libraryUnwrap();
    const padded32 = [0x02, 32, 0x00, 0x00, 0x7f, ...new Array<number>(29).fill(3)]; // zero-padded to the curve's length
    const unsigned32 = [0x02, 32, 0x80, ...new Array<number>(31).fill(5)]; // top bit set, sign octet left out
    for (const der of [
      [0x30, 0x06, 0x02, 0x01, 0x80, ...one],
      [0x30, 0x06, ...one, 0x02, 0x01, 0xff],
      [0x30, 0x07, 0x02, 0x02, 0x00, 0x7f, ...one],
      sequence(padded32, unsigned32),
    ]) {
      const bytes = Uint8Array.from(der);
      assert.deepEqual(unwrapEC2Signature(bytes, 1), library(bytes, 1), Buffer.from(bytes).toString("hex"));
    }
  });

  test("integers that are zero or empty", () => {
    malformed([0x30, 0x06, 0x02, 0x01, 0x00, ...one], 1, /r is zero/);
    malformed([0x30, 0x07, 0x02, 0x02, 0x00, 0x00, ...one], 1, /r is zero/);
    malformed([0x30, 0x05, 0x02, 0x00, ...one], 1, /r is an empty INTEGER/);
  });

  test("lengths that are indefinite, in long form when short would do, or padded", () => {
    malformed([0x30, 0x80, ...one, ...one, 0x00, 0x00], 1, /indefinite length/);
    malformed([0x30, 0x81, 0x06, ...one, ...one], 1, /not in its shortest form/);
    malformed([0x30, 0x82, 0x00, 0x06, ...one, ...one], 1, /not in its shortest form/);
    malformed(sequence([0x02, 0x81, 0x01, 0x01], one), 1, /the length of r \(1\) is not in its shortest form/);
    malformed([0x30, 0x83, 0x00, 0x00, 0x06, ...one, ...one], 1, /3-octet length/);
  });

  test("a curve that is not P-256, P-384 or P-521", () => {
    for (const crv of [0, 4, 6, 7, 8, -1, 1.5, Number.NaN]) malformed(good, crv, /unexpected COSE crv/);
  });

  test("damaged signatures: read as the library reads them, refused only for broken structure, accepted beyond it only for zero padding", async () => {
    const library = await libraryUnwrap();
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    let accepted = 0;
    for (let index = 0; index < 3000; index += 1) {
      const der = Buffer.from(sign("sha256", randomBytes(16), privateKey));
      const damaged = Buffer.from(der);
      const position = index % der.length;
      damaged[position] = index % 3 === 0 ? damaged[position]! ^ (1 << (index % 8)) : randomBytes(1)[0]!;
      let ours: Uint8Array | Error;
      try {
        ours = unwrapEC2Signature(damaged, 1);
      } catch (error) {
        assert.ok(error instanceof Ec2SignatureFormatError, `only format errors escape: ${String(error)}`);
        ours = error;
      }
      let theirs: Uint8Array | Error;
      try {
        theirs = library(damaged, 1);
      } catch (error) {
        theirs = error as Error;
      }
      if (!(theirs instanceof Error) && !(ours instanceof Error)) {
        assert.deepEqual(ours, theirs, `both read ${damaged.toString("hex")}`);
      } else if (!(theirs instanceof Error) && ours instanceof Error) {
        // The library's ASN.1 reader forgives broken structure (other tag classes, long-form
        // lengths, trailing bytes); the integers' encoding it reads is read here too.
        assert.match(ours.message, /has tag|length|after|ends before|claims/, `only the structure may be refused: ${damaged.toString("hex")}: ${ours.message}`);
      } else if (theirs instanceof Error && !(ours instanceof Error)) {
        // The library counts the zero octets in front of a value; this reads the value.
        assert.match(theirs.message, /component length/, `only zero padding may differ: ${damaged.toString("hex")}`);
      }
      if (!(ours instanceof Error)) accepted += 1;
    }
    // Damage inside r or s leaves valid DER: most cases take the accepting branch.
    assert.ok(accepted > 1000, `accepted ${accepted}`);
  });
});
