/**
 * What a passkey answer makes Verify load beyond what a code answer does, in bytes: the files each
 * invocation pulls in (bench/runners/module-census.mjs, one fresh process each, the same first
 * events as the cold-start table), the passkey answer's minus the code answer's. Both load the
 * bundle, the configuration and DynamoDB alike; the difference is the WebAuthn code. Set beside the
 * bytes of @simplewebauthn/server bundled alone, as its budget is. Bytes, not milliseconds: the
 * same build always gives the same figure, so the budget cannot flip between runs.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { bundleSimpleWebAuthn } from "./cold-start.ts";
import { functionRuntime } from "./function-runtime.ts";
import { type LabelledEvent, type PasskeyHolder, verifyCodeAnswer, verifyPasskeyAnswer } from "./realistic-events.ts";
import { RUNNERS, runChild } from "./run-child.ts";
import { type TemplateFunction, templateFunction } from "./template-functions.ts";

export interface PasskeyPathBytes {
  /** Files (bytes) Verify loads answering a passkey, and a code. */
  readonly passkeyAnswerBytes: number;
  readonly codeAnswerBytes: number;
  /** Bytes of the files only the passkey answer loads. */
  readonly passkeyPathBytes: number;
  readonly passkeyPathFiles: number;
  /** @simplewebauthn/server bundled alone (minified ESM, platform node), as a function is. */
  readonly simpleWebAuthnBundledBytes: number;
}

async function loadedFiles(stack: LocalStack, template: Template, logicalId: string, first: LabelledEvent): Promise<Set<string>> {
  const runtime = functionRuntime(template, logicalId, stack);
  const job = {
    module: pathToFileURL(runtime.bundleFile).href,
    exportName: runtime.exportName,
    event: first.event,
    functionName: runtime.name,
    memorySizeMb: runtime.memorySizeMb,
  };
  const { result } = await runChild<{ files: string[] }>(RUNNERS.moduleCensus, job, runtime.environment);
  // Only the function's own files: Node's built-ins have no file, and the runner's are not the function's.
  const folder = pathToFileURL(runtime.bundleFile).href.replace(/[^/]+$/, "");
  return new Set(result.files.filter((url) => url.startsWith(folder)));
}

const bytesOf = (urls: Iterable<string>) => [...urls].reduce((sum, url) => sum + statSync(fileURLToPath(url)).size, 0);

export async function measurePasskeyPathBytes(
  stack: LocalStack,
  template: Template,
  functions: readonly TemplateFunction[],
  holder: PasskeyHolder,
): Promise<PasskeyPathBytes> {
  const verify = templateFunction("verify-auth-challenge-response", functions).logicalId;
  const passkey = await loadedFiles(stack, template, verify, verifyPasskeyAnswer(holder));
  const code = await loadedFiles(stack, template, verify, verifyCodeAnswer(true));
  const only = [...passkey].filter((url) => !code.has(url));
  const scratch = mkdtempSync(join(tmpdir(), "bench-webauthn-"));
  try {
    const simpleWebAuthn = await bundleSimpleWebAuthn(scratch);
    return {
      passkeyAnswerBytes: bytesOf(passkey),
      codeAnswerBytes: bytesOf(code),
      passkeyPathBytes: bytesOf(only),
      passkeyPathFiles: only.length,
      simpleWebAuthnBundledBytes: statSync(simpleWebAuthn).size,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
