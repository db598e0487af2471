/**
 * Every IAM statement a function of template.yaml runs with: its own `Policies` and those of the
 * policy resources attached to the execution role SAM generates for it (`<LogicalId>Role`, whose
 * `!Ref` is the role's name), where the template puts what must name the user pool's ARN. The
 * template tests judge these statements, and the bench reads which AWS services they allow.
 */
import type { Template } from "./read-template.ts";

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** Resource types that add a policy to roles named in them, and the property that names them. */
const ROLE_POLICY_TYPES: Record<string, "RoleName" | "Roles"> = {
  "AWS::IAM::RolePolicy": "RoleName",
  "AWS::IAM::Policy": "Roles",
  "AWS::IAM::ManagedPolicy": "Roles",
};

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The policy resources that add to a function's generated execution role. */
export function attachedPolicies(template: Template, logicalId: string): Array<{ policyId: string; document: unknown }> {
  const role = JSON.stringify({ Ref: `${logicalId}Role` });
  return Object.entries(template.Resources).flatMap(([policyId, resource]) => {
    const property = ROLE_POLICY_TYPES[resource.Type];
    if (property === undefined) return [];
    const roles = list(resource.Properties?.[property] as unknown);
    return roles.some((name) => JSON.stringify(name) === role) ? [{ policyId, document: resource.Properties?.["PolicyDocument"] }] : [];
  });
}

/**
 * The function's statements, the template's own objects (so a test can break them in a copy), and
 * what could not be read: anything but a plain policy document, or a Role of the function's own.
 */
export function functionStatements(template: Template, logicalId: string): { statements: PolicyStatement[]; problems: string[] } {
  const problems: string[] = [];
  const statements: PolicyStatement[] = [];
  const read = (document: unknown, source: string) => {
    if (typeof document === "object" && document !== null && "Statement" in document)
      statements.push(...list((document as { Statement: PolicyStatement[] }).Statement));
    else problems.push(`${source}: policy ${JSON.stringify(document)} is a managed policy or SAM template, whose reach cannot be read here.`);
  };
  for (const policy of list(template.Resources[logicalId]?.Properties?.["Policies"] as unknown)) read(policy, logicalId);
  if (template.Resources[logicalId]?.Properties?.["Role"] !== undefined) problems.push(`${logicalId}: names its own Role, whose policies cannot be read here.`);
  for (const { policyId, document } of attachedPolicies(template, logicalId)) read(document, `${logicalId} (${policyId})`);
  return { statements, problems };
}
