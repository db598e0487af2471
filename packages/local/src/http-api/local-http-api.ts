/**
 * The template's HTTP API as the local stack serves it: read from the template with the local
 * pool's ids, parameters and region (api-definition.ts), each route's function run from its built
 * bundle with the environment the template gives it (function-runtime.ts), one warm worker per
 * function, as the triggers run. Two things differ from a deployment, both because the pool is
 * local: a JWT authorizer whose issuer is the deployed form of the local pool's
 * (https://cognito-idp.<region>.amazonaws.com/<pool id>) checks tokens against the local pool's
 * issuer and keys instead; and the demo page's own origins are allowed by a CorsConfiguration
 * besides the ones it names (people open the demo at localhost and at 127.0.0.1).
 */
import type { ResolveOptions } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { LOCAL_ACCOUNT, type LocalServers, localFunctionRuntime } from "../function-runtime.ts";
import { FunctionWorker } from "../lambda/function-worker.ts";
import { type HttpApiDefinition, type HttpApiRoute, httpApisFromTemplate } from "./api-definition.ts";
import type { ServedApi } from "./server.ts";

/** API Gateway gives up on an integration after 30 seconds, whatever the function's own timeout. */
const INTEGRATION_TIMEOUT_SECONDS = 30;

export interface LocalHttpApiOptions {
  readonly template: Template;
  /** The local servers the functions call, with the local pool's ids. */
  readonly servers: LocalServers & { readonly userPoolId: string; readonly clientId: string };
  /** The local pool's issuer (<cognito endpoint>/<pool id>). */
  readonly issuer: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Origins allowed besides the CorsConfiguration's, when it has one: the demo page's. */
  readonly demoOrigins?: readonly string[] | undefined;
  /** Extra environment for every function (wins over the template), as the triggers get. */
  readonly functionEnv?: Readonly<Record<string, string>> | undefined;
  /** Folder CodeUri is relative to (a fixture template's); the repository's root by default. */
  readonly rootDir?: string | undefined;
}

export interface LocalHttpApi extends ServedApi {
  close(): Promise<void>;
}

/** The deployed form of the local pool's issuer, which the template's `!Sub` gives. */
function deployedIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

function localRoute(route: HttpApiRoute, poolIssuer: { deployed: string; local: string }): HttpApiRoute {
  if (route.authorizer === undefined || route.authorizer.issuer !== poolIssuer.deployed) return route;
  return Object.freeze({ ...route, authorizer: Object.freeze({ ...route.authorizer, issuer: poolIssuer.local }) });
}

/**
 * The one HTTP API of the template, ready to serve. A template without one gives an API without
 * routes (everything 404); the local stack serves one API on its port, so a template with several
 * is refused, naming them.
 */
export function localHttpApi(options: LocalHttpApiOptions): LocalHttpApi {
  const { template, servers } = options;
  const { region, userPoolId, clientId } = servers;
  const resources: Record<string, string> = {
    UserPool: userPoolId,
    "UserPool.Arn": `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT}:userpool/${userPoolId}`,
    UserPoolClient: clientId,
    Table: servers.tableName,
  };
  const resolveOptions: ResolveOptions = {
    parameters: options.parameters,
    resources,
    pseudoParameters: { "AWS::Region": region, "AWS::AccountId": LOCAL_ACCOUNT, "AWS::StackName": "local" },
  };
  const apis = httpApisFromTemplate(template, resolveOptions);
  if (apis.length > 1) {
    throw new Error(`The template has ${apis.length} HTTP APIs (${apis.map((api) => api.logicalId).join(", ")}); the local stack serves one.`);
  }
  const found = apis[0];
  const poolIssuer = { deployed: deployedIssuer(region, userPoolId), local: options.issuer };
  const api: HttpApiDefinition = Object.freeze({
    logicalId: found?.logicalId ?? "none",
    cors:
      found?.cors === undefined
        ? undefined
        : Object.freeze({ ...found.cors, allowOrigins: [...new Set([...found.cors.allowOrigins, ...(options.demoOrigins ?? [])])] }),
    routes: Object.freeze((found?.routes ?? []).map((route) => localRoute(route, poolIssuer))),
  });

  const workers = new Map<string, FunctionWorker>();
  for (const functionId of new Set(api.routes.map((route) => route.functionId))) {
    const runtime = localFunctionRuntime(template, functionId, servers, options.parameters, options.rootDir);
    const timeoutMs = Math.min(runtime.timeoutSeconds, INTEGRATION_TIMEOUT_SECONDS) * 1000;
    workers.set(
      functionId,
      new FunctionWorker(
        { name: runtime.name, file: runtime.bundleFile, exportName: runtime.exportName, environment: { ...runtime.environment, ...options.functionEnv } },
        timeoutMs,
      ),
    );
  }
  return {
    api,
    // API Gateway's ids are ten lower-case letters and digits; the logical id, lower case, reads better locally.
    apiId: api.logicalId.toLowerCase(),
    accountId: LOCAL_ACCOUNT,
    invoke: (functionId, event) => {
      const worker = workers.get(functionId);
      return worker === undefined ? Promise.reject(new Error(`No function ${functionId}.`)) : worker.invoke(event);
    },
    close: async () => {
      await Promise.all([...workers.values()].map((worker) => worker.close()));
    },
  };
}
