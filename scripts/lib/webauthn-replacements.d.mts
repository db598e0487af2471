// Types of webauthn-replacements.mjs, for the TypeScript that tests it (scripts/build.mjs runs
// under plain Node, so the module itself is JavaScript).
import type { Metafile, Plugin } from "esbuild";

export interface Replacement {
  /** The library module replaced, inside @simplewebauthn/server/esm/. */
  readonly module: string;
  /** The library module known to import it, where it is replaced. */
  readonly importer: string;
  /** Replaced wherever the library imports it, not only in `importer`. */
  readonly everywhere: boolean;
  /** Our module, an absolute path. */
  readonly with: string;
}

export const REPLACEMENTS: readonly Replacement[];
export function webauthnServerModule(file: string): string | undefined;
export function installedEsmDir(): string;
export function describeReplacement(replacement: Replacement): string;
export function checkReplacementTargets(esmDir: string, replacements?: readonly Replacement[]): void;
export function checkReplacementsApplied(bundleName: string, metafile: Metafile, workingDir?: string, replacements?: readonly Replacement[]): void;
export class ReplacementError extends Error {
  constructor(problems: readonly string[], where?: { esmDir?: string; bundleName?: string });
}
export function webauthnReplacementsPlugin(replacements?: readonly Replacement[]): Plugin;
