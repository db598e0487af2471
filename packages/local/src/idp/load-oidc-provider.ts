/**
 * Loads oidc-provider. Version 9 prints "Unsupported runtime" when imported on a Node.js release
 * line before 22, though it runs there; this project supports Node 20 (package.json engines) and
 * uses the IdP as a local stand-in only, so that one notice is dropped while the module loads.
 * Every other warning of the library still shows.
 */
/// <reference path="./oidc-provider.d.ts" />
import type ProviderClass from "oidc-provider";

let loaded: Promise<typeof ProviderClass> | undefined;

export function loadOidcProvider(): Promise<typeof ProviderClass> {
  loaded ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === "string" && args[0].includes("oidc-provider WARNING: Unsupported runtime")) return;
      warn(...args);
    };
    try {
      return (await import("oidc-provider")).default;
    } finally {
      console.warn = warn;
    }
  })();
  return loaded;
}
