/**
 * The bench's passkey API part: a local stack of its own whose functions reach DynamoDB and
 * Cognito through the counting proxies, the routes measured (bench/passkey-api-load.ts), their
 * figures under bench/budgets.ts's names, and their table. `npm run bench -- --only passkey-api`
 * runs this part alone; the full run runs it after the sign-in load.
 */
import type { LocalStack } from "@cognito-passwordless/local/stack.ts";
import { startBenchStack } from "./bench-stack.ts";
import { MEASURE } from "./budgets.ts";
import { startCognitoCounter } from "./cognito-counter.ts";
import { startDynamoCounter } from "./dynamo-counter.ts";
import { type PasskeyApiRouteResult, type PasskeyApiSettings, type RequestCost, measurePasskeyApi } from "./passkey-api-load.ts";
import { printTable } from "./print-table.ts";

export interface PasskeyApiPart {
  readonly settings: PasskeyApiSettings;
  readonly routes: readonly PasskeyApiRouteResult[];
  readonly notes: readonly string[];
}

/**
 * Sign-ins happen before the measurement, so the age a sign-in may have for adding a passkey is
 * raised above the template's 5 minutes: the adds are measured, not the refusal of an old sign-in.
 */
const BENCH_TEMPLATE_PARAMETERS = { PasskeyReauthMaxAgeSeconds: "3600" };

export async function runPasskeyApiPart(settings: PasskeyApiSettings, log: (line: string) => void): Promise<PasskeyApiPart> {
  const dynamo = await startDynamoCounter();
  const cognito = await startCognitoCounter();
  let stack: LocalStack | undefined;
  try {
    stack = await startBenchStack({
      // The load is many clients at once: API Gateway's route throttling would refuse most of it.
      httpApiThrottling: false,
      templateParameters: BENCH_TEMPLATE_PARAMETERS,
      // functionEnv wins over the stack's own endpoints: every function's requests pass the counters.
      functionEnv: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint },
    });
    dynamo.forwardTo(stack.dynamoEndpoint);
    cognito.forwardTo(stack.cognitoEndpoint);
    const routes = await measurePasskeyApi(stack, { dynamo, cognito }, settings, log);
    return {
      settings,
      routes,
      notes: [
        `Passkey API: one request at a time through the local stack's HTTP API with plain fetch and the user's access token; PasskeyReauthMaxAgeSeconds=${BENCH_TEMPLATE_PARAMETERS.PasskeyReauthMaxAgeSeconds} so sign-ins made before the measurement stay recent enough to add.`,
      ],
    };
  } finally {
    await stack?.stop();
    await cognito.close();
    await dynamo.close();
  }
}

/** The part's figures under the names bench/budgets.ts judges. */
export function passkeyApiMeasurements(part: PasskeyApiPart): Record<string, number> {
  const measurements: Record<string, number> = {};
  for (const { route, latencyMs, perRequest } of part.routes) {
    measurements[MEASURE.passkeyApiWarmP99(route)] = latencyMs.p99;
    measurements[MEASURE.passkeyApiReads(route)] = perRequest.dynamoReads;
    measurements[MEASURE.passkeyApiWrites(route)] = perRequest.dynamoWrites;
    measurements[MEASURE.passkeyApiCognitoCalls(route)] = perRequest.cognitoCalls;
  }
  return measurements;
}

const operationsText = (operations: Readonly<Record<string, number>>) =>
  Object.entries(operations)
    .map(([name, count]) => (count === 1 ? name : `${count}×${name}`))
    .join(" + ") || "none";

function costText(cost: RequestCost): [string, string, string, string] {
  return [String(cost.dynamoReads), String(cost.dynamoWrites), operationsText(cost.dynamoOperations), operationsText(cost.cognitoOperations)];
}

export function printPasskeyApiPart(part: PasskeyApiPart): void {
  const header = ["route", "status", "p50", "p99", "max", "reads", "writes", "DynamoDB requests", "Cognito calls", "messages", "same every time"];
  const rows = part.routes.map((result) => [
    result.name,
    String(result.status),
    `${result.latencyMs.p50.toFixed(1)} ms`,
    `${result.latencyMs.p99.toFixed(1)} ms`,
    `${result.latencyMs.max.toFixed(1)} ms`,
    ...costText(result.perRequest),
    String(result.perRequest.messages),
    result.deterministic ? "yes" : "no",
  ]);
  printTable(`Passkey API through the local stack (${part.settings.iterations} requests per route, one at a time)`, header, rows, header.length);
}
