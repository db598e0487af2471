/**
 * What template.yaml says about each function that the bench needs: its dist/ folder, its memory
 * size (Lambda bills GB-seconds of it) and the AWS services its IAM policy lets it call (the
 * services whose SDK clients it may bundle).
 */
import { basename } from "node:path";
import { functionEnvironment, listFunctions } from "@cognito-passwordless/test-kit/function-environment.ts";
import { functionStatements } from "@cognito-passwordless/test-kit/function-policies.ts";
import { type Template, readTemplate } from "@cognito-passwordless/test-kit/read-template.ts";

export interface TemplateFunction {
  readonly logicalId: string;
  /** The folder under dist/ holding its bundle, e.g. define-auth-challenge. */
  readonly folder: string;
  readonly memorySizeMb: number;
  /** Service prefixes of the actions its policies allow, e.g. ["dynamodb", "ses"]. */
  readonly awsServices: readonly string[];
}

/** Enough for the resolver to answer !Ref Table and friends; the values themselves are not used. */
const PLACEHOLDER_RESOURCES = {
  Table: "bench-table",
  "Table.Arn": "arn:aws:dynamodb:us-east-1:000000000000:table/bench-table",
  UserPool: "us-east-1_Bench0000",
  "UserPool.Arn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Bench0000",
  UserPoolClient: "benchclient0000000000000000",
};
const PLACEHOLDER_PSEUDO = { "AWS::Region": "us-east-1", "AWS::AccountId": "000000000000", "AWS::StackName": "bench" };

/** Service prefixes of the actions a function's statements allow (its own policies and its role's). */
function allowedServices(template: Template, logicalId: string): string[] {
  const services = new Set<string>();
  for (const { Effect: effect, Action: action } of functionStatements(template, logicalId).statements) {
    if (effect !== "Allow") continue;
    for (const name of Array.isArray(action) ? action : [action]) {
      if (typeof name === "string" && name.includes(":")) services.add(name.split(":")[0]!);
    }
  }
  return [...services].sort();
}

export function templateFunctions(template: Template = readTemplate()): TemplateFunction[] {
  return listFunctions(template).map((logicalId) => {
    const resolved = functionEnvironment(template, logicalId, { resources: PLACEHOLDER_RESOURCES, pseudoParameters: PLACEHOLDER_PSEUDO });
    return {
      logicalId,
      folder: basename(resolved.codeUri.replace(/\/+$/, "")),
      memorySizeMb: resolved.memorySizeMb,
      awsServices: allowedServices(template, logicalId),
    };
  });
}

export function templateFunction(folder: string, functions: readonly TemplateFunction[]): TemplateFunction {
  const found = functions.find((fn) => fn.folder === folder);
  if (found === undefined) throw new Error(`template.yaml has no function whose CodeUri is dist/${folder}/.`);
  return found;
}
