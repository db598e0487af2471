/**
 * The throttling fields of an HttpApi's route settings, read from the resolved template: SAM's
 * `DefaultRouteSettings` and `RouteSettings` (a map keyed by route key, "POST /passkeys/challenge")
 * of AWS::Serverless::HttpApi, and `RouteSettings` of a function's HttpApi event, which SAM merges
 * into the API's entry for that route key, the event's fields winning
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-httpapi.html,
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-httpapi.html).
 * The fields are those of AWS::ApiGatewayV2::Stage RouteSettings: ThrottlingBurstLimit (an
 * integer) and ThrottlingRateLimit (a double); logging and metrics fields are not emulated.
 */
import { TemplateResolutionError } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { ThrottleSettings } from "./route-throttle.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A limit as a non-negative number (a parameter's !Ref gives text); undefined when absent. */
function limit(value: unknown, where: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) {
    throw new TemplateResolutionError(`${where} is ${JSON.stringify(value)}: it should be a ${integer ? "whole number" : "number"} of 0 or more.`);
  }
  return number;
}

/** The throttling fields of one route settings object; `{}` for none. */
export function throttleSettingsFrom(value: unknown, where: string): ThrottleSettings {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new TemplateResolutionError(`${where} should be a map of route settings.`);
  return Object.freeze({
    burstLimit: limit(value["ThrottlingBurstLimit"], `${where}.ThrottlingBurstLimit`, true),
    rateLimit: limit(value["ThrottlingRateLimit"], `${where}.ThrottlingRateLimit`, false),
  });
}

/** An HttpApi's RouteSettings: the throttling fields of each route key. */
export function routeSettingsMapFrom(value: unknown, where: string): Map<string, ThrottleSettings> {
  const settings = new Map<string, ThrottleSettings>();
  if (value === undefined) return settings;
  if (!isRecord(value)) throw new TemplateResolutionError(`${where} should be a map from route keys ("POST /path") to route settings.`);
  for (const [routeKey, routeSettings] of Object.entries(value)) settings.set(routeKey, throttleSettingsFrom(routeSettings, `${where}["${routeKey}"]`));
  return settings;
}

/** Settings merged as SAM merges an event's into the API's: each field the later one sets wins. */
export function mergeThrottleSettings(base: ThrottleSettings, over: ThrottleSettings): ThrottleSettings {
  return Object.freeze({ burstLimit: over.burstLimit ?? base.burstLimit, rateLimit: over.rateLimit ?? base.rateLimit });
}
