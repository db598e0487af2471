/**
 * `npm start`: the whole passwordless sign-in on this machine, with no AWS account. Starts the
 * local stack (Cognito-compatible endpoint with its hosted-UI federation, DynamoDB-compatible
 * endpoint, local OIDC identity provider, the passkey API, web server with the demo and the
 * outbox), prints where everything is, and stops cleanly on Ctrl-C.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { LocalStack, LocalStackOptions } from "./stack.ts";

const USAGE = `Usage: npm start [-- --data DIR] [-- --parameter NAME=VALUE ...]

Runs passwordless sign-in for Amazon Cognito on this machine: an emulated user pool
running the real trigger code, a DynamoDB-compatible table, a local OpenID Connect
identity provider to federate with, the passkey API (the template's HTTP API, its
function behind an emulated JWT authorizer), and a demo page whose emails and text
messages land in a local outbox.

Options:
  --data DIR   keep users (federated ones too), records, signing keys and the outbox
               in DIR between runs (without it, everything is in memory and gone
               when you stop; the identity provider's sessions never persist)
  --parameter NAME=VALUE
               a template.yaml parameter in place of the local default, as
               sam deploy --parameter-overrides sets it; repeat for more, e.g.
               --parameter TriggerLayout=Combined (one function for all triggers)
  -h, --help   show this help

Environment:
  COGNITO_PORT      port of the Cognito-compatible endpoint and its /oauth2/* (default 9229)
  DYNAMODB_PORT     port of the DynamoDB-compatible endpoint  (default 8000)
  WEB_PORT          port of the demo page and the outbox      (default 3000)
  IDP_PORT          port of the local OIDC identity provider  (default 9230)
  PASSKEY_API_PORT  port of the passkey API (HTTP API)        (default 9231)
  A port of 0 picks any free port.`;

/** What the command line and environment asked for, or why they can't be used. */
export type StartRequest = { help: true } | { help: false; options: LocalStackOptions } | { error: string };

export function readStartRequest(argv: readonly string[], env: NodeJS.ProcessEnv): StartRequest {
  let values: { data?: string | undefined; parameter?: string[] | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { data: { type: "string" }, parameter: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { help: true };
  if (values.data !== undefined && values.data.trim() === "") return { error: "--data needs a folder, such as --data .local-data" };
  const templateParameters: Record<string, string> = {};
  for (const assignment of values.parameter ?? []) {
    // The value may hold "=" (a URL's query, say); the name is everything before the first one.
    const match = /^([A-Za-z0-9]+)=(.*)$/s.exec(assignment);
    if (match === null) return { error: `--parameter "${assignment}" should be NAME=VALUE, such as --parameter TriggerLayout=Combined` };
    templateParameters[match[1]!] = match[2]!;
  }

  const ports: Record<string, number> = {};
  for (const [name, fallback] of [
    ["COGNITO_PORT", 9229],
    ["DYNAMODB_PORT", 8000],
    ["WEB_PORT", 3000],
    ["IDP_PORT", 9230],
    ["PASSKEY_API_PORT", 9231],
  ] as const) {
    const value = env[name]?.trim();
    if (value === undefined || value === "") {
      ports[name] = fallback;
    } else if (/^\d{1,5}$/.test(value) && Number(value) <= 65_535) {
      ports[name] = Number(value);
    } else {
      return { error: `${name} is "${value}": it should be a port number from 1 to 65535 (or 0 for any free port).` };
    }
  }
  return {
    help: false,
    options: {
      host: "127.0.0.1",
      cognitoPort: ports.COGNITO_PORT ?? 9229,
      dynamoPort: ports.DYNAMODB_PORT ?? 8000,
      webPort: ports.WEB_PORT ?? 3000,
      passkeyApiPort: ports.PASSKEY_API_PORT ?? 9231,
      // Only when set: the stack's own default (9230) applies otherwise.
      ...((env["IDP_PORT"]?.trim() ?? "") === "" ? {} : { idpPort: ports.IDP_PORT ?? 9230 }),
      ...(values.data === undefined ? {} : { dataDir: resolve(values.data) }),
      // The stack checks names and values against the template's own rules (an unknown name or a value AllowedValues refuses fails the start).
      ...(Object.keys(templateParameters).length === 0 ? {} : { templateParameters }),
    },
  };
}

/**
 * The address to open in a browser. The stack listens on 127.0.0.1, but people open "localhost":
 * it is the same machine, a secure context, and (unlike an IP address) a valid WebAuthn
 * relying-party id, which passkeys will need.
 */
export function browserUrl(url: string): string {
  return url.replace(/^http:\/\/127\.0\.0\.1(?=[:/]|$)/, "http://localhost");
}

function describeStack(stack: LocalStack, dataDir: string | undefined): string {
  const web = stack.demoUrl;
  const parameters = stack.templateParameters;
  const methods = parameters["SignInMethods"] ?? "EMAIL_OTP,SMS_OTP";
  const passkeys = methods.split(",").includes("PASSKEY")
    ? `relying party ${parameters["RelyingPartyId"] ?? "?"}, allowed from ${parameters["PasskeyAllowedOrigins"] ?? "?"}`
    : "off (SignInMethods has no PASSKEY)";
  const rows: [string, string][] = [
    ["Demo page", web],
    ["Outbox", `${web}/outbox`],
    ["Configuration", `${web}/config.json`],
    ["Cognito endpoint", stack.cognitoEndpoint],
    ["Passkey API", `${stack.passkeyApiUrl}  (GET /passkeys with an access token of the app client)`],
    ["Hosted UI", `${stack.hostedUiUrl}/oauth2/authorize  (identity_provider ${parameters["OidcProviderName"] || "none"})`],
    ["Identity provider", `${stack.idpUrl}  (OIDC issuer, sign-in form asks who you are)`],
    ["DynamoDB endpoint", `${stack.dynamoEndpoint}  (table ${stack.tableName})`],
    ["Sign-in methods", methods],
    ["Passkeys", passkeys],
    [
      "Trigger functions",
      parameters["TriggerLayout"] === "Combined" ? "one for all five triggers (TriggerLayout Combined)" : "one per trigger (TriggerLayout Separate)",
    ],
    ["Region", stack.config.region],
    ["User pool id", stack.config.userPoolId],
    ["App client id", stack.config.clientId],
    ["Issuer", stack.config.issuer],
    ["Data", dataDir === undefined ? "in memory, gone when you stop (keep it with --data DIR)" : dataDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    "",
    "Passwordless sign-in for Amazon Cognito: local stack running",
    "",
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    "",
    `To sign in, open ${web}, create an account with an email address or phone number,`,
    'then sign in with it: the code arrives in the outbox beside the form. Tick "Add a passkey"',
    "to enrol one, then sign in with it. (Open localhost, not 127.0.0.1: passkeys need a domain.)",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}

async function main(): Promise<number> {
  const request = readStartRequest(process.argv.slice(2), process.env);
  if ("error" in request) {
    console.error(`${request.error}\n\n${USAGE}`);
    return 2;
  }
  if (request.help) {
    console.log(USAGE);
    return 0;
  }

  let stack: LocalStack;
  try {
    // Loaded here, so `--help`, bad arguments and tests of the parsing above never load the stack.
    const { startLocalStack } = await import("./stack.ts");
    stack = await startLocalStack(request.options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /EADDRINUSE/.test(message)
      ? "\nA port is already in use (another npm start?). Stop that, or choose other ports with COGNITO_PORT, DYNAMODB_PORT, WEB_PORT, IDP_PORT and PASSKEY_API_PORT."
      : "";
    console.error(`The local stack could not start: ${message}${hint}`);
    return 1;
  }
  console.log(describeStack(stack, request.options.dataDir));

  return new Promise((finish) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C means "now": don't wait for a stop that hangs.
        console.error(`\n${signal} again: exiting without waiting.`);
        finish(1);
        return;
      }
      stopping = true;
      console.log(`\n${signal}: stopping the local stack…`);
      stack.stop().then(
        () => {
          console.log("Stopped.");
          finish(0);
        },
        (error: unknown) => {
          console.error(`The local stack did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
          finish(1);
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

// Run only as the program (`tsx packages/local/src/start.ts`), not when a test imports the parsing above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main();
  // Lingering keep-alive sockets or timers must not keep a stopped stack's process alive.
  process.exit();
}
