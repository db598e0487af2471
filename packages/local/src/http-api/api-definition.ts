/**
 * The HTTP APIs of template.yaml as API Gateway would create them from SAM: every
 * AWS::Serverless::HttpApi (Globals.HttpApi merged in) with its JWT authorizers, default
 * authorizer and CorsConfiguration, and the routes the functions' `Type: HttpApi` events add to it
 * (an event without ApiId goes to SAM's implicit API, ServerlessHttpApi). Values are resolved with
 * the same resolver as the functions' environments, so `!Ref UserPoolClient`, `!Sub` and `!Split`
 * of parameters give what a deployment with those values would. Each route carries the throttle
 * limits its route settings give it (route-settings.ts, route-throttle.ts).
 * Sources: SAM, AWS::Serverless::HttpApi (Auth, CorsConfiguration, DefaultRouteSettings,
 * RouteSettings) and the HttpApi event source (ApiId, Path, Method, Auth.Authorizer,
 * Auth.AuthorizationScopes, PayloadFormatVersion, RouteSettings):
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-httpapi.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-httpapi.html
 */
import { type ResolveOptions, TemplateResolutionError, listFunctions, resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { resourceExists } from "../template-conditions.ts";
import { mergeThrottleSettings, routeSettingsMapFrom, throttleSettingsFrom } from "./route-settings.ts";
import { type ThrottleLimits, type ThrottleSettings, routeThrottleLimits } from "./route-throttle.ts";

const HTTP_API = "AWS::Serverless::HttpApi";
/** The API SAM creates for HttpApi events that name no ApiId. */
export const IMPLICIT_HTTP_API = "ServerlessHttpApi";

/** A JWT authorizer: where the token is read, and the issuer and audiences it must have. */
export interface JwtAuthorizer {
  readonly name: string;
  /** `$request.header.Authorization` (the default) or `$request.querystring.<name>`. */
  readonly identitySource: string;
  readonly issuer: string;
  readonly audience: readonly string[];
}

/** An HttpApi's CorsConfiguration (header names lower-case, as API Gateway stores them). */
export interface CorsConfiguration {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number | undefined;
}

export interface HttpApiRoute {
  /** Upper case, or ANY. */
  readonly method: string;
  /** As written in the template: `/passkeys/{id}`, a greedy `{proxy+}` last. */
  readonly path: string;
  /** `<METHOD> <path>`, as API Gateway names the route in the event. */
  readonly routeKey: string;
  /** Logical id of the function the route invokes. */
  readonly functionId: string;
  /** The JWT authorizer in front of the route; undefined for none. */
  readonly authorizer: JwtAuthorizer | undefined;
  /** Scopes of which the token must carry at least one; empty for no scope check. */
  readonly authorizationScopes: readonly string[];
  /** The route's token bucket; undefined when no route settings limit it (not throttled locally). */
  readonly throttle: ThrottleLimits | undefined;
}

export interface HttpApiDefinition {
  readonly logicalId: string;
  readonly cors: CorsConfiguration | undefined;
  readonly routes: readonly HttpApiRoute[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item !== "string" && typeof item !== "number") throw new TemplateResolutionError(`${where} should be a list of strings.`);
    return String(item);
  });
}

/** A property in either case: SAM spells JwtConfiguration's keys in lower case, others may not. */
function property(record: Record<string, unknown>, name: string): unknown {
  return record[name] ?? record[name.charAt(0).toLowerCase() + name.slice(1)] ?? record[name.charAt(0).toUpperCase() + name.slice(1)];
}

function corsFrom(value: unknown, where: string): CorsConfiguration | undefined {
  if (value === undefined || value === false) return undefined;
  // SAM: `CorsConfiguration: true` allows every origin; a string is the one origin allowed.
  const settings: Record<string, unknown> =
    value === true ? { AllowOrigins: ["*"] } : typeof value === "string" ? { AllowOrigins: [value] } : isRecord(value) ? value : {};
  const maxAge = settings["MaxAge"];
  return Object.freeze({
    allowOrigins: stringList(settings["AllowOrigins"], `${where} AllowOrigins`).filter((origin) => origin !== ""),
    allowMethods: stringList(settings["AllowMethods"], `${where} AllowMethods`).map((method) => method.toUpperCase()),
    allowHeaders: stringList(settings["AllowHeaders"], `${where} AllowHeaders`).map((header) => header.toLowerCase()),
    exposeHeaders: stringList(settings["ExposeHeaders"], `${where} ExposeHeaders`).map((header) => header.toLowerCase()),
    allowCredentials: settings["AllowCredentials"] === true || settings["AllowCredentials"] === "true",
    maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
  });
}

function authorizersFrom(auth: Record<string, unknown>, where: string): Map<string, JwtAuthorizer> {
  const authorizers = new Map<string, JwtAuthorizer>();
  const declared = auth["Authorizers"];
  if (!isRecord(declared)) return authorizers;
  for (const [name, settings] of Object.entries(declared)) {
    if (!isRecord(settings)) continue;
    const jwt = settings["JwtConfiguration"];
    if (!isRecord(jwt)) {
      throw new TemplateResolutionError(`${where} Auth.Authorizers.${name} is not a JWT authorizer: the local stack emulates JWT authorizers only.`);
    }
    const issuer = property(jwt, "issuer");
    if (typeof issuer !== "string" || issuer === "") throw new TemplateResolutionError(`${where} Auth.Authorizers.${name} JwtConfiguration has no issuer.`);
    const identitySource = settings["IdentitySource"] ?? "$request.header.Authorization";
    authorizers.set(
      name,
      Object.freeze({
        name,
        identitySource: String(identitySource),
        issuer,
        audience: Object.freeze(stringList(property(jwt, "audience"), `${where} Auth.Authorizers.${name} JwtConfiguration audience`)),
      }),
    );
  }
  return authorizers;
}

interface ApiSettings {
  readonly cors: CorsConfiguration | undefined;
  readonly authorizers: Map<string, JwtAuthorizer>;
  readonly defaultAuthorizer: string | undefined;
  readonly defaultRouteSettings: ThrottleSettings;
  readonly routeSettings: Map<string, ThrottleSettings>;
}

function apiSettings(properties: Record<string, unknown>, where: string): ApiSettings {
  const auth = isRecord(properties["Auth"]) ? properties["Auth"] : {};
  const defaultAuthorizer = auth["DefaultAuthorizer"];
  return {
    cors: corsFrom(properties["CorsConfiguration"], `${where} CorsConfiguration`),
    authorizers: authorizersFrom(auth, where),
    defaultAuthorizer: typeof defaultAuthorizer === "string" && defaultAuthorizer !== "NONE" ? defaultAuthorizer : undefined,
    defaultRouteSettings: throttleSettingsFrom(properties["DefaultRouteSettings"], `${where} DefaultRouteSettings`),
    routeSettings: routeSettingsMapFrom(properties["RouteSettings"], `${where} RouteSettings`),
  };
}

/** The logical id an event's ApiId names (`!Ref PasskeysApi`), or SAM's implicit API without one. */
function apiOfEvent(apiId: unknown, where: string): string {
  if (apiId === undefined) return IMPLICIT_HTTP_API;
  if (isRecord(apiId) && typeof apiId["Ref"] === "string") return apiId["Ref"];
  throw new TemplateResolutionError(`${where} ApiId should be !Ref of an AWS::Serverless::HttpApi of the template.`);
}

/**
 * Every HTTP API of the template with its routes, resolved with `options` (parameters, the
 * physical ids of the pool and its client, pseudo parameters). Throws TemplateResolutionError for
 * what the local stack cannot serve as API Gateway would (a Lambda authorizer, payload format
 * 1.0, a route to an authorizer that does not exist), naming where.
 */
export function httpApisFromTemplate(template: Template, options: ResolveOptions = {}): HttpApiDefinition[] {
  const resolve = (value: unknown, where: string) => resolveTemplateValue(template, value, options, where);
  const globals = template.Globals?.["HttpApi"] ?? {};
  /**
   * Only what the local stack uses (Auth, CorsConfiguration, the route settings, each of which SAM
   * takes from Globals.HttpApi too): a domain or another stage setting may need values only a
   * deployment has.
   */
  const settingsOf = (logicalId: string, own: Record<string, unknown>): ApiSettings => {
    const used: Record<string, unknown> = {};
    for (const name of ["Auth", "CorsConfiguration", "DefaultRouteSettings", "RouteSettings"]) {
      const value = own[name] ?? globals[name];
      if (value !== undefined) used[name] = resolve(value, `${logicalId} ${name}`);
    }
    return apiSettings(used, logicalId);
  };
  const settings = new Map<string, ApiSettings>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === HTTP_API && resourceExists(template, logicalId, options)) settings.set(logicalId, settingsOf(logicalId, resource.Properties ?? {}));
  }
  const routes = new Map<string, HttpApiRoute[]>();
  for (const functionId of listFunctions(template)) {
    if (!resourceExists(template, functionId, options)) continue;
    const events = template.Resources[functionId]?.Properties?.["Events"];
    if (!isRecord(events)) continue;
    for (const [eventName, event] of Object.entries(events)) {
      if (!isRecord(event) || event["Type"] !== "HttpApi") continue;
      const where = `${functionId} Events.${eventName}`;
      const raw = isRecord(event["Properties"]) ? event["Properties"] : {};
      const apiId = apiOfEvent(raw["ApiId"], where);
      if (apiId !== IMPLICIT_HTTP_API && !settings.has(apiId)) throw new TemplateResolutionError(`${where} names ApiId ${apiId}, which is not an ${HTTP_API}.`);
      if (!settings.has(apiId)) settings.set(apiId, settingsOf(apiId, {}));
      const api = settings.get(apiId)!;
      const { ApiId: _apiId, ...rest } = raw;
      const properties = resolve(rest, where) as Record<string, unknown>;
      const payloadFormat = String(properties["PayloadFormatVersion"] ?? "2.0");
      if (payloadFormat !== "2.0")
        throw new TemplateResolutionError(`${where} PayloadFormatVersion is ${payloadFormat}: the local stack sends payload format 2.0 only.`);
      // SAM: an event without Path and Method is the $default route; not something this suite uses.
      const method = String(properties["Method"] ?? "ANY").toUpperCase();
      const path = String(properties["Path"] ?? "");
      if (!path.startsWith("/")) throw new TemplateResolutionError(`${where} Path is "${path}": the local stack serves paths that start with "/".`);
      const auth = isRecord(properties["Auth"]) ? properties["Auth"] : {};
      const named = typeof auth["Authorizer"] === "string" ? auth["Authorizer"] : api.defaultAuthorizer;
      const authorizer = named === undefined || named === "NONE" ? undefined : api.authorizers.get(named);
      if (named !== undefined && named !== "NONE" && authorizer === undefined) {
        throw new TemplateResolutionError(`${where} uses authorizer ${named}, which ${apiId} does not declare in Auth.Authorizers.`);
      }
      const list = routes.get(apiId) ?? [];
      const routeKey = `${method} ${path}`;
      if (list.some((route) => route.routeKey === routeKey)) throw new TemplateResolutionError(`${where}: ${apiId} has route ${routeKey} twice.`);
      // SAM merges the event's RouteSettings into the API's entry for this route key, the event's fields winning.
      const ownSettings = mergeThrottleSettings(
        api.routeSettings.get(routeKey) ?? {},
        throttleSettingsFrom(properties["RouteSettings"], `${where} RouteSettings`),
      );
      list.push(
        Object.freeze({
          method,
          path,
          routeKey,
          functionId,
          authorizer,
          authorizationScopes: Object.freeze(stringList(auth["AuthorizationScopes"], `${where} Auth.AuthorizationScopes`)),
          throttle: routeThrottleLimits(api.defaultRouteSettings, ownSettings),
        }),
      );
      routes.set(apiId, list);
    }
  }
  for (const [logicalId, api] of settings) {
    // A key that names none of the API's routes is most likely a typo: refused, rather than leaving the route it meant unthrottled.
    const unknown = [...api.routeSettings.keys()].filter((routeKey) => !(routes.get(logicalId) ?? []).some((route) => route.routeKey === routeKey));
    if (unknown.length > 0) {
      throw new TemplateResolutionError(
        `${logicalId} RouteSettings names ${unknown.join(", ")}, which is not a route of ${logicalId} ("<METHOD> <path>" of an HttpApi event).`,
      );
    }
  }
  return [...settings.entries()].map(([logicalId, api]) => Object.freeze({ logicalId, cors: api.cors, routes: Object.freeze(routes.get(logicalId) ?? []) }));
}
