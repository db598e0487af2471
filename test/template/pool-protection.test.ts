/**
 * The optional protections around the user pool in template.yaml: an AWS WAF web ACL that blocks
 * an IP address making too many requests to the pool, and a CloudWatch alarm on the account's
 * SMS spend. Each exists only when its parameter asks for it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveTemplateValue } from "@cognito-passwordless/test-kit/function-environment.ts";
import { readTemplate, type Template } from "@cognito-passwordless/test-kit/read-template.ts";

const template = readTemplate();
const copy = () => structuredClone(template);

type Parameters = Record<string, string>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Logical ids of the resources of a type that CloudFormation creates with these parameter values (their Condition resolved). */
function created(t: Template, type: string, parameters: Parameters = {}): string[] {
  return Object.entries(t.Resources)
    .filter(([, resource]) => resource.Type === type)
    .filter(
      ([, resource]) => resource.Condition === undefined || resolveTemplateValue(t, { "Fn::If": [resource.Condition, true, false] }, { parameters }) === true,
    )
    .map(([logicalId]) => logicalId);
}

function properties(t: Template, logicalId: string): Record<string, unknown> {
  return t.Resources[logicalId]?.Properties ?? {};
}

/**
 * With these parameters: exactly one web ACL and one association, and, when there is one, a
 * REGIONAL ACL that allows by default and has one rule blocking an IP address over `limit`
 * requests in 5 minutes, associated with UserPool. Sentences, empty when all holds.
 */
function webAclProblems(t: Template, parameters: Parameters, limit: string): string[] {
  const acls = created(t, "AWS::WAFv2::WebACL", parameters);
  const associations = created(t, "AWS::WAFv2::WebACLAssociation", parameters);
  if (acls.length !== 1 || associations.length !== 1) return [`${acls.length} web ACL(s) and ${associations.length} association(s), expected one of each.`];
  const [acl] = acls as [string];
  const problems: string[] = [];
  const association = properties(t, associations[0]!);
  if (JSON.stringify(association["ResourceArn"]) !== JSON.stringify({ "Fn::GetAtt": ["UserPool", "Arn"] })) {
    problems.push(`The web ACL is associated with ${JSON.stringify(association["ResourceArn"])}, not with UserPool.`);
  }
  if (JSON.stringify(association["WebACLArn"]) !== JSON.stringify({ "Fn::GetAtt": [acl, "Arn"] }))
    problems.push(`The association names ${JSON.stringify(association["WebACLArn"])}, not ${acl}.`);
  const p = properties(t, acl);
  if (p["Scope"] !== "REGIONAL") problems.push(`${acl}: Scope ${String(p["Scope"])}; a user pool takes a REGIONAL web ACL.`);
  if (JSON.stringify(p["DefaultAction"]) !== JSON.stringify({ Allow: {} }))
    problems.push(`${acl}: DefaultAction ${JSON.stringify(p["DefaultAction"])}, expected Allow.`);
  if (!isRecord(p["VisibilityConfig"]) || p["VisibilityConfig"]["CloudWatchMetricsEnabled"] !== true) problems.push(`${acl}: no CloudWatch metrics.`);
  const rules = Array.isArray(p["Rules"]) ? (p["Rules"] as Record<string, unknown>[]) : [];
  if (rules.length !== 1) return [...problems, `${acl}: ${rules.length} rules, expected the one rate-based rule.`];
  const rule = rules[0]!;
  if (JSON.stringify(rule["Action"]) !== JSON.stringify({ Block: {} }))
    problems.push(`${acl} rule ${String(rule["Name"])}: Action ${JSON.stringify(rule["Action"])}, expected Block.`);
  if (!isRecord(rule["VisibilityConfig"]) || rule["VisibilityConfig"]["CloudWatchMetricsEnabled"] !== true)
    problems.push(`${acl} rule ${String(rule["Name"])}: no CloudWatch metrics.`);
  const statement = isRecord(rule["Statement"]) ? rule["Statement"] : {};
  const rate = statement["RateBasedStatement"];
  if (!isRecord(rate) || Object.keys(statement).length !== 1) return [...problems, `${acl} rule ${String(rule["Name"])}: not a lone rate-based statement.`];
  if (rate["AggregateKeyType"] !== "IP") problems.push(`${acl}: counts requests by ${String(rate["AggregateKeyType"])}, not by the client's IP address.`);
  if (rate["ScopeDownStatement"] !== undefined) problems.push(`${acl}: counts only some requests (ScopeDownStatement).`);
  // 300 seconds is WAF's default window; the parameter's name promises it, so it is stated.
  if (String(rate["EvaluationWindowSec"]) !== "300") problems.push(`${acl}: counts over ${String(rate["EvaluationWindowSec"])} seconds, not 5 minutes.`);
  const resolved = String(resolveTemplateValue(t, rate["Limit"], { parameters }));
  if (resolved !== limit) problems.push(`${acl}: Limit ${resolved}, expected ${limit}.`);
  return problems;
}

/**
 * With these parameters: the one alarm on SNS's SMSMonthToDateSpentUSD (no dimensions, Maximum,
 * SNS's 5-minute period) at `threshold` USD or more, notifying `actions`. Sentences, empty when all holds.
 */
function spendAlarmProblems(t: Template, parameters: Parameters, threshold: string, actions: string[] | undefined): string[] {
  const alarms = created(t, "AWS::CloudWatch::Alarm", parameters);
  if (alarms.length !== 1) return [`${alarms.length} alarm(s), expected one.`];
  const [alarm] = alarms as [string];
  const p = properties(t, alarm);
  const problems: string[] = [];
  const expect = (name: string, value: unknown) => {
    if (p[name] !== value) problems.push(`${alarm}: ${name} ${JSON.stringify(p[name])}, expected ${JSON.stringify(value)}.`);
  };
  expect("Namespace", "AWS/SNS");
  expect("MetricName", "SMSMonthToDateSpentUSD");
  expect("Statistic", "Maximum");
  expect("Period", 300);
  expect("ComparisonOperator", "GreaterThanOrEqualToThreshold");
  if (p["Dimensions"] !== undefined || p["Metrics"] !== undefined) problems.push(`${alarm}: the metric has no dimensions, and is read directly.`);
  const resolvedThreshold = String(resolveTemplateValue(t, p["Threshold"], { parameters }));
  if (resolvedThreshold !== threshold) problems.push(`${alarm}: Threshold ${resolvedThreshold}, expected ${threshold}.`);
  const resolvedActions = resolveTemplateValue(t, p["AlarmActions"], { parameters });
  if (JSON.stringify(resolvedActions) !== JSON.stringify(actions))
    problems.push(`${alarm}: AlarmActions ${JSON.stringify(resolvedActions)}, expected ${JSON.stringify(actions)}.`);
  return problems;
}

describe("AWS WAF web ACL on the user pool in template.yaml", () => {
  const limit = template.Parameters?.["WafRequestsPerFiveMinutesPerIp"];

  it("is chosen by WafRequestsPerFiveMinutesPerIp: a Number, 0 (off) by default, at most WAF's highest limit", () => {
    assert.equal(limit?.Type, "Number");
    assert.equal(limit?.Default, 0);
    assert.equal(limit?.["MinValue"], 0);
    assert.equal(limit?.["MaxValue"], 2_000_000_000);
    assert.match(String(limit?.["Description"]), /10 or more/, "the description names WAF's lowest limit");
  });

  it("does not exist with the default 0: no web ACL, no association", () => {
    assert.deepEqual(created(template, "AWS::WAFv2::WebACL"), []);
    assert.deepEqual(created(template, "AWS::WAFv2::WebACLAssociation"), []);
  });

  it("with a limit, blocks an IP address over it in any 5 minutes, on UserPool", () => {
    assert.deepEqual(webAclProblems(template, { WafRequestsPerFiveMinutesPerIp: "100" }, "100"), []);
    assert.deepEqual(webAclProblems(template, { WafRequestsPerFiveMinutesPerIp: "10" }, "10"), [], "WAF's lowest limit");
  });

  it("a web ACL that only counts, counts by forwarded IP, is associated elsewhere or always exists is caught", () => {
    const broken = copy();
    const acl = properties(broken, "UserPoolWebAcl");
    const [rule] = acl["Rules"] as [Record<string, Record<string, Record<string, unknown>>>];
    rule["Action"] = { Count: {} };
    rule["Statement"]!["RateBasedStatement"]!["AggregateKeyType"] = "FORWARDED_IP";
    properties(broken, "UserPoolWebAclAssociation")["ResourceArn"] = { "Fn::GetAtt": ["UserPoolClient", "Arn"] };
    assert.deepEqual(webAclProblems(broken, { WafRequestsPerFiveMinutesPerIp: "100" }, "100"), [
      'The web ACL is associated with {"Fn::GetAtt":["UserPoolClient","Arn"]}, not with UserPool.',
      'UserPoolWebAcl rule RequestsPerIp: Action {"Count":{}}, expected Block.',
      "UserPoolWebAcl: counts requests by FORWARDED_IP, not by the client's IP address.",
    ]);
    const unconditional = copy();
    delete unconditional.Resources["UserPoolWebAcl"]!.Condition;
    assert.deepEqual(created(unconditional, "AWS::WAFv2::WebACL"), ["UserPoolWebAcl"]);
  });

  it("a negative limit is rejected before anything is created", () => {
    assert.throws(() => created(template, "AWS::WAFv2::WebACL", { WafRequestsPerFiveMinutesPerIp: "-1" }), /should be at least 0/);
  });
});

describe("CloudWatch alarm on SMS spend in template.yaml", () => {
  it("is set by SmsMonthlySpendAlarmUsd (USD, 50 by default, 0 for none) and notifies AlarmTopicArn, empty by default", () => {
    const threshold = template.Parameters?.["SmsMonthlySpendAlarmUsd"];
    assert.equal(threshold?.Type, "Number");
    assert.equal(threshold?.Default, 50);
    assert.equal(threshold?.["MinValue"], 0);
    const topic = template.Parameters?.["AlarmTopicArn"];
    assert.equal(topic?.Type, "String");
    assert.equal(topic?.Default, "");
  });

  it("by default goes off at 50 USD of SMS this month, and notifies no one", () => {
    assert.deepEqual(spendAlarmProblems(template, {}, "50", undefined), []);
  });

  it("notifies the topic given, at the threshold given", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:ops-alerts";
    assert.deepEqual(spendAlarmProblems(template, { SmsMonthlySpendAlarmUsd: "20", AlarmTopicArn: topic }, "20", [topic]), []);
    assert.throws(() => spendAlarmProblems(template, { AlarmTopicArn: "ops-alerts" }, "50", undefined), /AlarmTopicArn is "ops-alerts"/);
  });

  it("does not exist with SmsMonthlySpendAlarmUsd 0", () => {
    assert.deepEqual(created(template, "AWS::CloudWatch::Alarm", { SmsMonthlySpendAlarmUsd: "0" }), []);
  });

  it("a misspelt metric, a summed statistic or a fixed threshold is caught", () => {
    const broken = copy();
    const alarm = properties(broken, "SmsSpendAlarm");
    alarm["MetricName"] = "SMSMonthToDateSpentUsd";
    alarm["Statistic"] = "Sum";
    alarm["Threshold"] = 50;
    assert.deepEqual(spendAlarmProblems(broken, { SmsMonthlySpendAlarmUsd: "20" }, "20", undefined), [
      'SmsSpendAlarm: MetricName "SMSMonthToDateSpentUsd", expected "SMSMonthToDateSpentUSD".',
      'SmsSpendAlarm: Statistic "Sum", expected "Maximum".',
      "SmsSpendAlarm: Threshold 50, expected 20.",
    ]);
  });
});
