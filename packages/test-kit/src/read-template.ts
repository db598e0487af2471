/**
 * Reads template.yaml with CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, …) kept as
 * their long forms ({ Ref }, { "Fn::GetAtt" }, …), so tests, `npm run invoke` and the local
 * stack all see the same resources SAM and CloudFormation would.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, type Tags } from "yaml";

/** template.yaml at the repository's root (this file is packages/test-kit/src/read-template.ts). */
export const TEMPLATE_PATH = fileURLToPath(new URL("../../../template.yaml", import.meta.url));

const INTRINSICS = [
  "Ref",
  "Condition",
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "Sub",
  "Transform",
  "And",
  "Equals",
  "If",
  "Not",
  "Or",
  "ToJsonString",
  "Length",
] as const;

const customTags: Tags = INTRINSICS.flatMap((name) => {
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const wrap = (value: unknown) => {
    // !GetAtt Resource.Attribute is a string; the long form is a two-item list.
    if (name === "GetAtt" && typeof value === "string") {
      const dot = value.indexOf(".");
      return { [key]: [value.slice(0, dot), value.slice(dot + 1)] };
    }
    return { [key]: value };
  };
  return [
    { tag: `!${name}`, resolve: (value: string) => wrap(value) },
    { tag: `!${name}`, collection: "seq", resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()) },
    { tag: `!${name}`, collection: "map", resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()) },
  ] as unknown as Tags;
}) as Tags;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  [key: string]: unknown;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Parameters?: Record<string, { Type: string; Default?: unknown; [key: string]: unknown }>;
  Globals?: Record<string, Record<string, unknown>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; [key: string]: unknown }>;
}

export function parseTemplate(text: string): Template {
  return parse(text, { customTags }) as Template;
}

export function readTemplate(path = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, "utf8"));
}
