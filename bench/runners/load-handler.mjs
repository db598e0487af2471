// Loads a handler file the way Lambda's Node.js runtime does: a .cjs file (or a .js one outside a
// "type": "module" package) with require(), a .mjs one with import(). Importing CommonJS instead
// would add a pass of Node's export scanner over the whole file, which Lambda never runs.
// Bare specifiers (a package, for the import-only references) are imported.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export function loadAsLambdaDoes(specifier) {
  if (specifier.startsWith("file:") && specifier.endsWith(".cjs")) return createRequire(import.meta.url)(fileURLToPath(specifier));
  return import(specifier);
}
