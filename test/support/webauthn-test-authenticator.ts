/**
 * A software WebAuthn authenticator for tests: real ES256 keys, real authenticator data and
 * signatures, "none" attestation. It answers creation and request options the way a browser
 * would hand them to the app, with knobs to make each answer wrong in one precise way.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

interface SoftCredential {
  readonly id: string;
  readonly privateKey: KeyObject;
  readonly userHandle: string;
  counter: number;
}

export interface CeremonyOptions {
  readonly challenge: string;
  readonly rpId: string;
  readonly origin: string;
  /** User verification performed (default true). */
  readonly userVerified?: boolean;
}

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest();

function clientData(type: "webauthn.create" | "webauthn.get", options: CeremonyOptions): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge: options.challenge, origin: options.origin, crossOrigin: false }));
}

function flags(userVerified: boolean, attested: boolean): number {
  return FLAG_UP | (userVerified ? FLAG_UV : 0) | FLAG_BE | FLAG_BS | (attested ? FLAG_AT : 0);
}

export class SoftAuthenticator {
  private readonly credentials = new Map<string, SoftCredential>();

  /** @param countersMove false models synced passkeys, whose counter stays 0. */
  constructor(private readonly options: { countersMove?: boolean; aaguid?: string } = {}) {}

  register(options: CeremonyOptions & { userHandle: string }): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const id = b64url(randomBytes(32));
    this.credentials.set(id, { id, privateKey, userHandle: options.userHandle, counter: 0 });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"))],
        [-3, new Uint8Array(Buffer.from(jwk.y ?? "", "base64url"))],
      ]),
    );
    const credentialId = Buffer.from(id, "base64url");
    const aaguid = Buffer.from((this.options.aaguid ?? "00000000-0000-0000-0000-000000000000").replaceAll("-", ""), "hex");
    const length = Buffer.alloc(2);
    length.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      sha256(options.rpId),
      Buffer.from([flags(options.userVerified ?? true, true)]),
      Buffer.alloc(4),
      aaguid,
      length,
      credentialId,
      Buffer.from(cose),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", new Uint8Array(authData)],
      ]) as never,
    );
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientData("webauthn.create", options)),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  assert(
    credentialId: string,
    options: CeremonyOptions & { counter?: number; tamper?: "signature" | "authenticatorData" },
  ): AuthenticationResponseJSON {
    const credential = this.credentials.get(credentialId);
    if (credential === undefined) throw new Error("This authenticator holds no such credential.");
    if (options.counter !== undefined) credential.counter = options.counter;
    else if (this.options.countersMove) credential.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([sha256(options.rpId), Buffer.from([flags(options.userVerified ?? true, false)]), counter]);
    const clientDataJSON = clientData("webauthn.get", options);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    if (options.tamper === "signature") signature[signature.length - 1]! ^= 0x01;
    if (options.tamper === "authenticatorData") authData[authData.length - 1]! ^= 0x01;
    return {
      id: credentialId,
      rawId: credentialId,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
