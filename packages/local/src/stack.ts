/**
 * The whole local stack, assembled: a DynamoDB-compatible server with the template's table, the
 * web server (demo page, config, outbox, local SES and SNS), a local OIDC identity provider, the
 * template's HTTP API (the passkey API, as API Gateway serves it), and the
 * Cognito-compatible endpoint (JSON API and hosted-UI federation) running the real built trigger
 * bundles (dist/<folder>/index.mjs) with the environment template.yaml gives each function,
 * pointed at these local servers through the standard AWS_ENDPOINT_URL_* variables. `npm start`
 * and the end-to-end tests both start it here.
 */
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTablesFromTemplate } from "@cognito-passwordless/test-kit/create-tables.ts";
import { type Template, readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";
import { startDynamoServer } from "./cognito/dynalite-server.ts";
import { type TriggerFunctions, type TriggerName, poolFromTemplate } from "./cognito/pool-config.ts";
import { startCognitoServer } from "./cognito/server.ts";
import { type FunctionSpec, type TriggerInvocation, TriggerInvoker } from "./cognito/trigger-invoker.ts";
import { type LocalServers, localFunctionRuntime } from "./function-runtime.ts";
import { localHttpApi } from "./http-api/local-http-api.ts";
import { startHttpApiServer } from "./http-api/server.ts";
import { startLocalIdp } from "./idp/local-idp.ts";
import { demoOrigin, localTemplateParameters } from "./local-parameters.ts";
import { Outbox } from "./outbox/outbox.ts";
import { type LocalConfig, startWebServer } from "./web/server.ts";

export type { TriggerInvocation } from "./cognito/trigger-invoker.ts";

export interface LocalStackOptions {
  /** Every server listens here; default 127.0.0.1. */
  host?: string;
  /** Ports: 9229, 8000, 3000, 9230 and 9231 by default; 0 picks a free one (tests). */
  cognitoPort?: number;
  dynamoPort?: number;
  webPort?: number;
  idpPort?: number;
  /** The template's HTTP API (the passkey API). */
  passkeyApiPort?: number;
  /** Whether the HTTP API applies the template's route throttling, as API Gateway does; default true (the bench turns it off). */
  httpApiThrottling?: boolean;
  /** Keeps users, signing key, tokens, table data and outbox here between runs. */
  dataDir?: string;
  /** Extra environment for every function, e.g. lower limits in tests. Wins over the template. */
  functionEnv?: Record<string, string>;
  /** The endpoint's clock (sessions, tokens); tests move it forward to expire a session. Default Date.now. */
  now?: () => number;
  /**
   * Template parameter values in place of the defaults, e.g. { AuthSessionValidityMinutes: "3" }.
   * Locally the defaults offer every method, passkeys included, with relying party "localhost" and
   * the demo page's origin (local-parameters.ts); an override here wins.
   */
  templateParameters?: Record<string, string>;
  /**
   * Told of every trigger invocation: which trigger, and which of the template's functions served
   * it (with templateParameters { TriggerLayout: "Combined" }, SignInTriggersFunction for all five).
   */
  onTriggerInvocation?: (invocation: TriggerInvocation) => void;
}

export interface LocalStack {
  config: LocalConfig;
  cognitoEndpoint: string;
  dynamoEndpoint: string;
  webUrl: string;
  /** The demo page as a browser should open it: http://localhost:<port>, the origin passkeys are allowed from. */
  demoUrl: string;
  /** The template parameters the functions run with: the local defaults under any overrides. */
  templateParameters: Readonly<Record<string, string>>;
  /** The local OIDC identity provider's issuer (its discovery document is under /.well-known/). */
  idpUrl: string;
  /** Where the hosted UI's /oauth2/authorize, /oauth2/idpresponse and /oauth2/token are: the Cognito endpoint. */
  hostedUiUrl: string;
  /**
   * The template's HTTP API (the passkey API) as API Gateway would serve it, at stage $default:
   * its JWT authorizer checks the local pool's tokens, its routes run their functions' bundles.
   * No trailing slash; also `passkeyApiUrl` in /config.json.
   */
  passkeyApiUrl: string;
  outbox: Outbox;
  tableName: string;
  stop(): Promise<void>;
}

/** What each trigger's function runs: its bundle and the environment a deployment would give it, aimed at the local servers. */
/** What every function gets besides its template environment: the caller's log level (tests quieten them) and the options' extra variables. */
function extraEnvironment(options: LocalStackOptions): Record<string, string> {
  const quietLogs = process.env["LOG_LEVEL"];
  return { ...(quietLogs === undefined ? {} : { LOG_LEVEL: quietLogs }), ...options.functionEnv };
}

function triggerFunctions(
  template: Template,
  triggers: TriggerFunctions,
  servers: LocalServers,
  options: LocalStackOptions,
  parameters: Readonly<Record<string, string>>,
): Partial<Record<TriggerName, FunctionSpec>> {
  const specs: Partial<Record<TriggerName, FunctionSpec>> = {};
  for (const [trigger, logicalId] of Object.entries(triggers) as [TriggerName, string][]) {
    const runtime = localFunctionRuntime(template, logicalId, servers, parameters);
    specs[trigger] = {
      name: runtime.name,
      file: runtime.bundleFile,
      exportName: runtime.exportName,
      environment: { ...runtime.environment, ...extraEnvironment(options) },
    };
  }
  return specs;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? "127.0.0.1";
  const template = readTemplate();
  const { pool, triggers } = poolFromTemplate(template, {
    ...(options.templateParameters === undefined ? {} : { parameters: options.templateParameters }),
  });
  const outbox = new Outbox(options.dataDir === undefined ? {} : { file: join(options.dataDir, "outbox.json") });
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    const dynamo = await startDynamoServer({
      host,
      port: options.dynamoPort ?? 8000,
      path: options.dataDir === undefined ? undefined : join(options.dataDir, "dynamodb"),
    });
    closers.push(() => dynamo.close());
    const client = new DynamoDBClient({
      region: pool.region,
      endpoint: dynamo.endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const tables = await createTablesFromTemplate(client, template);
    client.destroy();
    const tableName = tables["Table"];
    if (tableName === undefined) throw new Error("template.yaml has no DynamoDB table named Table.");

    // Before the pool: the pool names the IdP's issuer; the IdP learns the pool's redirect URI later.
    const idp = await startLocalIdp({ host, port: options.idpPort ?? 9230 });
    closers.push(() => idp.close());

    const cognito = await startCognitoServer({
      host,
      port: options.cognitoPort ?? 9229,
      pool,
      dataDir: options.dataDir === undefined ? undefined : join(options.dataDir, "cognito"),
      now: options.now,
      deliver: (message) => outbox.add({ ...message, sentAt: new Date().toISOString() }),
    });
    closers.push(() => cognito.close());
    // Listening now, so /config.json can name it; its routes are installed with the triggers, below.
    const httpApi = await startHttpApiServer({ host, port: options.passkeyApiPort ?? 9231, now: options.now, throttling: options.httpApiThrottling });
    closers.push(() => httpApi.close());
    const config: LocalConfig = {
      region: pool.region,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      cognitoEndpoint: cognito.url,
      issuer: cognito.issuer,
      jwksUri: cognito.jwksUri,
      passkeyApiUrl: httpApi.url,
    };
    const web = await startWebServer({ host, port: options.webPort ?? 3000, outbox, config });
    closers.push(() => web.close());
    // The admin operations answer browsers from the demo page's own origins only (until now, none).
    cognito.useAdminOrigins(web.origins);
    // The functions learn their allowed passkey origin from their environment at start, and the
    // demo's origin is only known once the web server has its port (0 in tests): so the triggers
    // and the federation settings (which name the demo page as callback URL) are wired last, after
    // every server listens.
    const webPort = Number(new URL(web.url).port);
    const idpClient = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret };
    const parameters = localTemplateParameters(template, { webPort, webUrl: web.url, idp: idpClient }, options.templateParameters);
    await idp.allowRedirectUri(`${cognito.url}/oauth2/idpresponse`);
    const { federation } = poolFromTemplate(template, { parameters });
    cognito.useFederation(federation);
    const identityProvider = federation.oauthClient?.supportedIdentityProviders.find((name) => name !== "COGNITO");
    // The web server reads this object on every /config.json, and nobody has asked for it yet.
    if (identityProvider !== undefined) config.federation = { hostedUiUrl: cognito.url, identityProvider };
    const servers = {
      region: pool.region,
      tableName,
      dynamoEndpoint: dynamo.endpoint,
      webUrl: web.url,
      cognitoEndpoint: cognito.url,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
    };
    cognito.useTriggers(new TriggerInvoker(triggerFunctions(template, triggers, servers, options, parameters), undefined, options.onTriggerInvocation));
    const served = localHttpApi({ template, servers, issuer: cognito.issuer, parameters, demoOrigins: web.origins, functionEnv: extraEnvironment(options) });
    closers.push(() => served.close());
    httpApi.serve(served);
    return {
      config,
      cognitoEndpoint: cognito.url,
      dynamoEndpoint: dynamo.endpoint,
      webUrl: web.url,
      demoUrl: demoOrigin(webPort),
      templateParameters: Object.freeze({ ...parameters }),
      idpUrl: idp.issuer,
      hostedUiUrl: cognito.url,
      passkeyApiUrl: httpApi.url,
      outbox,
      tableName,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
