/**
 * A software WebAuthn authenticator for tests: one ES256 (P-256) credential made with node:crypto,
 * answering creation and request options the way a browser and authenticator would together
 * (clientDataJSON, authenticator data, "none" attestation, signed assertions), with knobs to
 * tamper with each part a verifier must check.
 *
 * Authenticator data layout: https://www.w3.org/TR/webauthn-3/#sctn-authenticator-data
 */
import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/** What the CBOR encoder takes (its type is not re-exported). */
type CborValue = Parameters<typeof isoCBOR.encode>[0];

/** Authenticator data flag bits. */
export const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

export interface SoftAuthenticatorOptions {
  /** The origin the "browser" reports in clientDataJSON. Default https://example.com. */
  readonly origin?: string;
  /** AAGUID as a UUID string; default all zeros, as "none" attestation often reports. */
  readonly aaguid?: string;
  /** Whether the authenticator verifies the user (PIN, biometrics): sets UV. Default true. */
  readonly userVerifying?: boolean;
  /** A synced passkey: backup eligible and backed up (BE, BS). Default false. */
  readonly synced?: boolean;
  /** "incrementing" (default): 1, 2, 3… per assertion. "zero": always 0, as synced passkeys do. */
  readonly counter?: "incrementing" | "zero";
  /** What the browser reports as authenticatorAttachment; undefined leaves it out. Default "platform". */
  readonly attachment?: "platform" | "cross-platform" | undefined;
  /** Default ["internal", "hybrid"]. */
  readonly transports?: readonly string[];
  /** Like a browser, refuse options whose excludeCredentials holds this credential. Default true. */
  readonly honourExcludeCredentials?: boolean;
  /** The credential id (base64url); default 16 random bytes. Another's id makes an impostor. */
  readonly credentialId?: string;
}

/** Per-ceremony deviations, each one a check the server must make. */
export interface Tampering {
  readonly origin?: string;
  /** The RP ID whose hash goes into authenticator data (instead of the options'). */
  readonly rpId?: string;
  /** Challenge put into clientDataJSON instead of the options'. */
  readonly challenge?: string;
  /** clientDataJSON type instead of webauthn.create / webauthn.get. */
  readonly type?: string;
  /** Flags byte replacing the computed one (see FLAG). */
  readonly flags?: number;
  /** Signature counter reported instead of the authenticator's own. */
  readonly counter?: number;
  /** Flip a bit of the signature after signing. */
  readonly corruptSignature?: boolean;
  /** Flip a bit of the authenticator data after signing. */
  readonly corruptAuthenticatorData?: boolean;
  /** User handle returned with the assertion; null leaves it out. Default: the one enrolled. */
  readonly userHandle?: string | null;
  /** Attachment reported for this ceremony; null leaves it out. */
  readonly attachment?: "platform" | "cross-platform" | null;
}

function uuidBytes(uuid: string): Buffer {
  const bytes = Buffer.from(uuid.replace(/-/g, ""), "hex");
  if (bytes.length !== 16) throw new Error(`Not an AAGUID: ${uuid}`);
  return bytes;
}

function sha256(data: Uint8Array | string): Buffer {
  return createHash("sha256").update(data).digest();
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function flipLastBit(data: Uint8Array): Buffer {
  const copy = Buffer.from(data);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
}

/** The credential public key as COSE: EC2 key (kty 2), ES256 (alg -7), P-256 (crv 1), x, y. */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.x === undefined || jwk.y === undefined) throw new Error("P-256 key without coordinates");
  return isoCBOR.encode(
    new Map<number, CborValue>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x, "base64url"))],
      [-3, new Uint8Array(Buffer.from(jwk.y, "base64url"))],
    ]),
  );
}

export class SoftAuthenticator {
  /** base64url, as WebAuthn's JSON carries it. */
  readonly credentialId: string;
  /** The user handle given at enrolment (base64url), returned with each assertion. */
  userHandle: string | undefined;
  /** The last counter reported. */
  counter = 0;
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  private readonly settings: Required<Omit<SoftAuthenticatorOptions, "attachment">> & { attachment: SoftAuthenticatorOptions["attachment"] };

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.credentialId = options.credentialId ?? randomBytes(16).toString("base64url");
    this.settings = {
      origin: options.origin ?? "https://example.com",
      aaguid: options.aaguid ?? "00000000-0000-0000-0000-000000000000",
      userVerifying: options.userVerifying ?? true,
      synced: options.synced ?? false,
      counter: options.counter ?? "incrementing",
      attachment: "attachment" in options ? options.attachment : "platform",
      transports: options.transports ?? ["internal", "hybrid"],
      honourExcludeCredentials: options.honourExcludeCredentials ?? true,
      credentialId: this.credentialId,
    };
  }

  /** The COSE public key, base64url, as enrolment stores it. */
  get publicKeyCose(): string {
    return Buffer.from(coseKey(this.keys.publicKey)).toString("base64url");
  }

  private flags(extra: number): number {
    const { userVerifying, synced } = this.settings;
    return FLAG.UP | (userVerifying ? FLAG.UV : 0) | (synced ? FLAG.BE | FLAG.BS : 0) | extra;
  }

  private clientData(type: string, challenge: string, tamper: Tampering): string {
    const clientData = {
      type: tamper.type ?? type,
      challenge: tamper.challenge ?? challenge,
      origin: tamper.origin ?? this.settings.origin,
      crossOrigin: false,
    };
    return Buffer.from(JSON.stringify(clientData)).toString("base64url");
  }

  private attachment(tamper: Tampering) {
    const attachment = tamper.attachment === undefined ? this.settings.attachment : (tamper.attachment ?? undefined);
    return attachment === undefined ? {} : { authenticatorAttachment: attachment };
  }

  /** navigator.credentials.create() with these options, as RegistrationResponseJSON. */
  register(options: PublicKeyCredentialCreationOptionsJSON, tamper: Tampering = {}): RegistrationResponseJSON {
    if (this.settings.honourExcludeCredentials && options.excludeCredentials?.some((excluded) => excluded.id === this.credentialId)) {
      throw new Error("InvalidStateError: this authenticator already holds a credential excluded by the options");
    }
    const rpId = tamper.rpId ?? options.rp.id;
    if (rpId === undefined) throw new Error("The creation options carry no rp.id");
    const credentialId = Buffer.from(this.credentialId, "base64url");
    const credentialIdLength = Buffer.alloc(2);
    credentialIdLength.writeUInt16BE(credentialId.length);
    let authData: Buffer = Buffer.concat([
      sha256(rpId),
      Buffer.from([tamper.flags ?? this.flags(FLAG.AT)]),
      uint32(tamper.counter ?? 0),
      uuidBytes(this.settings.aaguid),
      credentialIdLength,
      credentialId,
      coseKey(this.keys.publicKey),
    ]);
    if (tamper.corruptAuthenticatorData) authData = flipLastBit(authData);
    const attestationObject = isoCBOR.encode(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    this.userHandle = options.user.id;
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: this.clientData("webauthn.create", options.challenge, tamper),
        attestationObject: Buffer.from(attestationObject).toString("base64url"),
        transports: [...this.settings.transports],
      },
      ...this.attachment(tamper),
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /** navigator.credentials.get() with these options, as AuthenticationResponseJSON. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, tamper: Tampering = {}): AuthenticationResponseJSON {
    const rpId = tamper.rpId ?? options.rpId;
    if (rpId === undefined) throw new Error("The request options carry no rpId");
    if (tamper.counter === undefined && this.settings.counter === "incrementing") this.counter += 1;
    const counter = tamper.counter ?? (this.settings.counter === "zero" ? 0 : this.counter);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([tamper.flags ?? this.flags(0)]), uint32(counter)]);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, tamper);
    // ES256 signs authenticatorData || SHA-256(clientDataJSON), DER-encoded as WebAuthn expects.
    let signature: Buffer = sign("sha256", Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, "base64url"))]), this.keys.privateKey);
    if (tamper.corruptSignature) signature = flipLastBit(signature);
    const sentAuthData = tamper.corruptAuthenticatorData ? flipLastBit(authData) : authData;
    const userHandle = tamper.userHandle === undefined ? this.userHandle : (tamper.userHandle ?? undefined);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON,
        authenticatorData: sentAuthData.toString("base64url"),
        signature: signature.toString("base64url"),
        ...(userHandle === undefined ? {} : { userHandle }),
      },
      ...this.attachment(tamper),
      clientExtensionResults: {},
    };
  }
}

export function createSoftAuthenticator(options: SoftAuthenticatorOptions = {}): SoftAuthenticator {
  return new SoftAuthenticator(options);
}
