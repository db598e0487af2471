/**
 * The passkey sign-in path of the built VerifyAuthChallengeResponse bundle: what a passkey answer
 * loads (chunks/assertion-checks-*.mjs and every chunk it imports) carries no ASN.1 code, since
 * scripts/build.mjs swaps the two library modules that would bring it in, and it still verifies
 * real assertions of every algorithm a passkey may use, exactly as the library does unbundled.
 */
import assert from "node:assert/strict";
import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { build } from "esbuild";
import * as library from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import { createSoftAuthenticator } from "@cognito-passwordless/test-kit/soft-authenticator.ts";
import { REPO_ROOT, runBuild } from "./fixture-build.ts";
import { staticClosure } from "./built-bundle.ts";

/**
 * Strings that survive minification, each from the code of one package the sign-in path must not
 * load. The first test checks that each is really that package's and outlives esbuild's minifier.
 */
const MARKERS = [
  { pkg: "asn1js", marker: "Needlessly long format of SID encoding" },
  { pkg: "pvtsutils", marker: "is not Base64Url encoded" },
  { pkg: "@peculiar/asn1-schema", marker: "Cannot get schema" },
  { pkg: "@peculiar/asn1-x509", marker: "tbsCertificate" },
  { pkg: "@peculiar/asn1-ecc", marker: "specifiedCurve" },
  { pkg: "@peculiar/utils", marker: "Converter name is required" },
] as const;

/**
 * Strings of the two library modules scripts/build.mjs swaps, and of the modules it swaps in
 * (scripts/lib/webauthn-replacements.mjs), each surviving minification: an error message.
 */
const SWAPS = [
  {
    library: "helpers/iso/isoCrypto/unwrapEC2Signature.js",
    libraryMarker: "Invalid signature component length",
    ours: "lib/passkey/ec2-signature.ts",
    ourMarker: "byte(s) after the SEQUENCE",
  },
  {
    library: "helpers/verifySignature.js",
    libraryMarker: 'Must declare either "leafCert" or "credentialPublicKey"',
    ours: "lib/passkey/assertion-signature.ts",
    ourMarker: "verifySignature (assertions): a certificate was given",
  },
] as const;

type VerifyAuthentication = typeof library.verifyAuthenticationResponse;
type VerifyRegistration = typeof library.verifyRegistrationResponse;

const RP_ID = "example.com";
const ORIGIN = "https://example.com";

function sha256(data: Uint8Array | string): Buffer {
  return createHash("sha256").update(data).digest();
}

/** A credential of one algorithm: its COSE public key and how it signs, as an authenticator would. */
interface TestCredential {
  readonly name: string;
  readonly cosePublicKey: Uint8Array;
  sign(data: Buffer): Buffer;
}

function ec2Credential(name: string, namedCurve: string, alg: number, crv: number, hash: string): TestCredential {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve });
  const jwk = publicKey.export({ format: "jwk" });
  return {
    name,
    cosePublicKey: isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, alg],
        [-1, crv],
        [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
      ]),
    ),
    sign: (data) => sign(hash, data, privateKey),
  };
}

function ed25519Credential(): TestCredential {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return {
    name: "EdDSA (Ed25519)",
    cosePublicKey: isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
      ]),
    ),
    sign: (data) => sign(null, data, privateKey),
  };
}

function rsaCredential(): TestCredential {
  const { privateKey, publicKey }: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  return {
    name: "RS256",
    cosePublicKey: isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 3],
        [3, -257],
        [-1, new Uint8Array(Buffer.from(jwk.n!, "base64url"))],
        [-2, new Uint8Array(Buffer.from(jwk.e!, "base64url"))],
      ]),
    ),
    sign: (data) => sign("sha256", data, privateKey),
  };
}

/** verifyAuthenticationResponse's options for one assertion by this credential, its signature changed by `alter`. */
function assertionOptions(credential: TestCredential, alter: (signature: Buffer) => Buffer = (signature) => signature) {
  const id = randomBytes(16).toString("base64url");
  const challenge = randomBytes(32).toString("base64url");
  // Flags UP and UV, counter 1. https://www.w3.org/TR/webauthn-3/#sctn-authenticator-data
  const authenticatorData = Buffer.concat([sha256(RP_ID), Buffer.from([0x05]), Buffer.from([0, 0, 0, 1])]);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: ORIGIN, crossOrigin: false }));
  const signature = alter(credential.sign(Buffer.concat([authenticatorData, sha256(clientDataJSON)])));
  return {
    response: {
      id,
      rawId: id,
      type: "public-key" as const,
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: authenticatorData.toString("base64url"),
        signature: signature.toString("base64url"),
      },
      clientExtensionResults: {},
    },
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential: { id, publicKey: new Uint8Array(credential.cosePublicKey), counter: 0 },
    requireUserVerification: true,
  };
}

/** What a verification came to: verified or not, or the error it threw. */
async function outcome(verify: VerifyAuthentication, options: Parameters<VerifyAuthentication>[0]): Promise<string> {
  try {
    return (await verify(options)).verified ? "verified" : "not verified";
  } catch (error) {
    return `threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function flipLastBit(signature: Buffer): Buffer {
  const copy = Buffer.from(signature);
  copy[copy.length - 1]! ^= 0x01;
  return copy;
}

describe("the passkey sign-in path of the built VerifyAuthChallengeResponse bundle", () => {
  const dir = mkdtempSync(join(tmpdir(), "passwordless-passkey-chunk-"));
  let chunks: string;
  let assertionPath: string[];
  let bundled: { verifyAuthenticationResponse: VerifyAuthentication };
  let bundledRegistration: { verifyRegistrationResponse: VerifyRegistration };

  before(async () => {
    runBuild(["--outdir", join(dir, "dist")]);
    chunks = join(dir, "dist", "verify-auth-challenge-response", "chunks");
    const chunk = (prefix: string) => {
      const found = readdirSync(chunks).filter((file) => file.startsWith(prefix));
      assert.equal(found.length, 1, `one ${prefix}*.mjs chunk, found ${found.join(", ")}`);
      return join(chunks, found[0]!);
    };
    const assertionChunk = chunk("assertion-checks-");
    assertionPath = [...staticClosure(assertionChunk)];
    bundled = (await import(pathToFileURL(assertionChunk).href)) as typeof bundled;
    bundledRegistration = (await import(pathToFileURL(chunk("registration-checks-")).href)) as typeof bundledRegistration;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("has markers that are each one ASN.1 package's and survive minification", async () => {
    // @simplewebauthn/server bundled whole and minified, as the bench's reference is: it loads every one of them.
    const reference = await build({
      stdin: { contents: 'export * from "@simplewebauthn/server";', resolveDir: REPO_ROOT, loader: "js" },
      bundle: true,
      write: false,
      outdir: join(dir, "reference"),
      format: "esm",
      platform: "node",
      mainFields: ["module", "main"],
      target: "node22",
      minify: true,
      metafile: true,
      // Metafile paths are relative to this folder.
      absWorkingDir: REPO_ROOT,
      logLevel: "silent",
    });
    const code = reference.outputFiles.map((file) => file.text).join("\n");
    const inputs = Object.keys(reference.metafile.inputs);
    for (const { pkg, marker } of MARKERS) {
      assert.ok(code.includes(marker), `"${marker}" is in the minified reference bundle`);
      const ownInputs = inputs.filter((input) => input.includes(`node_modules/${pkg}/`));
      assert.ok(
        ownInputs.some((input) => readFileSync(join(REPO_ROOT, input), "utf8").includes(marker)),
        `"${marker}" comes from ${pkg}'s own code`,
      );
    }
  });

  it("has the two swapped modules' markers from their own source files", () => {
    const library = join(REPO_ROOT, "node_modules", "@simplewebauthn", "server", "esm");
    for (const swap of SWAPS) {
      assert.ok(readFileSync(join(library, swap.library), "utf8").includes(swap.libraryMarker), `"${swap.libraryMarker}" is in esm/${swap.library}`);
      assert.ok(readFileSync(join(REPO_ROOT, swap.ours), "utf8").includes(swap.ourMarker), `"${swap.ourMarker}" is in ${swap.ours}`);
    }
  });

  it("signs in with our two modules in place of the library's (the build's swap applied)", () => {
    const signInPath = assertionPath.map((file) => readFileSync(file, "utf8")).join("\n");
    for (const swap of SWAPS) {
      assert.ok(signInPath.includes(swap.ourMarker), `${swap.ours} is on the sign-in path`);
      assert.ok(!signInPath.includes(swap.libraryMarker), `the library's esm/${swap.library} is not on the sign-in path`);
    }
    // The EC2 reader is swapped everywhere; the library's verifySignature stays for attestation (registration).
    const bundleFiles = [join(chunks, "..", "index.mjs"), ...readdirSync(chunks).map((file) => join(chunks, file))];
    const everything = bundleFiles.map((file) => readFileSync(file, "utf8")).join("\n");
    assert.ok(!everything.includes(SWAPS[0].libraryMarker), "the library's unwrapEC2Signature is nowhere in the bundle");
    assert.ok(everything.includes(SWAPS[1].libraryMarker), "the library's verifySignature is still there for registration");
  });

  it("loads no asn1js, pvtsutils or @peculiar code", () => {
    assert.ok(assertionPath.length >= 1);
    for (const file of assertionPath) {
      const code = readFileSync(file, "utf8");
      for (const { pkg, marker } of MARKERS) {
        assert.ok(!code.includes(marker), `${file.slice(chunks.length + 1)} carries ${pkg} ("${marker}")`);
      }
    }
  });

  it("loads far less than @simplewebauthn/server whole", () => {
    const bytes = assertionPath.reduce((sum, file) => sum + readFileSync(file).length, 0);
    // About 39 KB once the ASN.1 packages are out; 144 KB with them.
    assert.ok(bytes < 60_000, `the sign-in path loads ${bytes} bytes`);
  });

  it("verifies a soft authenticator's ES256 passkey, enrolled through the bundle's registration path", async () => {
    const authenticator = createSoftAuthenticator({ origin: ORIGIN });
    const enrolChallenge = randomBytes(32).toString("base64url");
    const registration = await bundledRegistration.verifyRegistrationResponse({
      response: authenticator.register({
        challenge: enrolChallenge,
        rp: { id: RP_ID, name: "Example" },
        user: { id: "dXNlci0x", name: "user-1", displayName: "user-1" },
        pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      }),
      expectedChallenge: enrolChallenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });
    assert.ok(registration.verified);
    const { credential } = registration.registrationInfo;

    const signInChallenge = randomBytes(32).toString("base64url");
    const options = (tamper = {}) => ({
      response: authenticator.authenticate({ challenge: signInChallenge, rpId: RP_ID }, tamper),
      expectedChallenge: signInChallenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: { id: credential.id, publicKey: credential.publicKey, counter: 0 },
    });
    const verified = await bundled.verifyAuthenticationResponse(options());
    assert.equal(verified.verified, true);
    assert.equal(verified.authenticationInfo.newCounter, 1);
    assert.equal((await bundled.verifyAuthenticationResponse(options({ corruptAuthenticatorData: true }))).verified, false);
  });

  const credentials = [
    () => ec2Credential("ES256 (P-256)", "P-256", -7, 1, "sha256"),
    () => ec2Credential("ES384 (P-384)", "P-384", -35, 2, "sha384"),
    () => ec2Credential("ES512 (P-521)", "P-521", -36, 3, "sha512"),
    ed25519Credential,
    rsaCredential,
  ];
  for (const makeCredential of credentials) {
    const credential = makeCredential();
    it(`${credential.name}: a good, a damaged and a wrong signature end as they do with the library unbundled`, async () => {
      const cases = {
        good: assertionOptions(credential),
        "last bit flipped": assertionOptions(credential, flipLastBit),
        "another message's signature": assertionOptions(credential, () => credential.sign(randomBytes(64))),
      };
      for (const [name, options] of Object.entries(cases)) {
        assert.equal(await outcome(bundled.verifyAuthenticationResponse, options), await outcome(library.verifyAuthenticationResponse, options), name);
      }
      assert.equal(await outcome(bundled.verifyAuthenticationResponse, cases.good), "verified");
    });
  }

  it("reads EC2 signatures with the project's DER reader, which refuses bytes after the signature", async () => {
    const options = assertionOptions(ec2Credential("ES256", "P-256", -7, 1, "sha256"), (signature) => Buffer.concat([signature, Buffer.from([0])]));
    assert.match(await outcome(bundled.verifyAuthenticationResponse, options), /^threw: EC2 signature: 1 byte\(s\) after the SEQUENCE$/);
  });
});
