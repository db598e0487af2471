/**
 * Turns a WebAuthn EC2 signature (DER: ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER },
 * RFC 3279 §2.2.3) into r‖s, each as long as the curve's order, which is what WebCrypto verifies.
 *
 * It stands in for @simplewebauthn/server's own unwrapEC2Signature inside the function bundles
 * (scripts/lib/webauthn-replacements.mjs redirects its imports): the library's version reads
 * these two integers with a general ASN.1 toolkit (asn1js and @peculiar/asn1-*), about 80 KB that
 * every passkey sign-in would otherwise load. Same contract, same output for every DER signature.
 *
 * WebAuthn asks for DER ("MUST be encoded as an ASN.1 DER Ecdsa-Sig-Value",
 * https://www.w3.org/TR/webauthn-3/#sctn-signature-attestation-types), and the structure is held
 * to it: definite, shortest lengths and nothing after the two integers. The integers themselves
 * are read as the library reads them, as unsigned big-endian magnitudes: authenticators are known
 * to pad r and s with zeros to the curve's length or to leave out the sign octet, and refusing
 * them would fail real sign-ins over an encoding detail that changes no value.
 */

/** The signature is not a DER ECDSA-Sig-Value, or not one for the curve. */
export class Ec2SignatureFormatError extends Error {
  override readonly name = "Ec2SignatureFormatError";
}

/** Bytes of r and of s for each COSE curve (RFC 9053 §2.1): the order's length, rounded up to bytes. */
const COMPONENT_BYTES: Readonly<Record<number, number>> = {
  1: 32, // P-256
  2: 48, // P-384
  3: 66, // P-521: 521 bits
};

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** r‖s of a DER ECDSA signature for COSE curve `crv` (1 P-256, 2 P-384, 3 P-521); throws Ec2SignatureFormatError otherwise. */
export function unwrapEC2Signature(signature: Uint8Array, crv: number): Uint8Array {
  const componentBytes = COMPONENT_BYTES[crv];
  if (componentBytes === undefined) throw new Ec2SignatureFormatError(`EC2 signature: unexpected COSE crv ${crv}, expected 1 (P-256), 2 (P-384) or 3 (P-521)`);

  const reader = new DerReader(signature);
  const sequence = reader.element(SEQUENCE, "the SEQUENCE");
  if (reader.offset !== signature.length) {
    throw new Ec2SignatureFormatError(`EC2 signature: ${signature.length - reader.offset} byte(s) after the SEQUENCE`);
  }

  const fields = new DerReader(sequence);
  const r = magnitude(fields.element(INTEGER, "r"), "r");
  const s = magnitude(fields.element(INTEGER, "s"), "s");
  if (fields.offset !== sequence.length) {
    throw new Ec2SignatureFormatError(`EC2 signature: ${sequence.length - fields.offset} byte(s) after s inside the SEQUENCE`);
  }

  const raw = new Uint8Array(componentBytes * 2);
  raw.set(fitted(r, componentBytes, "r"), 0);
  raw.set(fitted(s, componentBytes, "s"), componentBytes);
  return raw;
}

/** Reads tag-length-value elements one after another, refusing anything DER would not write. */
class DerReader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** The contents of the next element, which must carry `tag`. */
  element(tag: number, what: string): Uint8Array {
    const found = this.byte(`the tag of ${what}`);
    if (found !== tag) throw new Ec2SignatureFormatError(`EC2 signature: ${what} has tag 0x${hex(found)}, expected 0x${hex(tag)}`);
    const length = this.length(what);
    if (length > this.bytes.length - this.offset) {
      throw new Ec2SignatureFormatError(`EC2 signature: ${what} claims ${length} byte(s), only ${this.bytes.length - this.offset} follow`);
    }
    const contents = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return contents;
  }

  /** X.690 §10.1: definite form, and the shortest one (short form below 128, no leading zero octets). */
  private length(what: string): number {
    const first = this.byte(`the length of ${what}`);
    if (first < 0x80) return first;
    if (first === 0x80) throw new Ec2SignatureFormatError(`EC2 signature: ${what} has an indefinite length`);
    const octets = first & 0x7f;
    // Two length octets already allow 64 KiB; an ECDSA signature on these curves is under 140 bytes.
    if (octets > 2) throw new Ec2SignatureFormatError(`EC2 signature: ${what} has a ${octets}-octet length`);
    let length = 0;
    for (let index = 0; index < octets; index += 1) length = length * 256 + this.byte(`the length of ${what}`);
    if (length < 0x80 || length < 1 << (8 * (octets - 1))) {
      throw new Ec2SignatureFormatError(`EC2 signature: the length of ${what} (${length}) is not in its shortest form`);
    }
    return length;
  }

  private byte(what: string): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new Ec2SignatureFormatError(`EC2 signature: ends before ${what}`);
    this.offset += 1;
    return value;
  }
}

/** The INTEGER's contents as an unsigned magnitude, without leading zero octets (see the note at the top). */
function magnitude(contents: Uint8Array, name: string): Uint8Array {
  if (contents.length === 0) throw new Ec2SignatureFormatError(`EC2 signature: ${name} is an empty INTEGER`);
  const start = contents.findIndex((octet) => octet !== 0);
  if (start === -1) throw new Ec2SignatureFormatError(`EC2 signature: ${name} is zero`);
  return contents.subarray(start);
}

/** The magnitude left-padded with zeros to the curve's component length. */
function fitted(magnitude: Uint8Array, componentBytes: number, name: string): Uint8Array {
  if (magnitude.length > componentBytes) {
    throw new Ec2SignatureFormatError(`EC2 signature: ${name} is ${magnitude.length} bytes, longer than the curve's ${componentBytes}`);
  }
  const padded = new Uint8Array(componentBytes);
  padded.set(magnitude, componentBytes - magnitude.length);
  return padded;
}

function hex(value: number): string {
  return value.toString(16).padStart(2, "0");
}
