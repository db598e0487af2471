// An esbuild plugin for ES module bundles: every import of a Node built-in (`import { request }
// from "node:http"`) becomes a require() of it through the bundle's createRequire banner.
//
// Why: when an ES module imports a built-in, Node builds the built-in's ES module facade, which
// reads every one of its exports. Some are lazy getters: on Node 22 `node:http`'s load undici
// (WebSocket, MessageEvent), about 8-14 ms, and `node:crypto`'s its Web Crypto. require() hands
// back the module object and reads nothing, so a cold start pays only for what a call uses.
// Named imports still work: esbuild reads them off the required object at run time.
import { builtinModules } from "node:module";

const BUILTINS = new Set(builtinModules.flatMap((name) => (name.startsWith("node:") ? [name] : [name, `node:${name}`])));
const NAMESPACE = "node-builtin-via-require";

export function builtinsViaRequirePlugin() {
  return {
    name: "builtins-via-require",
    setup(build) {
      build.onResolve({ filter: /^(node:)?[a-z][a-z0-9_/]*$/ }, (args) =>
        BUILTINS.has(args.path) && args.namespace !== NAMESPACE ? { path: args.path, namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        // A CommonJS stub: esbuild leaves its require() of the built-in to the banner's `require`.
        contents: `module.exports = require(${JSON.stringify(args.path.startsWith("node:") ? args.path : `node:${args.path}`)});`,
        loader: "js",
      }));
    },
  };
}
