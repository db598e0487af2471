/**
 * What a function of template.yaml runs with, worked out the way SAM and CloudFormation would:
 * its code folder and handler, and its environment (Globals.Function merged with its own
 * variables, intrinsics resolved). `npm run invoke` and the local stack use it so that a
 * function runs on a laptop with exactly the variables a deployment gives it, no hand-kept copy.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { TEMPLATE_PATH, type Template } from "./read-template.ts";

export const PSEUDO_PARAMETERS = [
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
] as const;
export type PseudoParameter = (typeof PSEUDO_PARAMETERS)[number];

export interface ResolveOptions {
  /** Parameter values in place of the template's defaults (what `sam deploy --parameter-overrides` gives). */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Physical values of resources: `{ Table: "my-table" }` for `!Ref Table`,
   * `{ "Table.Arn": "arn:…" }` for `!GetAtt Table.Arn` or `${Table.Arn}`.
   */
  readonly resources?: Readonly<Record<string, string>>;
  /** Values of `AWS::Region`, `AWS::AccountId`, `AWS::StackName`, …. Partition and URL suffix default to the commercial partition's. */
  readonly pseudoParameters?: Readonly<Partial<Record<PseudoParameter, string>>>;
  /** Folder CodeUri is relative to; defaults to the folder holding template.yaml. */
  readonly rootDir?: string;
}

export interface FunctionEnvironment {
  readonly logicalId: string;
  /** CodeUri as written in the template, e.g. `dist/define-auth-challenge/`. */
  readonly codeUri: string;
  /** Absolute path of the code folder. */
  readonly codeDir: string;
  /** Absolute path of the handler's module: the first of .mjs, .js, .cjs that exists, else the .mjs path. */
  readonly handlerFile: string;
  /** Name of the export Lambda calls, e.g. `handler`. */
  readonly exportName: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  /** Every variable the function gets, resolved to strings. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The template asks for something these options cannot answer. The message names the function, the variable and what to pass. */
export class TemplateResolutionError extends Error {
  readonly code = "TEMPLATE_UNRESOLVABLE";
  constructor(message: string) {
    super(message);
    this.name = "TemplateResolutionError";
  }
}

const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
const DEFAULT_PSEUDO: Partial<Record<PseudoParameter, string>> = { "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com" };
/** Lambda's own defaults, used when neither the function nor Globals sets them. */
const LAMBDA_DEFAULTS = { Timeout: 3, MemorySize: 128 } as const;

/** Logical ids of the template's AWS::Serverless::Function resources, in template order. */
export function listFunctions(template: Template): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === SERVERLESS_FUNCTION)
    .map(([logicalId]) => logicalId);
}

/**
 * Resolves how `logicalId` runs: code location, handler, and environment.
 * Throws TemplateResolutionError when the function is not in the template, or a value needs a
 * parameter, resource or pseudo parameter that has neither a default nor a value in `options`.
 */
export function functionEnvironment(template: Template, logicalId: string, options: ResolveOptions = {}): FunctionEnvironment {
  const resource = template.Resources[logicalId];
  if (resource === undefined || resource.Type !== SERVERLESS_FUNCTION) {
    const known = listFunctions(template).join(", ") || "none";
    throw new TemplateResolutionError(`${logicalId} is not an ${SERVERLESS_FUNCTION} in the template (functions: ${known}).`);
  }
  const globals = template.Globals?.["Function"] ?? {};
  const own = resource.Properties ?? {};
  const resolver = new IntrinsicResolver(template, options, logicalId);
  const setting = (name: string): unknown => (own[name] !== undefined ? own[name] : globals[name]);

  const environment: Record<string, string> = {};
  for (const [where, variables] of [
    ["Globals.Function", environmentVariables(globals)],
    [logicalId, environmentVariables(own)],
  ] as const) {
    for (const [name, value] of Object.entries(variables)) {
      const resolved = resolver.resolve(value, `${where} Environment.Variables.${name}`);
      if (resolved === NO_VALUE) delete environment[name];
      else environment[name] = scalar(resolved, `${where} Environment.Variables.${name}`);
    }
  }

  const codeUri = scalar(resolver.resolve(setting("CodeUri"), `${logicalId} CodeUri`), `${logicalId} CodeUri`);
  const handler = scalar(resolver.resolve(setting("Handler"), `${logicalId} Handler`), `${logicalId} Handler`);
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) {
    throw new TemplateResolutionError(`${logicalId} Handler is "${handler}": it should be <file>.<export>, such as index.handler.`);
  }
  const codeDir = resolve(options.rootDir ?? dirname(TEMPLATE_PATH), codeUri);
  const base = join(codeDir, handler.slice(0, dot));
  const handlerFile = [".mjs", ".js", ".cjs"].map((extension) => base + extension).find((path) => existsSync(path)) ?? `${base}.mjs`;

  const numberSetting = (name: keyof typeof LAMBDA_DEFAULTS): number => {
    const value = setting(name);
    if (value === undefined) return LAMBDA_DEFAULTS[name];
    const resolved = Number(scalar(resolver.resolve(value, `${logicalId} ${name}`), `${logicalId} ${name}`));
    if (!Number.isFinite(resolved)) throw new TemplateResolutionError(`${logicalId} ${name} does not resolve to a number.`);
    return resolved;
  };
  return {
    logicalId,
    codeUri,
    codeDir,
    handlerFile,
    exportName: handler.slice(dot + 1),
    runtime: scalar(resolver.resolve(setting("Runtime"), `${logicalId} Runtime`), `${logicalId} Runtime`),
    timeoutSeconds: numberSetting("Timeout"),
    memorySizeMb: numberSetting("MemorySize"),
    environment,
  };
}

/**
 * Resolves any value of the template (a LambdaConfig, an output) with the same rules, e.g. which
 * pre token generation event version a given UserPoolTier gets. `where` names the value in errors.
 * A value that resolves to AWS::NoValue comes back as undefined.
 */
export function resolveTemplateValue(template: Template, value: unknown, options: ResolveOptions = {}, where = "value"): unknown {
  const resolved = new IntrinsicResolver(template, options, where).resolve(value, where);
  return resolved === NO_VALUE ? undefined : resolved;
}

function environmentVariables(properties: Record<string, unknown>): Record<string, unknown> {
  const environment = properties["Environment"];
  if (!isRecord(environment)) return {};
  const variables = environment["Variables"];
  return isRecord(variables) ? variables : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalar(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === undefined) throw new TemplateResolutionError(`${where} is not set.`);
  throw new TemplateResolutionError(`${where} resolves to ${JSON.stringify(value)}, not a string.`);
}

/** `Ref: AWS::NoValue`: the property is removed, as CloudFormation does. */
const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

/** Resolves the intrinsic functions an environment variable or a function setting can use. */
class IntrinsicResolver {
  private readonly pseudo: Partial<Record<PseudoParameter, string>>;

  constructor(
    private readonly template: Template,
    private readonly options: ResolveOptions,
    /** What is being resolved, for error messages. */
    private readonly context: string,
  ) {
    this.pseudo = { ...DEFAULT_PSEUDO, ...options.pseudoParameters };
    for (const name of Object.keys(options.parameters ?? {})) {
      if (this.template.Parameters?.[name] === undefined) {
        throw new TemplateResolutionError(`There is no parameter ${name} in the template to override.`);
      }
    }
  }

  resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, where)).filter((item) => item !== NO_VALUE);
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    const [key] = keys;
    if (keys.length !== 1 || key === undefined || !(key === "Ref" || key.startsWith("Fn::") || key === "Condition")) {
      return Object.fromEntries(
        Object.entries(value)
          .map(([name, item]) => [name, this.resolve(item, where)] as const)
          .filter(([, item]) => item !== NO_VALUE),
      );
    }
    const argument = value[key];
    switch (key) {
      case "Ref":
        return this.ref(String(argument), where);
      case "Fn::GetAtt": {
        const [resource, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split(/\.(.*)/s);
        return this.getAtt(`${resource}.${attribute}`, where);
      }
      case "Fn::Sub":
        return this.sub(argument, where);
      case "Fn::Join": {
        const [separator, items] = argument as [string, unknown];
        const list = this.resolve(items, where);
        if (!Array.isArray(list)) throw new TemplateResolutionError(`${where}: Fn::Join needs a list.`);
        return list.map((item) => scalar(item, where)).join(separator);
      }
      case "Fn::Select": {
        const [index, items] = argument as [unknown, unknown];
        const list = this.resolve(items, where);
        const position = Number(this.resolve(index, where));
        if (!Array.isArray(list) || !(position in list)) throw new TemplateResolutionError(`${where}: Fn::Select index ${position} is out of range.`);
        return list[position];
      }
      case "Fn::Split": {
        const [separator, text] = argument as [string, unknown];
        return scalar(this.resolve(text, where), where).split(separator);
      }
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return this.resolve(this.condition(condition, where) ? whenTrue : whenFalse, where);
      }
      default:
        throw new TemplateResolutionError(`${where} uses ${key}, which cannot be resolved locally (${this.context}).`);
    }
  }

  private ref(name: string, where: string): unknown {
    if (name === "AWS::NoValue") return NO_VALUE;
    if (name.startsWith("AWS::")) {
      const value = this.pseudo[name as PseudoParameter];
      if (value === undefined) throw new TemplateResolutionError(`${where} needs ${name}: pass it in pseudoParameters.`);
      return value;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter !== undefined) {
      const value = this.parameterValue(name, parameter);
      // A list parameter (CommaDelimitedList, List<…>) is a list to !Ref, each member trimmed of spaces.
      const type = String(parameter.Type);
      return type === "CommaDelimitedList" || type.startsWith("List<") ? value.split(",").map((item) => item.trim()) : value;
    }
    if (this.template.Resources[name] !== undefined) {
      const value = this.options.resources?.[name];
      if (value === undefined) throw new TemplateResolutionError(`${where} needs !Ref ${name}: pass its physical name in resources.${name}.`);
      return value;
    }
    throw new TemplateResolutionError(`${where} refers to ${name}, which is neither a parameter nor a resource of the template.`);
  }

  private getAtt(path: string, where: string): string {
    const [resource] = path.split(".");
    if (resource === undefined || this.template.Resources[resource] === undefined) {
      throw new TemplateResolutionError(`${where} reads !GetAtt ${path}, but there is no resource ${resource}.`);
    }
    const value = this.options.resources?.[path];
    if (value === undefined) throw new TemplateResolutionError(`${where} needs !GetAtt ${path}: pass its value in resources["${path}"].`);
    return value;
  }

  private sub(argument: unknown, where: string): string {
    const [text, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>?]) : [String(argument), undefined];
    return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      if (name.startsWith("!")) return `\${${name.slice(1)}}`;
      if (variables !== undefined && name in variables) return scalar(this.resolve(variables[name], where), where);
      if (name.includes(".") && !name.startsWith("AWS::")) return this.getAtt(name, where);
      return scalar(this.ref(name, where), where);
    });
  }

  private condition(name: string, where: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new TemplateResolutionError(`${where} uses condition ${name}, which the template does not define.`);
    return this.evaluate(definition, where);
  }

  private evaluate(expression: unknown, where: string): boolean {
    if (!isRecord(expression)) throw new TemplateResolutionError(`${where}: a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition.`);
    const [[key, argument] = []] = Object.entries(expression);
    const list = Array.isArray(argument) ? argument : [];
    switch (key) {
      case "Fn::Equals":
        return String(this.resolve(list[0], where)) === String(this.resolve(list[1], where));
      case "Fn::Not":
        return !this.evaluate(list[0], where);
      case "Fn::And":
        return list.every((item) => this.evaluate(item, where));
      case "Fn::Or":
        return list.some((item) => this.evaluate(item, where));
      case "Condition":
        return this.condition(String(argument), where);
      default:
        throw new TemplateResolutionError(`${where}: unknown condition function ${String(key)}.`);
    }
  }

  /** The override or the default, checked against the parameter's constraints as CloudFormation would. */
  private parameterValue(name: string, parameter: NonNullable<Template["Parameters"]>[string]): string {
    const override = this.options.parameters?.[name];
    if (override === undefined && parameter.Default === undefined) {
      throw new TemplateResolutionError(`Parameter ${name} has no default: pass a value for it.`);
    }
    const value = override ?? String(parameter.Default);
    const problem = parameterProblem(parameter, value);
    if (problem !== undefined) throw new TemplateResolutionError(`Parameter ${name} is "${value}": ${problem}.`);
    return value;
  }
}

function parameterProblem(parameter: Record<string, unknown>, value: string): string | undefined {
  const allowed = parameter["AllowedValues"];
  if (Array.isArray(allowed) && !allowed.map(String).includes(value)) return `it should be one of ${allowed.join(", ")}`;
  const pattern = parameter["AllowedPattern"];
  if (typeof pattern === "string" && !new RegExp(`^(?:${pattern})$`).test(value)) {
    return String(parameter["ConstraintDescription"] ?? `it should match ${pattern}`);
  }
  if (parameter["Type"] === "Number") {
    const number = Number(value);
    if (value.trim() === "" || !Number.isFinite(number)) return "it should be a number";
    if (typeof parameter["MinValue"] === "number" && number < parameter["MinValue"]) return `it should be at least ${parameter["MinValue"]}`;
    if (typeof parameter["MaxValue"] === "number" && number > parameter["MaxValue"]) return `it should be at most ${parameter["MaxValue"]}`;
  }
  if (typeof parameter["MinLength"] === "number" && value.length < parameter["MinLength"]) return `it should be at least ${parameter["MinLength"]} characters`;
  if (typeof parameter["MaxLength"] === "number" && value.length > parameter["MaxLength"]) return `it should be at most ${parameter["MaxLength"]} characters`;
  return undefined;
}
