/**
 * The demo page's files: the HTML and CSS as written, and the script bundled by esbuild from
 * src/demo/main.ts (with the AWS SDK's Cognito client, in its browser build) the first time
 * it is asked for. Bundling at start keeps `npm start` free of a separate front-end build.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface Asset {
  contentType: string;
  body: string | Uint8Array;
}

const DEMO_FOLDER = new URL("../demo/", import.meta.url);

/** Path on the web server → how to produce it. */
const FILES: Record<string, () => Promise<Asset>> = {
  "/": () => file("index.html", "text/html; charset=utf-8"),
  "/index.html": () => file("index.html", "text/html; charset=utf-8"),
  "/styles.css": () => file("styles.css", "text/css; charset=utf-8"),
  "/demo.js": () => bundle(),
};

let bundled: Promise<Asset> | undefined;

/** The asset served at `path`, or undefined when there is none. */
export function demoAsset(path: string): Promise<Asset> | undefined {
  return FILES[path]?.();
}

/** Starts the bundle early so the first visitor does not wait for it; errors surface on request. */
export function prepareDemoBundle(): void {
  bundle().catch(() => {});
}

async function file(name: string, contentType: string): Promise<Asset> {
  return { contentType, body: await readFile(new URL(name, DEMO_FOLDER), "utf8") };
}

function bundle(): Promise<Asset> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL("main.ts", DEMO_FOLDER))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: "inline",
    legalComments: "none",
    logLevel: "silent",
  }).then(
    (result) => ({ contentType: "text/javascript; charset=utf-8", body: result.outputFiles[0]?.contents ?? "" }),
    (error: unknown) => {
      // Forget a failed build, so fixing the demo's source and reloading is enough.
      bundled = undefined;
      throw error;
    },
  );
  return bundled;
}
