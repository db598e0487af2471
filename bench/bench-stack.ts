/**
 * The local stack as every part of the bench starts it: on 127.0.0.1, each server on a port the
 * system picks (so a bench run never collides with `npm start` or another run), no data folder.
 */
import { type LocalStack, type LocalStackOptions, startLocalStack } from "@cognito-passwordless/local/stack.ts";

export type BenchStackOptions = Omit<LocalStackOptions, "host" | "cognitoPort" | "dynamoPort" | "webPort" | "idpPort" | "passkeyApiPort">;

export function startBenchStack(options: BenchStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ host: "127.0.0.1", cognitoPort: 0, dynamoPort: 0, webPort: 0, idpPort: 0, passkeyApiPort: 0, ...options });
}
