/**
 * Checks a parsed template against the CloudFormation resource specification shipped in
 * @aws-cdk/aws-service-spec (which also describes the AWS::Serverless::* types of the SAM
 * transform): every resource type exists, every property name exists at every depth, literal
 * values have the right shape and, where the spec lists them, an allowed value; required
 * properties are present. Values built with intrinsic functions are not checked (they resolve
 * at deploy time). Returns problems as sentences, empty when the template passes.
 */
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;
/** The part of the spec's resource entity these checks read. */
export interface SpecResource {
  readonly cloudFormationType: string;
  readonly properties: Record<string, SpecProperty>;
  readonly attributes: Record<string, unknown>;
}
interface SpecProperty {
  readonly type: PropertyType;
  readonly required?: boolean;
}
type PropertyType =
  | { readonly type: "string"; readonly allowedValues?: readonly string[] }
  | { readonly type: "integer"; readonly allowedValues?: readonly number[] }
  | { readonly type: "number" | "boolean" | "json" | "date-time" | "null" | "tag" }
  | { readonly type: "ref"; readonly reference: { readonly $ref: string } }
  | { readonly type: "array" | "map"; readonly element: PropertyType }
  | { readonly type: "union"; readonly types: readonly PropertyType[] };

/** Keys a resource may have besides Type and Properties (CloudFormation resource attributes). */
const RESOURCE_ATTRIBUTES = new Set([
  "Type",
  "Properties",
  "DependsOn",
  "Condition",
  "DeletionPolicy",
  "UpdateReplacePolicy",
  "Metadata",
  "UpdatePolicy",
  "CreationPolicy",
]);

let database: SpecDatabase | undefined;
/** The spec database, loaded once per test process (it takes a second or two). */
export function specDatabase(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

export function specResource(cfnType: string): SpecResource | undefined {
  const found = specDatabase().lookup("resource", "cloudFormationType", "equals", cfnType);
  return found[0] as unknown as SpecResource | undefined;
}

export function isIntrinsic(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0] === "Condition" || keys[0]!.startsWith("Fn::"));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkTemplateAgainstSpec(template: Template): string[] {
  const problems: string[] = [];
  const globals = template.Globals?.["Function"];
  const samFunction = specResource("AWS::Serverless::Function");
  if (globals !== undefined) {
    if (samFunction === undefined) problems.push("The spec has no AWS::Serverless::Function to check Globals.Function against.");
    else problems.push(...propertiesProblems(globals, samFunction.properties, "Globals.Function", false));
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const spec = specResource(resource.Type);
    if (spec === undefined) {
      problems.push(`${logicalId}: resource type ${resource.Type} does not exist in the CloudFormation spec.`);
      continue;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_ATTRIBUTES.has(key)) problems.push(`${logicalId}: ${key} is not a resource attribute CloudFormation knows.`);
    }
    // SAM copies Globals.Function into every function before CloudFormation sees it.
    const properties = resource.Type === "AWS::Serverless::Function" ? { ...globals, ...resource.Properties } : (resource.Properties ?? {});
    problems.push(...propertiesProblems(properties, spec.properties, logicalId, true));
  }
  return problems;
}

function propertiesProblems(value: Record<string, unknown>, spec: Record<string, SpecProperty>, path: string, checkRequired: boolean): string[] {
  const problems: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    const property = spec[name];
    if (property === undefined) {
      problems.push(`${path}.${name}: no such property (known: ${Object.keys(spec).sort().join(", ")}).`);
      continue;
    }
    problems.push(...valueProblems(item, property.type, `${path}.${name}`));
  }
  if (checkRequired) {
    for (const [name, property] of Object.entries(spec)) {
      if (property.required === true && value[name] === undefined) problems.push(`${path}.${name}: required, but missing.`);
    }
  }
  return problems;
}

function valueProblems(value: unknown, type: PropertyType, path: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case "string":
    case "date-time": {
      if (!["string", "number", "boolean"].includes(typeof value)) return [`${path}: expected a string, found ${JSON.stringify(value)}.`];
      const allowed = "allowedValues" in type ? type.allowedValues : undefined;
      if (allowed !== undefined && allowed.length > 0 && !allowed.includes(String(value))) {
        return [`${path}: "${String(value)}" is not one of ${allowed.join(", ")}.`];
      }
      return [];
    }
    case "integer":
    case "number":
      return typeof value === "number" || (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        ? []
        : [`${path}: expected a number, found ${JSON.stringify(value)}.`];
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false" ? [] : [`${path}: expected true or false, found ${JSON.stringify(value)}.`];
    case "json":
    case "null":
      return [];
    case "tag":
      return isRecord(value) && "Key" in value && "Value" in value ? [] : [`${path}: expected a tag { Key, Value }.`];
    case "array":
      if (!Array.isArray(value)) return [`${path}: expected a list, found ${JSON.stringify(value)}.`];
      return value.flatMap((item, index) => valueProblems(item, type.element, `${path}[${index}]`));
    case "map":
      if (!isRecord(value)) return [`${path}: expected a map, found ${JSON.stringify(value)}.`];
      return Object.entries(value).flatMap(([key, item]) => valueProblems(item, type.element, `${path}.${key}`));
    case "ref": {
      if (!isRecord(value)) return [`${path}: expected an object, found ${JSON.stringify(value)}.`];
      const definition = specDatabase().get("typeDefinition", type.reference.$ref);
      return propertiesProblems(value, definition.properties as Record<string, SpecProperty>, path, true);
    }
    case "union": {
      // The value is fine if one of the alternatives takes it; otherwise report the closest one.
      // Alternatives of the wrong shape altogether (a string where an object stands) say least.
      const attempts = type.types.map((member) => valueProblems(value, member, path));
      if (attempts.some((found) => found.length === 0)) return [];
      const sameShape = attempts.filter((found) => !found[0]!.startsWith(`${path}: expected`));
      const candidates = sameShape.length > 0 ? sameShape : attempts;
      return candidates.reduce((closest, found) => (found.length < closest.length ? found : closest));
    }
  }
}
