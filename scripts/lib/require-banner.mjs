// The first line of every output file of scripts/build.mjs: the `require` that CommonJS code
// bundled into an ES module calls for Node's built-ins (builtins-via-require.mjs makes every
// built-in import such a call). ES modules have no require of their own.
//
// On Node 22.3+ (the nodejs22.x runtime) it is process.getBuiltinModule: nothing to load, where
// createRequire would load node:module and initialise import.meta, ≈ 1 ms of every cold start.
// Everything but the built-ins is bundled, so a name that is not one fails as require() would.
// An older Node (a developer's) takes createRequire instead.
export const REQUIRE_BANNER = [
  "const require = process.getBuiltinModule",
  " ? (id) => { const found = process.getBuiltinModule(id); if (found === undefined) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: \"MODULE_NOT_FOUND\" }); return found; }",
  ' : (await import("node:module")).createRequire(import.meta.url);',
].join("");
