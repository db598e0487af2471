/**
 * The AWS query protocol, as far as the local SES and SNS receivers need it: requests are
 * form-encoded (`Action=…&Version=…`, lists as `Name.member.N`, maps as `Name.entry.N.Key/Value`),
 * replies are XML in the shape the SDK's query deserialiser reads
 * (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html).
 */
import { randomUUID } from "node:crypto";
import type { OutboxMessage } from "./outbox.ts";

/** What a receiver answers: the HTTP status and XML, plus the messages to put in the outbox. */
export interface QueryReply {
  status: number;
  xml: string;
  requestId: string;
  messages: OutboxMessage[];
}

/** A request the receiver refuses, with the error code a real service would use. */
export class QueryRequestError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = "QueryRequestError";
  }
}

export type QueryParameters = ReadonlyMap<string, string>;

export function parseQueryBody(body: string): QueryParameters {
  return new Map(new URLSearchParams(body));
}

export function requiredParameter(parameters: QueryParameters, name: string): string {
  const value = parameters.get(name);
  if (value === undefined || value === "") {
    // The wording of AWS's own validation errors, so a developer recognises it.
    throw new QueryRequestError(
      "ValidationError",
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** `Prefix.member.1`, `Prefix.member.2`, … in order, stopping at the first gap as the SDK never leaves one. */
export function listParameter(parameters: QueryParameters, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; ; index++) {
    const value = parameters.get(`${prefix}.member.${index}`);
    if (value === undefined) return values;
    values.push(value);
  }
}

/** `Prefix.entry.N.Name` → `Prefix.entry.N.Value.StringValue`: SNS's message attributes. */
export function stringAttributes(parameters: QueryParameters, prefix: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (let index = 1; ; index++) {
    const name = parameters.get(`${prefix}.entry.${index}.Name`);
    if (name === undefined) return attributes;
    const value = parameters.get(`${prefix}.entry.${index}.Value.StringValue`);
    if (value !== undefined) attributes.set(name, value);
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function successReply(namespace: string, action: string, resultXml: string, messages: OutboxMessage[]): QueryReply {
  const requestId = randomUUID();
  const xml =
    `<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  return { status: 200, xml, requestId, messages };
}

/** The query protocol's error document; the SDK raises an exception named after `Code`. */
export function errorReply(namespace: string, error: QueryRequestError): QueryReply {
  const requestId = randomUUID();
  const xml =
    `<ErrorResponse xmlns="${namespace}">` +
    `<Error><Type>Sender</Type><Code>${escapeXml(error.errorCode)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>`;
  return { status: 400, xml, requestId, messages: [] };
}
