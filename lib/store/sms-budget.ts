/**
 * The deployment's SMS budget: how many codes the whole deployment may send by SMS in a window,
 * and how many to any one country, however many accounts or numbers ask. Per-user and
 * per-number limits (code-sends.ts) do not bound SMS pumping, which spreads over many numbers and
 * sign-ups; this does. When either is spent, code rounds by SMS become rounds that send nothing
 * (CreateAuthChallenge logs a WARN) until the next window.
 *
 * One item per window, `SMSBUDGET` / `WINDOW#<start>`, holding the deployment's count and one
 * count per country calling code: one conditional UpdateItem reserves a send under both limits
 * (no transaction). A reservation whose message then fails is given back. A write retried by the
 * SDK after a lost answer may count one send twice: the budget errs towards sending less.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../errors.ts";
import { allOf, underLimit } from "./conditions.ts";
import { TABLE_KEYS, epochSeconds } from "./keys.ts";

export interface SmsBudgetLimits {
  readonly windowSeconds: number;
  /** SMS the deployment may send per window. */
  readonly perWindow: number;
  /** SMS to one country calling code per window. */
  readonly perCountryPerWindow: number;
}

export type SmsBudgetDecision = { readonly outcome: "reserved" } | { readonly outcome: "spent"; readonly scope: "deployment" | "country" };

export interface SmsBudgetStore {
  /** Counts one SMS to this country calling code (digits, no "+") against both budgets, or says which is spent. */
  reserve(countryCallingCode: string, now: number): Promise<SmsBudgetDecision>;
  /** Gives a reservation back (its message was not sent). Best effort: false leaves it counted, the safe side. */
  release(countryCallingCode: string, now: number): Promise<boolean>;
}

export const SMS_BUDGET_PARTITION = "SMSBUDGET";
const DEPLOYMENT_COUNTER = "all";

function countryCounter(countryCallingCode: string): string {
  return `cc${countryCallingCode}`;
}

function windowKey(now: number, windowSeconds: number) {
  const start = Math.floor(epochSeconds(now) / windowSeconds) * windowSeconds;
  return { Key: { [TABLE_KEYS.partition]: SMS_BUDGET_PARTITION, [TABLE_KEYS.sort]: `WINDOW#${start}` }, windowEnd: start + windowSeconds };
}

export function createDynamoSmsBudgetStore({
  client,
  tableName,
  limits,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
  limits: SmsBudgetLimits;
}): SmsBudgetStore {
  const names = (country: string) => ({ "#all": DEPLOYMENT_COUNTER, "#country": countryCounter(country) });
  return {
    async reserve(country, now) {
      const { Key, windowEnd } = windowKey(now, limits.windowSeconds);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key,
            UpdateExpression: "SET #ttl = :ttl ADD #all :one, #country :one",
            ConditionExpression: allOf(underLimit("#all", ":perWindow"), underLimit("#country", ":perCountry")),
            ExpressionAttributeNames: { ...names(country), "#ttl": TABLE_KEYS.ttl },
            ExpressionAttributeValues: { ":ttl": windowEnd, ":one": 1, ":perWindow": limits.perWindow, ":perCountry": limits.perCountryPerWindow },
          }),
        );
        return { outcome: "reserved" };
      } catch (error) {
        if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) {
          throw new StoreUnavailableError("DynamoDB did not answer the SMS budget reservation.", { cause: error });
        }
      }
      // Which budget is spent, for the operator's WARN: a read on this rare path only.
      try {
        const { Item: item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key,
            ConsistentRead: true,
            ProjectionExpression: "#all",
            ExpressionAttributeNames: { "#all": DEPLOYMENT_COUNTER },
          }),
        );
        const all = typeof item?.[DEPLOYMENT_COUNTER] === "number" ? (item[DEPLOYMENT_COUNTER] as number) : 0;
        return { outcome: "spent", scope: all >= limits.perWindow ? "deployment" : "country" };
      } catch (error) {
        throw new StoreUnavailableError("DynamoDB did not return the SMS budget.", { cause: error });
      }
    },

    async release(country, now) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: windowKey(now, limits.windowSeconds).Key,
            UpdateExpression: "ADD #all :minusOne, #country :minusOne",
            // Only a count this window holds can be given back.
            ConditionExpression: "#all > :zero AND #country > :zero",
            ExpressionAttributeNames: names(country),
            ExpressionAttributeValues: { ":minusOne": -1, ":zero": 0 },
          }),
        );
        return true;
      } catch {
        return false;
      }
    },
  };
}
