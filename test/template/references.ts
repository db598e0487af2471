/**
 * The references inside a template (Ref, Fn::GetAtt, Fn::Sub, DependsOn, conditions), checked
 * against what exists, and the dependency graph CloudFormation builds from them.
 *
 * SAM expands an AWS::Serverless::Function into a Lambda function with the same logical id and,
 * unless Role is given, an IAM role `<Id>Role` holding its Policies. The graph keeps function
 * and role as one node: the role's references are the function's, because the function cannot
 * be created before its role.
 */
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";
import { PSEUDO_PARAMETERS } from "@cognito-passwordless/test-kit/function-environment.ts";
import { isIntrinsic, specResource } from "./spec-check.ts";

export interface Reference {
  readonly kind: "Ref" | "GetAtt" | "DependsOn" | "Condition";
  /** A resource, parameter, pseudo parameter or condition name. */
  readonly target: string;
  readonly attribute?: string;
  /** Where in the template it appears, e.g. `Resources.UserPool.Properties.LambdaConfig.PreSignUp`. */
  readonly path: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every reference inside `value`; `${Name}` and `${Name.Attr}` in Fn::Sub count, `${!Literal}` and Sub's own variables do not. */
export function referencesIn(value: unknown, path: string): Reference[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => referencesIn(item, `${path}[${index}]`));
  if (!isRecord(value)) return [];
  if (isIntrinsic(value)) {
    const [[key, argument]] = Object.entries(value) as [[string, unknown]];
    if (key === "Ref") return [{ kind: "Ref", target: String(argument), path }];
    if (key === "Condition") return [{ kind: "Condition", target: String(argument), path }];
    if (key === "Fn::GetAtt") {
      const [target, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split(/\.(.*)/s);
      return [{ kind: "GetAtt", target: target ?? "", attribute: attribute ?? "", path }];
    }
    if (key === "Fn::Sub") {
      const [text, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>?]) : [String(argument), undefined];
      const own = new Set(Object.keys(variables ?? {}));
      const inText = [...text.matchAll(/\$\{([^!}][^}]*)\}/g)]
        .map((match) => match[1]!)
        .filter((name) => !own.has(name))
        .map((name): Reference => {
          const dot = name.indexOf(".");
          return dot > 0 && !name.startsWith("AWS::")
            ? { kind: "GetAtt", target: name.slice(0, dot), attribute: name.slice(dot + 1), path }
            : { kind: "Ref", target: name, path };
        });
      return [...inText, ...referencesIn(variables, `${path}.Fn::Sub`)];
    }
    if (key === "Fn::If") {
      const [condition, ...branches] = argument as [string, ...unknown[]];
      return [{ kind: "Condition", target: condition, path }, ...referencesIn(branches, `${path}.Fn::If`)];
    }
    return referencesIn(argument, `${path}.${key}`);
  }
  return Object.entries(value).flatMap(([key, item]) => referencesIn(item, `${path}.${key}`));
}

/** Resources SAM adds: the role of each function that does not name its own. */
export function samGeneratedResources(template: Template): Record<string, string> {
  const generated: Record<string, string> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === "AWS::Serverless::Function" && resource.Properties?.["Role"] === undefined) {
      generated[`${logicalId}Role`] = "AWS::IAM::Role";
    }
  }
  return generated;
}

/** The CloudFormation type whose attributes `!GetAtt` can read, after the SAM transform. */
function deployedType(type: string): string {
  return type === "AWS::Serverless::Function" ? "AWS::Lambda::Function" : type;
}

function dependsOn(resource: { DependsOn?: string | string[] }): string[] {
  return resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
}

/** All references of the template, with Globals.Function counted once for every function it applies to. */
function allReferences(template: Template): Array<Reference & { from?: string }> {
  const found: Array<Reference & { from?: string }> = [];
  const globalReferences = referencesIn(template.Globals?.["Function"], "Globals.Function");
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const path = `Resources.${logicalId}`;
    found.push(...referencesIn(resource.Properties, `${path}.Properties`).map((reference) => ({ ...reference, from: logicalId })));
    found.push(...dependsOn(resource).map((target) => ({ kind: "DependsOn" as const, target, path: `${path}.DependsOn`, from: logicalId })));
    if (resource.Condition !== undefined) found.push({ kind: "Condition", target: resource.Condition, path: `${path}.Condition`, from: logicalId });
    if (resource.Type === "AWS::Serverless::Function") found.push(...globalReferences.map((reference) => ({ ...reference, from: logicalId })));
  }
  found.push(...referencesIn(template.Outputs, "Outputs"));
  found.push(...referencesIn(template.Conditions, "Conditions"));
  return found;
}

/** References to things that do not exist: unknown names, attributes a type does not have, resources referring to themselves. */
export function referenceProblems(template: Template): string[] {
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const generated = samGeneratedResources(template);
  const typeOf = (name: string): string | undefined => template.Resources[name]?.Type ?? generated[name];
  for (const reference of allReferences(template)) {
    const { kind, target, path } = reference;
    if (reference.from !== undefined && reference.from === target) problems.push(`${path}: ${target} refers to itself.`);
    switch (kind) {
      case "Condition":
        if (!conditions.has(target)) problems.push(`${path}: there is no condition ${target}.`);
        break;
      case "DependsOn":
        if (typeOf(target) === undefined) problems.push(`${path}: DependsOn names ${target}, which is not a resource.`);
        break;
      case "Ref":
        if (
          !parameters.has(target) &&
          typeOf(target) === undefined &&
          !(PSEUDO_PARAMETERS as readonly string[]).includes(target) &&
          target !== "AWS::NoValue"
        ) {
          problems.push(`${path}: !Ref ${target} names no parameter, resource or pseudo parameter.`);
        }
        break;
      case "GetAtt": {
        const type = typeOf(target);
        if (type === undefined) {
          problems.push(`${path}: !GetAtt ${target}.${reference.attribute} names no resource.`);
          break;
        }
        const spec = specResource(deployedType(type));
        const attributes = Object.keys(spec?.attributes ?? {});
        if (!attributes.includes(reference.attribute ?? "")) {
          problems.push(`${path}: ${type} has no attribute ${reference.attribute} (it has ${attributes.join(", ") || "none"}).`);
        }
        break;
      }
    }
  }
  return problems;
}

/** Edges resource → resources it needs first, as CloudFormation orders creation. */
export function dependencyGraph(template: Template): Map<string, Set<string>> {
  const generated = samGeneratedResources(template);
  // A function's generated role is folded into the function (see the note at the top).
  const node = (name: string): string | undefined =>
    template.Resources[name] !== undefined ? name : generated[name] !== undefined ? name.replace(/Role$/, "") : undefined;
  const graph = new Map<string, Set<string>>(Object.keys(template.Resources).map((name) => [name, new Set<string>()]));
  for (const reference of allReferences(template)) {
    if (reference.from === undefined || reference.kind === "Condition") continue;
    const target = node(reference.target);
    if (target !== undefined && target !== reference.from) graph.get(reference.from)!.add(target);
  }
  return graph;
}

/** A dependency cycle as the list of resources around it (first repeated at the end), or undefined. */
export function findDependencyCycle(template: Template): string[] | undefined {
  const graph = dependencyGraph(template);
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const next of [...(graph.get(name) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of [...graph.keys()].sort()) {
    const cycle = visit(name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
