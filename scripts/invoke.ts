/**
 * `npm run invoke -- <LogicalId> <event.json> [--env KEY=VALUE ...] [--param Name=Value ...]`
 *
 * Runs one built function the way Lambda would, without Docker (what `sam local invoke` does):
 * code folder and handler from template.yaml, the function's template environment, the bundle
 * from dist/ (run `npm run build` first), a minimal Lambda context. Prints the event the handler
 * returned on stdout; the function's own log lines, and the messages it had SES and SNS send, go
 * to stderr.
 *
 * AWS calls need no account (lib/invoke-services.ts): they go to the local stack when `npm start`
 * is running, else to a DynamoDB (dynalite) with the template's table, SES and SNS receivers and a
 * user pool stand-in started in this process for the one call. The template parameters default to
 * the local stack's (every sign-in method, passkeys for http://localhost:<WEB_PORT>), so every
 * sample in events/ runs as it is.
 *
 * --env KEY=VALUE      sets or replaces a variable after the template's (e.g. TABLE_NAME=my-table)
 * --param Name=Value   overrides a template parameter, as `sam deploy --parameter-overrides` would
 * --template <path>    another template (default: template.yaml)
 * --offline            the in-process services even when the local stack is running
 * --aws                no local services and no local parameter defaults: the SDK's own
 *                      configuration (your credentials, region and any AWS_ENDPOINT_URL_*)
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Context } from "aws-lambda";
import { localTemplateParameters } from "@cognito-passwordless/local/local-parameters.ts";
import { functionEnvironment, listFunctions, type FunctionEnvironment } from "@cognito-passwordless/test-kit/function-environment.ts";
import { type InvokeServices, chooseLocalServices, describeSideEffects, localWebPort } from "./lib/invoke-services.ts";
import { readTemplate, TEMPLATE_PATH } from "@cognito-passwordless/test-kit/read-template.ts";
import { CLIENT_ID as SAMPLE_CLIENT_ID, POOL_ID as SAMPLE_POOL_ID } from "@cognito-passwordless/test-kit/events.ts";

const USAGE = "Usage: npm run invoke -- <LogicalId> <event.json> [--env KEY=VALUE ...] [--param Name=Value ...] [--template path] [--offline | --aws]";

/** Used for !Ref Table and the pseudo parameters when nothing else says: a local name, never a real account. */
const LOCAL_TABLE_NAME = "passwordless";
const LOCAL_ACCOUNT_ID = "000000000000";
const LOCAL_STACK_NAME = "passwordless-local";

class InvokeError extends Error {}

function keyValues(items: readonly string[], flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of items) {
    const equals = item.indexOf("=");
    if (equals <= 0) throw new InvokeError(`${flag} ${item}: expected KEY=VALUE.`);
    pairs[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return pairs;
}

function lambdaContext(fn: FunctionEnvironment, region: string, deadline: number): Context {
  const functionName = fn.logicalId;
  const fail = () => {
    throw new InvokeError("The handler used a callback-style context method; the triggers must be async functions.");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memorySizeMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: "string", multiple: true, default: [] },
      param: { type: "string", multiple: true, default: [] },
      template: { type: "string", default: TEMPLATE_PATH },
      offline: { type: "boolean", default: false },
      aws: { type: "boolean", default: false },
    },
  });
  const [logicalId, eventPath, ...extra] = positionals;
  if (logicalId === undefined || eventPath === undefined || extra.length > 0) throw new InvokeError(USAGE);
  if (values.offline && values.aws) throw new InvokeError(`--offline and --aws exclude each other.\n${USAGE}`);

  const templatePath = resolve(process.env["INIT_CWD"] ?? process.cwd(), values.template);
  const template = readTemplate(templatePath);
  if (!listFunctions(template).includes(logicalId)) {
    throw new InvokeError(`${logicalId} is not a function in ${templatePath}. Functions: ${listFunctions(template).join(", ") || "none"}.`);
  }
  const envOverrides = keyValues(values.env, "--env");
  const region = envOverrides["AWS_REGION"] ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"] ?? "us-east-1";
  // Locally the functions get the local stack's parameters, as under `npm start`; --param wins.
  const parameterOverrides = keyValues(values.param, "--param");
  const parameters = values.aws ? parameterOverrides : localTemplateParameters(template, { webPort: localWebPort(process.env) }, parameterOverrides);
  const resolveFunction = (tableName: string) =>
    functionEnvironment(template, logicalId, {
      parameters,
      resources: {
        Table: tableName,
        "Table.Arn": `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:table/${tableName}`,
        // The pool and app client the sample events name (trigger events carry the pool id
        // themselves; the passkey API's function is given both, and its samples' tokens are the
        // client's). --env USER_POOL_ID=… USER_POOL_CLIENT_ID=… points it at another pool.
        UserPool: SAMPLE_POOL_ID,
        UserPoolClient: SAMPLE_CLIENT_ID,
      },
      pseudoParameters: { "AWS::Region": region, "AWS::AccountId": LOCAL_ACCOUNT_ID, "AWS::StackName": LOCAL_STACK_NAME },
      rootDir: dirname(templatePath),
    });
  // Resolved once before any service starts, so a bad parameter, event or build fails at once.
  const { handlerFile, codeUri } = resolveFunction(envOverrides["TABLE_NAME"] ?? LOCAL_TABLE_NAME);

  let event: unknown;
  try {
    // npm runs scripts from the package root; a relative path means relative to where the user typed it.
    event = JSON.parse(readFileSync(resolve(process.env["INIT_CWD"] ?? process.cwd(), eventPath), "utf8"));
  } catch (error) {
    throw new InvokeError(`Cannot read the event ${eventPath}: ${(error as Error).message}`);
  }
  if (!existsSync(handlerFile)) {
    throw new InvokeError(`${handlerFile} does not exist: run \`npm run build\` first (CodeUri ${codeUri}).`);
  }

  const local = values.aws
    ? undefined
    : await chooseLocalServices({
        template,
        env: process.env,
        region,
        offline: values.offline,
        tableName: envOverrides["TABLE_NAME"],
        offlineTableName: LOCAL_TABLE_NAME,
      });
  try {
    const fn = resolveFunction(local?.tableName ?? envOverrides["TABLE_NAME"] ?? LOCAL_TABLE_NAME);
    await invoke(fn, event, { envOverrides, region, services: local?.services });
  } finally {
    await local?.services.stop();
  }
}

/** Runs the function's handler on the event with its environment, the local services' endpoints and the overrides. */
async function invoke(
  fn: FunctionEnvironment,
  event: unknown,
  { envOverrides, region, services }: { envOverrides: Readonly<Record<string, string>>; region: string; services: InvokeServices | undefined },
): Promise<void> {
  const { logicalId } = fn;
  if (services !== undefined) {
    // None of the caller's own AWS session may reach a local server, or a real one.
    for (const name of ["AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"]) delete process.env[name];
    process.stderr.write(`${logicalId} runs against ${services.description}.\n`);
  }
  // The function reads its configuration at cold start, so the environment is set before its module loads.
  Object.assign(process.env, fn.environment, services?.environment ?? {}, envOverrides, {
    AWS_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
  });
  // The function's log lines go to stderr, so stdout carries the answer alone (ready for jq or a file).
  const writeAnswer = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const module = (await import(pathToFileURL(fn.handlerFile).href)) as Record<string, unknown>;
  const handler = module[fn.exportName];
  if (typeof handler !== "function") throw new InvokeError(`${fn.handlerFile} has no exported function ${fn.exportName}.`);

  const started = Date.now();
  const deadline = started + fn.timeoutSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InvokeError(`${logicalId} did not answer within its ${fn.timeoutSeconds} s Timeout (Cognito would have failed the call).`)),
      fn.timeoutSeconds * 1000,
    );
  });
  try {
    const result: unknown = await Promise.race([handler(event, lambdaContext(fn, region, deadline)), timeout]);
    writeAnswer(`${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`${logicalId} answered in ${Date.now() - started} ms.\n`);
  } finally {
    clearTimeout(timer);
    // What was sent counts whether the handler answered or threw (a code, then a failing write).
    if (services !== undefined) {
      try {
        process.stderr.write(describeSideEffects(await services.messagesSent(), services.cognitoCalls()));
      } catch (error) {
        process.stderr.write(`Messages sent: unknown, the outbox did not answer (${(error as Error).message}).\n`);
      }
    }
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const badArguments = String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
  const known = error instanceof InvokeError || (error as Error).name === "TemplateResolutionError" || badArguments;
  // A failure of ours is one sentence; a failure inside the handler keeps its stack.
  process.stderr.write(`invoke failed: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
  if (badArguments) process.stderr.write(`${USAGE}\n`);
  process.exitCode = 1;
}
// Lambda freezes the sandbox after the answer; here open keep-alive sockets of SDK clients
// would hold the process, so it ends once the answer is out.
process.exit();
