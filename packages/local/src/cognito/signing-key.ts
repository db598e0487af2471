/**
 * The RSA key the local pool signs its ID and access tokens with (RS256, `kid` in the header, as
 * Cognito's tokens are), published as a JWKS. Generated at start; with a data directory it is kept
 * in signing-key.json so tokens issued before a restart still verify.
 * (Developer guide, "Verifying a JSON Web Token",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html)
 */
import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { readJsonFile, writeJsonFile } from "./json-file.ts";

export interface Jwk {
  readonly kid: string;
  readonly alg: "RS256";
  readonly kty: "RSA";
  readonly use: "sig";
  readonly n: string;
  readonly e: string;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export class SigningKey {
  private constructor(
    readonly kid: string,
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {}

  static load(file?: string): SigningKey {
    const saved = file === undefined ? undefined : (readJsonFile(file) as { kid?: string; privateKeyPem?: string } | undefined);
    if (saved?.kid !== undefined && saved.privateKeyPem !== undefined) {
      const privateKey = createPrivateKey(saved.privateKeyPem);
      return new SigningKey(saved.kid, privateKey, createPublicKey(privateKey));
    }
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = randomBytes(16).toString("base64url");
    if (file !== undefined) {
      writeJsonFile(file, { kid, privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString() });
    }
    return new SigningKey(kid, privateKey, publicKey);
  }

  jwks(): { keys: Jwk[] } {
    const { n, e } = this.publicKey.export({ format: "jwk" });
    return { keys: [{ kid: this.kid, alg: "RS256", kty: "RSA", use: "sig", n: String(n), e: String(e) }] };
  }

  signJwt(payload: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ kid: this.kid, alg: "RS256" }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign("sha256", Buffer.from(`${header}.${body}`), this.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  /** The payload of a token this key signed, or undefined for anything else. */
  verifyJwt(token: string): Record<string, unknown> | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [header, body, signature] = parts as [string, string, string];
    try {
      const decodedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>;
      if (decodedHeader["kid"] !== this.kid || decodedHeader["alg"] !== "RS256") return undefined;
      if (!verify("sha256", Buffer.from(`${header}.${body}`), this.publicKey, Buffer.from(signature, "base64url"))) return undefined;
      const payload: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      return typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
