/**
 * Whether a resource of template.yaml exists with the parameter values in use: a resource whose
 * Condition fails is not created by CloudFormation, so the local stack must neither serve it nor
 * route a trigger to it (TriggerLayout, for one, chooses between the five trigger functions and
 * the combined one).
 */
import { type ResolveOptions, resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

export function resourceExists(template: Template, logicalId: string, options: ResolveOptions): boolean {
  const resource = template.Resources[logicalId];
  if (resource === undefined) return false;
  if (resource.Condition === undefined) return true;
  return resolveTemplateValue(template, { "Fn::If": [resource.Condition, true, false] }, options, `${logicalId} Condition`) === true;
}
