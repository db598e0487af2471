/**
 * template.yaml as CloudFormation sees it for one set of parameter values: every condition decided,
 * every Fn::If replaced by the branch it takes (AWS::NoValue dropping its key), and the resources and
 * outputs whose Condition fails left out. The template tests judge each TriggerLayout this way.
 */
import { resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import type { Template } from "@cognito-passwordless/test-kit/read-template.ts";

export const TRIGGER_LAYOUTS = ["Separate", "Combined"] as const;
export type TriggerLayout = (typeof TRIGGER_LAYOUTS)[number];

/** The five trigger functions of the Separate layout, by the LambdaConfig key each serves. */
export const SEPARATE_TRIGGER_FUNCTIONS: Readonly<Record<string, string>> = Object.freeze({
  DefineAuthChallenge: "DefineAuthChallengeFunction",
  CreateAuthChallenge: "CreateAuthChallengeFunction",
  VerifyAuthChallengeResponse: "VerifyAuthChallengeResponseFunction",
  PreSignUp: "PreSignUpFunction",
  PreTokenGeneration: "PreTokenGenerationFunction",
});

/** The one function of the Combined layout. */
export const COMBINED_FUNCTION = "SignInTriggersFunction";

const NO_VALUE = Symbol("AWS::NoValue");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function decide(template: Template, parameters: Record<string, string>): (condition: string) => boolean {
  const decided = new Map<string, boolean>();
  return (condition) => {
    let holds = decided.get(condition);
    if (holds === undefined) {
      holds = resolveTemplateValue(template, { "Fn::If": [condition, true, false] }, { parameters }, `condition ${condition}`) === true;
      decided.set(condition, holds);
    }
    return holds;
  };
}

function chooseBranches(value: unknown, holds: (condition: string) => boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => chooseBranches(item, holds)).filter((item) => item !== NO_VALUE);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "Fn::If") {
    const [condition, whenTrue, whenFalse] = value["Fn::If"] as [string, unknown, unknown];
    return chooseBranches(holds(condition) ? whenTrue : whenFalse, holds);
  }
  if (keys.length === 1 && keys[0] === "Ref" && value["Ref"] === "AWS::NoValue") return NO_VALUE;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const chosen = chooseBranches(item, holds);
    if (chosen !== NO_VALUE) out[key] = chosen;
  }
  return out;
}

/** The template as deployed with these parameter values (TriggerLayout among them). */
export function deployedTemplate(template: Template, parameters: Record<string, string>): Template {
  const holds = decide(template, parameters);
  const kept = <T extends { Condition?: string }>(entries: Record<string, T>) =>
    Object.fromEntries(Object.entries(entries).filter(([, entry]) => entry.Condition === undefined || holds(entry.Condition)));
  const resources = chooseBranches(kept(template.Resources), holds) as Template["Resources"];
  const outputs =
    template.Outputs === undefined
      ? undefined
      : (chooseBranches(kept(template.Outputs as Record<string, { Condition?: string }>), holds) as Template["Outputs"]);
  return { ...structuredClone(template), Resources: resources, ...(outputs === undefined ? {} : { Outputs: outputs }) };
}

export function withLayout(template: Template, layout: TriggerLayout): Template {
  return deployedTemplate(template, { TriggerLayout: layout });
}
