// Two modules of @simplewebauthn/server replaced by ours in the function bundles (scripts/build.mjs),
// each only where the library itself imports it, so that a passkey sign-in
// (verifyAuthenticationResponse) loads no ASN.1 code:
// - helpers/iso/isoCrypto/unwrapEC2Signature.js reads the two DER integers of an EC2 signature
//   with asn1js and @peculiar/asn1-schema (about 80 KB); lib/passkey/ec2-signature.ts reads them
//   directly, with the same result for every DER signature. isoCrypto's verify is shared, so EC2
//   attestation signatures go through it too; unlike asn1js it refuses encodings that are not DER.
// - helpers/verifySignature.js, as verifyAuthenticationResponse imports it, can also take the key
//   from an X.509 certificate, which pulls in the X.509 parser although assertions never carry one;
//   lib/passkey/assertion-signature.ts takes the stored credential key only. The attestation
//   formats keep importing the library's own verifySignature.
// Matched on the resolved file and the importing file, not on a specifier, so another import
// that happens to share a name is left alone.
//
// The swap is by path inside the library, which a new version may move or rename. A swap that
// silently stopped applying would still build and still pass most tests, with the ASN.1 code back
// on every passkey sign-in (and the EC2 signatures read by asn1js again). So the build fails
// instead: before bundling when a file the swap names is not in the installed library
// (`checkReplacementTargets`), and after bundling when a bundle that holds the library did not
// get every swap (`checkReplacementsApplied`). test/template/passkey-chunk.test.ts checks the
// result in the built chunk; test/template/webauthn-replacements.test.ts checks these checks.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The replacements, paths inside the library's esm/ folder: `module` is replaced by `with` where
 * `importer` imports it, and with `everywhere`, wherever else the library imports it too.
 * `importer` is also what the checks look for: the module known to import `module`.
 */
export const REPLACEMENTS = Object.freeze([
  Object.freeze({
    module: "helpers/iso/isoCrypto/unwrapEC2Signature.js",
    importer: "helpers/iso/isoCrypto/verify.js",
    everywhere: true,
    with: join(ROOT, "lib", "passkey", "ec2-signature.ts"),
  }),
  Object.freeze({
    module: "helpers/verifySignature.js",
    importer: "authentication/verifyAuthenticationResponse.js",
    everywhere: false,
    with: join(ROOT, "lib", "passkey", "assertion-signature.ts"),
  }),
]);

const WEBAUTHN_SERVER = /[\\/]node_modules[\\/]@simplewebauthn[\\/]server[\\/]esm[\\/]/;

/** The path of `file` inside @simplewebauthn/server/esm/ with forward slashes, or undefined outside it. */
export function webauthnServerModule(file) {
  const match = WEBAUTHN_SERVER.exec(file);
  return match === null ? undefined : file.slice(match.index + match[0].length).replaceAll("\\", "/");
}

/** The installed library's esm/ folder, as the bundler resolves `@simplewebauthn/server`. */
export function installedEsmDir() {
  return dirname(fileURLToPath(import.meta.resolve("@simplewebauthn/server")));
}

/** How a replacement is named in an error: what is swapped, where, and for what. */
export function describeReplacement(replacement) {
  const where = replacement.everywhere ? "wherever the library imports it" : `as esm/${replacement.importer} imports it`;
  return `esm/${replacement.module} (${where}) by ${relative(ROOT, replacement.with)}`;
}

/** The relative specifiers a library module imports (static and dynamic). */
function relativeImports(code) {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.\.?\/[^"']+)["']/g)].map((match) => match[1]);
}

/**
 * Throws, naming every problem, when the library in `esmDir` is not shaped as the replacements
 * expect: the module to replace or its importer missing, or the importer no longer importing it.
 */
export function checkReplacementTargets(esmDir, replacements = REPLACEMENTS) {
  const problems = [];
  for (const replacement of replacements) {
    const target = join(esmDir, replacement.module);
    const importer = join(esmDir, replacement.importer);
    if (!existsSync(replacement.with)) problems.push(`${describeReplacement(replacement)}: ${relative(ROOT, replacement.with)} does not exist.`);
    if (!existsSync(target)) {
      problems.push(`${describeReplacement(replacement)}: esm/${replacement.module} is not in the installed library.`);
    } else if (!existsSync(importer)) {
      problems.push(`${describeReplacement(replacement)}: esm/${replacement.importer} is not in the installed library.`);
    } else if (!relativeImports(readFileSync(importer, "utf8")).some((specifier) => resolve(dirname(importer), specifier) === target)) {
      problems.push(`${describeReplacement(replacement)}: esm/${replacement.importer} no longer imports esm/${replacement.module}.`);
    }
  }
  if (problems.length > 0) throw new ReplacementError(problems, { esmDir });
}

/**
 * Throws when a bundle did not get the replacements its library modules call for, judged from
 * its esbuild metafile (paths relative to `workingDir`): every import of a replaced module by its
 * `importer` (by any library module, for `everywhere`) must lead to `with`, and a module replaced
 * everywhere must not be in the bundle at all. A bundle without the importer needs nothing.
 */
export function checkReplacementsApplied(bundleName, metafile, workingDir = ROOT, replacements = REPLACEMENTS) {
  const problems = [];
  const libraryInputs = Object.entries(metafile.inputs)
    .map(([path, input]) => ({ path: resolve(workingDir, path), module: webauthnServerModule(resolve(workingDir, path)), imports: input.imports }))
    .filter((input) => input.module !== undefined);
  for (const replacement of replacements) {
    const importerInBundle = libraryInputs.some((input) => input.module === replacement.importer);
    if (!importerInBundle) continue;
    let replaced = 0;
    for (const input of libraryInputs) {
      if (!replacement.everywhere && input.module !== replacement.importer) continue;
      for (const edge of input.imports) {
        const resolved = resolve(workingDir, edge.path);
        const meant =
          webauthnServerModule(resolved) ?? (edge.original?.startsWith(".") ? webauthnServerModule(resolve(dirname(input.path), edge.original)) : undefined);
        if (meant !== replacement.module) continue;
        if (resolved === replacement.with) replaced += 1;
        else problems.push(`${describeReplacement(replacement)}: esm/${input.module} still imports the library's own module.`);
      }
    }
    if (replaced === 0)
      problems.push(
        `${describeReplacement(replacement)}: esm/${replacement.importer} is in the bundle, but no import of esm/${replacement.module} was replaced.`,
      );
    if (replacement.everywhere && libraryInputs.some((input) => input.module === replacement.module)) {
      problems.push(`${describeReplacement(replacement)}: the library's own esm/${replacement.module} is in the bundle all the same.`);
    }
  }
  if (problems.length > 0) throw new ReplacementError(problems, { bundleName });
}

/** A replacement that cannot be applied, or was not: the build stops with this message. */
export class ReplacementError extends Error {
  name = "ReplacementError";
  constructor(problems, { esmDir, bundleName } = {}) {
    super(
      [
        `The swap of @simplewebauthn/server modules failed${bundleName === undefined ? "" : ` in the ${bundleName} bundle`}:`,
        ...problems.map((problem) => `  - ${problem}`),
        `Did a new version of @simplewebauthn/server move or rename these modules${esmDir === undefined ? "" : ` (installed at ${esmDir})`}? ` +
          "Update REPLACEMENTS in scripts/lib/webauthn-replacements.mjs to its new paths, or pin the version the swap was written for.",
      ].join("\n"),
    );
  }
}

/** The esbuild plugin that applies the replacements. */
export function webauthnReplacementsPlugin(replacements = REPLACEMENTS) {
  return {
    name: "webauthn-replacements",
    setup(build) {
      // Only specifiers that end in a replaced module's file name are looked at.
      const names = replacements.map((entry) => entry.module.split("/").at(-1).replaceAll(".", "\\."));
      build.onResolve({ filter: new RegExp(`^\\.\\.?/(.*/)?(${names.join("|")})$`) }, async (args) => {
        if (args.pluginData?.resolving === true) return undefined;
        const importer = webauthnServerModule(args.importer);
        if (importer === undefined) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { resolving: true },
        });
        const target = resolved.errors.length > 0 ? undefined : webauthnServerModule(resolved.path);
        const replacement = replacements.find((entry) => entry.module === target && (entry.everywhere || entry.importer === importer));
        return replacement === undefined ? undefined : { path: replacement.with };
      });
    },
  };
}
